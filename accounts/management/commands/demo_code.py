import time

from allauth.mfa.app_settings import TOTP_PERIOD
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code for the demo admin and coordinators."

    def handle(self, *args, **options):
        counter = int(time.time()) // TOTP_PERIOD
        seconds_left = TOTP_PERIOD - int(time.time()) % TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"{code}  (valid for {seconds_left} more seconds)")
