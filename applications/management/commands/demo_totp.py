"""Print the current two-factor code of a demo staff account, so the demo needs no phone."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.demo import DEMO_STAFF_EMAILS


def current_code(secret: str, now: float | None = None) -> tuple[str, int]:
    """The code an authenticator app shows now, and for how many more seconds."""
    now = time.time() if now is None else now
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(secret, int(now) // period))
    return code, period - int(now) % period


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (any account while DEBUG is on)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's email address, as printed by seed_demo.")

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        if email not in DEMO_STAFF_EMAILS and not settings.DEBUG:
            raise CommandError(
                f"{email} is not a demo staff account; codes of real accounts are shown only while DEBUG is on."
            )
        authenticator = (
            Authenticator.objects.filter(user__email__iexact=email, type=Authenticator.Type.TOTP)
            .only("data")
            .first()
        )
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app set up (run seed_demo first).")
        code, seconds_left = current_code(decrypt(authenticator.data["secret"]))
        self.stdout.write(f"{code}  (valid for {seconds_left} more seconds)")
