from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (admin, director.ict, ...). Only with DEBUG on."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[row[0] for row in DEMO_USERS])

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code reads the demo's published key, so it runs only with DEBUG on.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no two-factor sign-in: the password alone signs them in.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():06d}")
