"""Customer contact seeds its schedules: the enquiry clock check, and the monthly performance figures."""

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from apps.core.seeding import upsert

CLOCK_CHECK_TASK = "apps.customers.tasks.enquiry_clock_alerts"
CONTACT_FIGURES_TASK = "apps.customers.tasks.contact_figures_monthly"


def load() -> str:
    every_quarter_hour, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.MINUTES)
    upsert(
        PeriodicTask,
        name="Enquiry clocks: warnings and breaches",
        defaults={"task": CLOCK_CHECK_TASK, "interval": every_quarter_hour, "enabled": True},
    )
    first_of_month, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_month="1", month_of_year="*", day_of_week="*", timezone="Europe/London"
    )
    upsert(
        PeriodicTask,
        name="Enquiry and satisfaction KPIs for last month",
        defaults={"task": CONTACT_FIGURES_TASK, "crontab": first_of_month, "enabled": True},
    )
    return "enquiry clock check every 15 minutes; last month's contact KPIs on the 1st"
