"""Admins and directors must now sign in with two-factor: the API tokens they were handed on a password
alone end, and they ask for a new one with a code once two-factor is set up."""

from django.db import migrations

TWO_FACTOR_ROLES = ("admin", "director")


def retire(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    Token.objects.filter(user__role__in=TWO_FACTOR_ROLES).exclude(user_id__in=enrolled).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_register_unused_user_deactivation"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
