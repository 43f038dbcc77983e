"""The daily jobs of the agreements, scheduled in the database that Celery beat reads."""

from django.db import migrations

DAILY = [
    ("Agreements: expire those past their end date", "apps.slas.tasks.expire_agreements", 1),
    ("Agreements: send review reminders", "apps.slas.tasks.send_review_reminders", 7),
]


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour in DAILY:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour=str(hour), day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
        )
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in DAILY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("slas", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
