from apps.core.contributions import Contributions

#: Sections of a saving line's page that apps depending on savings add (the risks behind it, the
#: committee's decisions on it); each function takes ``(user, line)``.
line_page = Contributions()
