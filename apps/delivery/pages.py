from apps.core.contributions import Contributions

#: Sections of an activity's page that apps depending on the delivery plan add (the risks to it);
#: each function takes ``(user, activity)``.
activity_page = Contributions()
