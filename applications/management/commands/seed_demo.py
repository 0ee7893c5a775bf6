"""Load the demo: two programmes, an open CryptoCity cohort, an applicant with a draft, and staff.

Idempotent: every object is looked up by its natural key first, so a second run creates and
changes nothing, and prints the same logins again.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt, encrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from applications import demo
from applications.management.commands._workspace import WorkspaceSeeder
from applications.models import Application, Cohort, Criterion, DocumentRequirement, Programme
from applications.services.applications import start_application
from applications.services.drafts import save_draft
from portal.accounts.models import Person, Role, User
from portal.accounts.services import create_organisation


@dataclass
class Account:
    login: demo.Login
    password: str | None  # None: set on an earlier run and not known any more
    totp_secret: str | None = None


@dataclass
class Seeder:
    """Creates what is missing and remembers how much it created."""

    debug: bool
    created: int = 0
    accounts: list[Account] = field(default_factory=list)

    def run(self) -> None:
        nbk = self.programme(demo.NBK_PROGRAMME, mandatory_extra=frozenset())
        aifc = self.programme(demo.AIFC_PROGRAMME, mandatory_extra=demo.AIFC_MANDATORY_DOCUMENTS)
        cryptocity = self.cryptocity_cohort(nbk)
        rolling = self.cohort(
            aifc, demo.AIFC_COHORT, opens_at=_at(date(2025, 1, 6), 9), closes_at=None
        )
        astana = self.astana_hub_cohort(nbk)
        applicant = self.user(demo.APPLICANT)
        organisation = self.organisation(applicant)
        self.draft(applicant, organisation, cryptocity)
        staff_members = []
        for login in demo.STAFF:
            staff = self.user(login)
            self.accounts[-1].totp_secret = self.totp_secret(staff)
            staff_members.append(staff)
            for cohort in (cryptocity, rolling, astana):
                cohort.panel.add(staff)  # adding a member twice changes nothing
        # Decisions and testing before the console's cohorts: those mark every past opening and
        # closing recorded, the past cohort's included, so a second run changes nothing.
        self.participants(nbk, applicant, cryptocity)
        self.console_cohorts()
        second_admin = User.objects.get(email=demo.SECOND_ADMIN.email)
        for cohort in (rolling, astana):
            cohort.panel.add(second_admin)  # on every panel, like the other staff
        WorkspaceSeeder(
            count=self.count,
            cohorts={"cryptocity": cryptocity, "aifc": rolling, "astana": astana},
            staff=staff_members,
            applicant=applicant,
        ).run()

    def console_cohorts(self) -> None:
        """A third programme and cohorts in every phase; reviewers on each panel. Openings and
        closings already past are marked recorded, so the schedule does not announce history."""
        payments = self.programme(demo.PAYMENTS_PROGRAMME, mandatory_extra=frozenset())
        programmes = {
            programme.code: programme for programme in (payments, *Programme.objects.all())
        }
        reviewers = list(User.objects.filter(email__in=demo.DEMO_STAFF_EMAILS, role=Role.REVIEWER))
        today = timezone.localdate()
        for code, spec, opens_in, closes_in in demo.CONSOLE_COHORTS:
            cohort = self.cohort(
                programmes[code],
                spec,
                opens_at=_at(today + timedelta(days=opens_in), 9),
                closes_at=None if closes_in is None else _at(today + timedelta(days=closes_in), 18),
            )
            cohort.panel.add(*reviewers)
        now = timezone.now()
        demo_cohorts = Cohort.objects.filter(programme__code__in=programmes)
        demo_cohorts.filter(opens_at__lte=now, opening_recorded_at=None).update(
            opening_recorded_at=now
        )
        demo_cohorts.filter(closes_at__lte=now, closing_recorded_at=None).update(
            closing_recorded_at=now
        )

    def participants(self, programme: Programme, applicant: User, cryptocity: Cohort) -> None:
        """Decisions and testing: a second admin (four eyes) and a past cohort in every phase."""
        from applications.demo_participants import seed_participants

        checker = self.user(demo.SECOND_ADMIN)
        self.accounts[-1].totp_secret = self.totp_secret(checker)
        cryptocity.panel.add(checker)
        maker = User.objects.get(email=demo.STAFF[-1].email)
        self.created += seed_participants(
            programme=programme, applicant=applicant, maker=maker, checker=checker
        )

    def count(self, created: bool) -> None:
        self.created += int(created)

    def programme(self, spec: dict, mandatory_extra: frozenset) -> Programme:
        fields = {name: value for name, value in spec.items() if name != "code"}
        programme, created = Programme.objects.get_or_create(code=spec["code"], defaults=fields)
        self.count(created)
        for position, (code, weight, gate, names, guidance) in enumerate(demo.CRITERIA, start=1):
            _criterion, created = Criterion.objects.get_or_create(
                programme=programme,
                code=code,
                defaults={
                    "weight": weight,
                    "is_gate": gate,
                    "position": position,
                    "guidance_en": guidance,
                    **_names(names),
                },
            )
            self.count(created)
        for position, doc in enumerate(demo.DOCUMENTS, start=1):
            _requirement, created = DocumentRequirement.objects.get_or_create(
                programme=programme,
                code=doc.code,
                defaults={
                    "mandatory": doc.mandatory or doc.code in mandatory_extra,
                    "position": position,
                    "allowed_extensions": doc.extensions,
                    "max_size_mb": demo.DOCUMENT_MAX_MB,
                    "help_en": doc.help_en,
                    **_names(doc.names),
                },
            )
            self.count(created)
        return programme

    def cryptocity_cohort(self, programme: Programme) -> Cohort:
        today = timezone.localdate()
        return self.cohort(
            programme,
            demo.CRYPTOCITY_COHORT,
            opens_at=_at(today - timedelta(days=demo.CRYPTOCITY_OPEN_DAYS_AGO), 9),
            closes_at=_at(today + timedelta(days=demo.CRYPTOCITY_CLOSES_IN_DAYS), 18),
        )

    def astana_hub_cohort(self, programme: Programme) -> Cohort:
        today = timezone.localdate()
        return self.cohort(
            programme,
            demo.ASTANA_HUB_COHORT,
            opens_at=_at(today - timedelta(days=demo.ASTANA_HUB_OPENED_DAYS_AGO), 9),
            closes_at=_at(today - timedelta(days=demo.ASTANA_HUB_CLOSED_DAYS_AGO), 18),
        )

    def cohort(self, programme: Programme, spec: dict, *, opens_at, closes_at) -> Cohort:
        cohort, created = Cohort.objects.get_or_create(
            programme=programme,
            name=spec["name"],
            defaults={
                "zone_tag": spec["zone_tag"],
                "capacity": spec["capacity"],
                "opens_at": opens_at,
                "closes_at": closes_at,
            },
        )
        self.count(created)
        return cohort

    def user(self, login: demo.Login) -> User:
        user = User.objects.filter(email__iexact=login.email).first()
        if user is None:
            password = demo.DEBUG_PASSWORD if self.debug else secrets.token_urlsafe(12)
            user = User.objects.create_user(
                email=login.email,
                password=password,
                full_name=login.full_name,
                role=login.role,
                preferred_language="en",
            )
            self.count(True)
        elif self.debug and user.check_password(demo.DEBUG_PASSWORD):
            password = demo.DEBUG_PASSWORD
        else:
            password = None
        _address, created = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        self.count(created)
        self.accounts.append(Account(login=login, password=password))
        return user

    def totp_secret(self, user: User) -> str:
        """A random secret made on the first run, kept in the database, printed on every run."""
        authenticator, created = Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(generate_totp_secret())}},
        )
        self.count(created)
        return decrypt(authenticator.data["secret"])

    def organisation(self, applicant: User):
        if applicant.organisation_id is None:
            create_organisation(actor=applicant, fields=dict(demo.ORGANISATION))
            self.count(True)
        organisation = applicant.organisation
        for person in demo.PEOPLE:
            fields = {name: value for name, value in person.items() if name != "full_name"}
            _person, created = Person.objects.get_or_create(
                organisation=organisation, full_name=person["full_name"], defaults=fields
            )
            self.count(created)
        return organisation

    def draft(self, applicant: User, organisation, cohort: Cohort) -> None:
        if Application.objects.filter(organisation=organisation, cohort=cohort).exists():
            return
        application = start_application(actor=applicant, cohort=cohort, title=demo.DRAFT_TITLE)
        save_draft(
            actor=applicant,
            application_id=application.pk,
            base_revision=application.revision,
            answers=dict(demo.DRAFT_ANSWERS),
        )
        self.count(True)


def demo_history() -> None:
    """The dashboard's history rows for the demo's applications (written directly, with their
    events), rebuilt from the audit trail as migration 0018 does; bulk applications keep theirs."""
    from applications.demo_scale import BULK_EMAIL_SUFFIX
    from applications.services.stage_history import backfill_stage_history

    demo = Application.objects.exclude(created_by__email__endswith=BULK_EMAIL_SUFFIX)
    backfill_stage_history(application_ids=demo.values_list("pk", flat=True))


class Command(BaseCommand):
    help = "Load demo data (programmes, an open cohort, an applicant with a draft, staff with TOTP) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run although DEBUG is off. Passwords are then random and printed only when created.",
        )
        parser.add_argument(
            "--applications",
            type=int,
            default=0,
            metavar="N",
            help="Also load N bulk applications in every state, with their documents, reviews, "
            "decisions, participations and audit events (applications/demo_scale.py). Skipped "
            "when bulk data is already loaded.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off. Use --force to load them anyway "
                "(with random passwords, printed once)."
            )
        seeder = Seeder(debug=settings.DEBUG)
        with transaction.atomic():
            seeder.run()
            if seeder.created:
                demo_history()
        if seeder.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded ({seeder.created} objects created).")
            )
        else:
            self.stdout.write("Demo data already loaded: nothing to create.")
        if options["applications"] > 0:
            self.load_at_scale(options["applications"])
        self.print_logins(seeder.accounts)

    def load_at_scale(self, applications: int) -> None:
        from applications.demo_scale import ScaleSeeder, already_loaded

        loaded = already_loaded()
        if loaded:
            self.stdout.write(
                self.style.WARNING(
                    f"Bulk data already loaded ({loaded} bulk applications): nothing added. "
                    "Recreate the database to load another size."
                )
            )
            return
        self.stdout.write(f"Loading {applications} bulk applications:")
        counts = ScaleSeeder(applications=applications, log=self.stdout.write).run()
        self.stdout.write(self.style.SUCCESS(f"Bulk data loaded in {counts.pop('seconds')} s:"))
        for name, count in sorted(counts.items()):
            self.stdout.write(f"  {name:<36} {count:>9}")

    def print_logins(self, accounts: list[Account]) -> None:
        self.stdout.write(f"\nSign in at {settings.SITE_URL}/accounts/login/ with:\n")
        for account in accounts:
            login = account.login
            password = account.password or "(set when the account was created; not shown again)"
            self.stdout.write(f"  {login.role.label!s:<16} {login.email:<40} password: {password}")
            if account.totp_secret:
                self.stdout.write(
                    f"  {'':<16} TOTP secret: {account.totp_secret}   current code: make totp EMAIL={login.email}"
                )
        self.stdout.write(
            "\nStaff must enter a two-factor code: add the secret to an authenticator app, or run the make command shown."
        )


def _names(names: tuple[str, str, str]) -> dict:
    en, ru, kk = names
    return {"name_en": en, "name_ru": ru, "name_kk": kk}


def _at(day, hour: int):
    """That day at that hour, Almaty time."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
