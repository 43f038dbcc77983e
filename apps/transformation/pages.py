from apps.core.contributions import Contributions

#: Sections of a project's page that apps depending on projects add (the savings lines it must
#: deliver); each function takes ``(user, project)``.
project_page = Contributions()
