"""The monthly reports' schedule: checked every morning, run on the 6th working day for last month."""

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from apps.core.seeding import upsert

REPORTS_TASK = "apps.reports.tasks.monthly_reports_if_due"


def load() -> str:
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="5", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Europe/London"
    )
    upsert(
        PeriodicTask,
        name="Monthly reports on the 6th working day",
        defaults={"task": REPORTS_TASK, "crontab": every_morning, "enabled": True},
    )
    return "monthly reports checked daily at 05:00, generated on the 6th working day for last month"
