"""Customer contact needs one thing seeded: the scheduled check of the enquiry clocks."""

from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.core.seeding import upsert

CLOCK_CHECK_TASK = "apps.customers.tasks.enquiry_clock_alerts"


def load() -> str:
    every_quarter_hour, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.MINUTES)
    upsert(
        PeriodicTask,
        name="Enquiry clocks: warnings and breaches",
        defaults={"task": CLOCK_CHECK_TASK, "interval": every_quarter_hour, "enabled": True},
    )
    return "enquiry clock check scheduled every 15 minutes"
