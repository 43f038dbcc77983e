from apps.core.contributions import Contributions

#: Sections of a service's page; each function takes ``(user, service)``.
service_page = Contributions()
