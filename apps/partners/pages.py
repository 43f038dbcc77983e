from apps.core.contributions import Contributions

#: Sections of a partner's page; each function takes ``(user, partner)``.
partner_page = Contributions()
