from apps.core.contributions import Contributions

#: Sections of an activity's page that apps depending on the delivery plan add (the risks to it);
#: each function takes ``(user, activity)``.
activity_page = Contributions()

#: Sections below the plan's table that apps depending on the plan add (traded income for the growth
#: objective); each function takes ``(user, plan)``.
plan_page = Contributions()
