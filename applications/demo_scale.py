"""Data at scale for `seed_demo --applications N`: thousands of applications on top of the demo.

Organisations with their contact and key people, cohorts back over two years, and N applications
in every lifecycle state with what their state implies: references, the programme version, the
clock, a case officer, documents (a small real PDF stored for each version, its SHA-256 recorded,
scan clean), requests for information, reviewer assignments with their conflict declarations,
scored reviews, decisions by two admins (released or not), participations with their onboarding
checklist and reports, and the audit events of all of it, hash-chained like every other event.

Rows are written with bulk_create in batches; the randomness is seeded, so the same N gives the
same data. The demo's reviewers are on a share of the panels and cases, so their queues hold
bulk applications; the demo admins see everything. Bulk people have addresses ending in
BULK_EMAIL_SUFFIX: that is how a second run knows the data is already there.
"""

import hashlib
import json
import math
import os
import random
import time as clock
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from applications import demo, signals
from applications import demo_scale_names as words
from applications.enums import (
    ActivityCategory,
    ApplicationState,
    ClockStage,
    ConflictRelation,
    Currency,
    DecisionOutcome,
    DecisionState,
    Declaration,
    DocumentCheck,
    DocumentStage,
    EventKind,
    ExitRoute,
    OnboardingItem,
    ReportKind,
    ReportState,
    ReviewState,
    RfiState,
    ScanStatus,
    Track,
)
from applications.management.commands._workspace import ANSWERS
from applications.models import (
    Application,
    AuditChainHead,
    AuditEvent,
    Cohort,
    ConflictOfInterest,
    CriterionScore,
    Decision,
    DecisionReason,
    Document,
    DocumentVersion,
    OnboardingCondition,
    Participation,
    Programme,
    ReferenceSequence,
    Report,
    RequestForInformation,
    Review,
    ReviewerAssignment,
)
from applications.queries import working_calendar
from applications.queries.programmes import criteria_for, requirements_for
from applications.reporting import add_months, end_of_testing, report_schedule
from applications.services.clocks import pause_clock, resume_clock, start_clock
from applications.services.participations import FINAL_REPORT_WORKING_DAYS, STANDARD_CONDITIONS
from applications.services.programmes import version_for_submission
from applications.services.references import PREFIX
from applications.services.stage_history import backfill_stage_history
from portal.accounts.models import Organisation, Person, PersonRole, Role, User
from portal.accounts.validators import check_digit

S = ApplicationState
BULK_EMAIL_SUFFIX = ".scale.example"
SEED = 2026
BATCH = 2000
# Share of each state among the bulk applications, in percent (every state gets at least one).
# fmt: off
STATE_WEIGHTS = (
    (S.DRAFT, 5), (S.SUBMITTED, 4), (S.SCREENING, 5), (S.ELIGIBILITY, 6), (S.EVALUATION, 10),
    (S.DECISION_PENDING, 8), (S.APPROVED, 3), (S.REJECTED, 12), (S.WAITLISTED, 3),
    (S.NOT_ELIGIBLE, 5), (S.ONBOARDING, 3), (S.TESTING, 10), (S.SUSPENDED, 1), (S.EXITING, 2),
    (S.GRADUATED, 8), (S.EXITED, 4), (S.TERMINATED, 1), (S.WITHDRAWN, 10),
)
# fmt: on
REVIEWERS_PER_APPLICATION = 5
DOCUMENTS_PER_APPLICATION = 5
# Stages an application passes through, in order; a date is kept for each one it reached.
SUB, SCREEN, ELIG, EVAL, DP, PROPOSED, CHECKED, RELEASED, ONBOARD = range(9)
# Working days between one stage and the next (lowest, highest).
GAPS = {
    SUB: (1, 3),
    SCREEN: (2, 6),
    ELIG: (5, 14),
    EVAL: (12, 20),
    DP: (3, 10),
    PROPOSED: (1, 3),
    CHECKED: (2, 10),
    RELEASED: (2, 8),
}
# The last stage each state reached, and the stage whose date anchors it to today.
REACHED = {
    S.SUBMITTED: SUB, S.SCREENING: SCREEN, S.ELIGIBILITY: ELIG, S.NOT_ELIGIBLE: ELIG,
    S.EVALUATION: EVAL, S.DECISION_PENDING: DP, S.APPROVED: CHECKED, S.REJECTED: CHECKED,
    S.WAITLISTED: CHECKED, S.ONBOARDING: ONBOARD, S.TESTING: ONBOARD, S.SUSPENDED: ONBOARD,
    S.EXITING: ONBOARD, S.GRADUATED: ONBOARD, S.EXITED: ONBOARD, S.TERMINATED: ONBOARD,
}  # fmt: skip
PARTICIPATING = (S.TESTING, S.SUSPENDED, S.EXITING, S.GRADUATED, S.EXITED, S.TERMINATED)
APPROVED_STATES = (S.APPROVED, S.ONBOARDING, *PARTICIPATING)
COHORT_DAYS = 61
CLOCK_OF_STAGE = {
    SUB: ClockStage.SCREENING,
    SCREEN: ClockStage.SCREENING,
    ELIG: ClockStage.ELIGIBILITY,
    EVAL: ClockStage.EVALUATION,
    DP: ClockStage.DECISION,
}


def allocate(total: int) -> dict[str, int]:
    """How many applications each state gets: at least one each (when there are enough), the rest
    by weight, remainders to the largest fractions. Deterministic."""
    states = [state for state, _weight in STATE_WEIGHTS]
    base = 1 if total >= len(states) else 0
    counts = dict.fromkeys(states, base)
    rest = total - base * len(states)
    shares = [(rest * weight / 100, state) for state, weight in STATE_WEIGHTS]
    for share, state in shares:
        counts[state] += int(share)
    left = rest - sum(int(share) for share, _state in shares)
    by_fraction = sorted(
        shares, key=lambda item: (-(item[0] - int(item[0])), states.index(item[1]))
    )
    for _share, state in by_fraction[:left]:
        counts[state] += 1
    return counts


def already_loaded() -> int:
    """How many bulk applications exist (0: none)."""
    return Application.objects.filter(created_by__email__endswith=BULK_EMAIL_SUFFIX).count()


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` (ASCII) in Helvetica."""
    safe = [line.replace("\\", "/").replace("(", "[").replace(")", "]") for line in lines]
    text = "".join(f"({line}) Tj 0 -16 Td " for line in safe)
    stream = f"BT /F1 11 Tf 72 760 Td {text}ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@contextmanager
def backdated(*models):
    """Let bulk_create keep the times given for auto_now / auto_now_add fields."""
    flipped = []
    for model in models:
        for model_field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(model_field, flag, False):
                    setattr(model_field, flag, False)
                    flipped.append((model_field, flag))
    try:
        yield
    finally:
        for model_field, flag in flipped:
            setattr(model_field, flag, True)


@dataclass
class Plan:
    """One bulk application before it is written: its state, people and dates."""

    index: int
    state: str
    programme: str
    organisation: int  # index into the seeder's organisations
    activity: str
    title: str
    created: datetime
    reached: int | None = None  # the last stage reached (None: never submitted)
    days: dict = field(default_factory=dict)  # stage -> date
    withdrawn_on: date | None = None
    application: Application | None = None
    reviewers: list = field(default_factory=list)
    quality: float = 3.0


@dataclass
class ScaleSeeder:
    """Adds `applications` bulk applications; `run()` returns the counts of what it created."""

    applications: int
    log: callable = print
    seed: int = SEED
    counts: Counter = field(default_factory=Counter)

    # --- set-up -----------------------------------------------------------------------------

    def run(self) -> Counter:
        started = clock.monotonic()
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data, deterministic on purpose
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.calendar = working_calendar()
        self.midnights = {}
        self.latest = self.now.astimezone(UTC) - timedelta(seconds=1)
        self.files = FileWriter()
        with transaction.atomic():
            # Events are chained: hold the head for the whole load, so no other writer interleaves.
            AuditChainHead.objects.get_or_create(pk=1)
            self.head = AuditChainHead.objects.select_for_update().get(pk=1)
            self.events = []
            self.load_context()
            self.step("staff", self.make_staff)
            self.step("plans", self.make_plans)
            self.step("organisations", self.make_organisations)
            self.step("cohorts", self.make_cohorts)
            self.step("applications", self.make_applications)
            self.step("documents", self.make_documents)
            self.step("requests for information", self.make_rfis)
            self.step("assignments and reviews", self.make_reviews)
            self.step("decisions and participations", self.make_decisions)
            self.step("audit events", self.write_events)
            self.step("stage history", self.stage_history)
            self.step("files (finishing)", self.files.finish)
        self.step("planner statistics", refresh_statistics)
        # Cohorts and panels went in by bulk inserts, which send no signals.
        signals.forget_filter_cohorts()
        self.counts["seconds"] = round(clock.monotonic() - started, 1)
        return self.counts

    def step(self, name: str, work) -> None:
        started = clock.monotonic()
        work()
        self.log(f"  {name}: {clock.monotonic() - started:.1f} s")

    def load_context(self) -> None:
        self.programmes = {
            key: Programme.objects.get(code=spec["code"])
            for key, spec in (("nbk", demo.NBK_PROGRAMME), ("payments", demo.PAYMENTS_PROGRAMME))
        }
        self.versions = {
            key: version_for_submission(programme_id=programme.pk)
            for key, programme in self.programmes.items()
        }
        self.criteria, self.requirements = {}, {}
        for key, version in self.versions.items():
            probe = Application(programme_version=version)
            self.criteria[key] = list(criteria_for(probe))
            self.requirements[key] = list(requirements_for(probe, DocumentStage.APPLICATION))
        staff = {user.email: user for user in User.objects.filter(email__in=demo.DEMO_STAFF_EMAILS)}
        self.demo_reviewers = [staff[login.email] for login in demo.STAFF[:2]]
        self.demo_admins = [staff[demo.STAFF[2].email], staff[demo.SECOND_ADMIN.email]]

    def person_name(self) -> tuple[str, str]:
        """(first name, surname) of a man or a woman."""
        rng = self.rng
        surname = rng.choice(words.SURNAMES)
        if rng.random() < 0.5:
            return rng.choice(words.MALE_NAMES), surname
        if surname.endswith(("ov", "ev", "in")):
            surname += "a"
        return rng.choice(words.FEMALE_NAMES), surname

    def make_staff(self) -> None:
        """A panel of bulk reviewers, sized to the load, and two more programme admins."""
        reviewers = max(8, min(60, self.applications // 150))
        users = []
        for number in range(reviewers + 2):
            first, last = self.person_name()
            users.append(
                User(
                    email=f"{first}.{last}.{number}@staff{BULK_EMAIL_SUFFIX}".lower(),
                    full_name=f"{first} {last}",
                    role=Role.REVIEWER if number < reviewers else Role.PROGRAMME_ADMIN,
                    preferred_language=self.rng.choice(("en", "ru", "kk")),
                    password=make_password(None),
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        self.reviewers = users[:reviewers]
        self.admins = self.demo_admins + users[reviewers:]
        self.counts["staff"] = len(users)

    # --- what each application went through ---------------------------------------------------

    def make_plans(self) -> None:
        rng = self.rng
        states = [
            state for state, count in allocate(self.applications).items() for _ in range(count)
        ]
        rng.shuffle(states)
        self.organisation_count = max(1, self.applications * 2 // 5)
        self.plans = []
        activities = list(ActivityCategory.values)
        for index, state in enumerate(states):
            activity = rng.choice(activities)
            plan = Plan(
                index=index,
                state=state,
                programme="payments" if rng.random() < 0.3 else "nbk",
                organisation=rng.randrange(self.organisation_count),
                activity=activity,
                title=f"{rng.choice(words.PRODUCTS[activity])} for {rng.choice(words.MARKETS)}",
                created=self.now,
                quality=rng.uniform(1.6, 4.8),
            )
            self.timeline(plan)
            self.plans.append(plan)
        # Written in the order things happened, so ids follow time.
        self.plans.sort(key=lambda plan: (plan.created, plan.index))

    def wd(self, day: date, days: int) -> date:
        return _add_working_days(self.calendar, day, days)

    def ago(self, low: int, high: int) -> date:
        """A working day between `low` and `high` working days ago."""
        return self.wd(self.today, -self.rng.randint(low, high))

    def timeline(self, plan: Plan) -> None:
        """The date of every stage the application reached, anchored so the present is today."""
        rng, state = self.rng, plan.state
        if state == S.DRAFT:
            plan.created = self.at(self.today - timedelta(days=rng.randint(0, 18)))
            return
        if state == S.WITHDRAWN:
            reached = rng.choice((None, SUB, SCREEN, ELIG, EVAL))
            if reached is None:
                plan.withdrawn_on = self.today - timedelta(days=rng.randint(1, 200))
                plan.created = self.at(plan.withdrawn_on - timedelta(days=rng.randint(5, 60)))
                return
            anchor = self.ago(5, 400)
            plan.withdrawn_on = min(self.today, anchor + timedelta(days=rng.randint(1, 20)))
        else:
            reached = REACHED[state]
            anchor = self.anchor(state)
        plan.reached = reached
        plan.days[reached] = anchor
        for stage in range(reached - 1, SUB - 1, -1):
            plan.days[stage] = self.wd(plan.days[stage + 1], -rng.randint(*GAPS[stage]))
        plan.created = self.at(plan.days[SUB] - timedelta(days=rng.randint(5, 45)))
        if state in APPROVED_STATES:
            self.testing_dates(plan)

    def anchor(self, state: str) -> date:
        """The date the application reached its current stage."""
        if state == S.SUBMITTED:
            return self.ago(0, 8)
        if state == S.SCREENING:
            return self.ago(0, 8)
        if state in (S.ELIGIBILITY, S.EVALUATION, S.DECISION_PENDING):
            return self.ago(0, 24)
        if state == S.NOT_ELIGIBLE:
            return self.ago(10, 250)
        if state in (S.APPROVED, S.REJECTED, S.WAITLISTED):
            return self.ago(1, 150)
        # Participants: onboarding began some weeks before testing starts.
        return self.ago(1, 25)  # replaced in testing_dates for those past onboarding

    def testing_dates(self, plan: Plan) -> None:
        """Start and end of testing, and how (and when) the participation ended."""
        rng, state, today = self.rng, plan.state, self.today
        if state in (S.APPROVED, S.ONBOARDING):
            base = plan.days.get(ONBOARD, plan.days[CHECKED])
            starts = add_months(base.replace(day=1), rng.randint(1, 2))
        elif state in (S.TESTING, S.SUSPENDED):
            starts = add_months(today.replace(day=1), -rng.randint(0, 10))
        elif state == S.EXITING:
            starts = add_months(today.replace(day=1), -11)
        elif state == S.TERMINATED:
            starts = add_months(today.replace(day=1), -rng.randint(3, 18))
        else:
            starts = add_months(today.replace(day=1), -rng.randint(13, 26))
        plan.starts_on = starts
        plan.ends_on = end_of_testing(starts, 12)
        if state in PARTICIPATING:
            # Onboarding finished before testing; move the earlier stages to fit.
            plan.days[ONBOARD] = self.wd(starts, -rng.randint(10, 25))
            for stage in range(ONBOARD - 1, SUB - 1, -1):
                plan.days[stage] = self.wd(plan.days[stage + 1], -rng.randint(*GAPS[stage]))
            plan.created = self.at(plan.days[SUB] - timedelta(days=rng.randint(5, 45)))
        plan.closed_on = None
        if state == S.TERMINATED:
            plan.closed_on = min(today, starts + timedelta(days=rng.randint(45, 300)))
        elif state in (S.GRADUATED, S.EXITED):
            plan.closed_on = min(today, plan.ends_on + timedelta(days=rng.randint(10, 40)))
        if state in (S.EXITING, S.GRADUATED, S.EXITED):
            plan.exit_on = min(today, plan.ends_on - timedelta(days=rng.randint(0, 20)))
        if state == S.SUSPENDED:
            plan.suspended_on = max(starts, today - timedelta(days=rng.randint(1, 40)))

    def at(self, day: date, hour: int | None = None) -> datetime:
        """That day at a working hour (Almaty time), in UTC; never later than a second ago."""
        hour = self.rng.randint(9, 17) if hour is None else hour
        midnight = self.midnights.get(day)
        if midnight is None:
            midnight = timezone.make_aware(datetime.combine(day, time())).astimezone(UTC)
            self.midnights[day] = midnight
        moment = midnight + timedelta(
            hours=hour, minutes=self.rng.randint(0, 59), seconds=self.rng.randint(0, 59)
        )
        return min(moment, self.latest)

    # --- organisations and their people ------------------------------------------------------

    def make_organisations(self) -> None:
        rng = self.rng
        taken = set(Organisation.objects.exclude(bin=None).values_list("bin", flat=True))
        organisations, self.owners = [], []
        for number in range(self.organisation_count):
            stem, trade = rng.choice(words.FIRM_STEMS), rng.choice(words.FIRM_TRADES)
            en_form, ru_form, kk_form, legal_form = rng.choice(words.FIRM_FORMS)
            city, postcode = rng.choice(words.CITIES)
            organisations.append(
                Organisation(
                    legal_name_en=f"{stem[0]} {trade[0]} {en_form}",
                    legal_name_ru=f"{ru_form} «{stem[1]} {trade[1]}»",
                    legal_name_kk=f"«{stem[2]} {trade[2]}» {kk_form}",
                    legal_form=legal_form,
                    bin=self.new_bin(taken),
                    address=f"{rng.choice(words.STREETS)} {rng.randint(1, 180)}, office "
                    f"{rng.randint(1, 40)}, {city} {postcode}{rng.randint(10, 99)}",
                    website=f"https://{(stem[0] + trade[0]).lower().replace(' ', '')}-{number}.kz",
                )
            )
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        users, people = [], []
        for number, organisation in enumerate(organisations):
            first, last = self.person_name()
            slug = organisation.legal_name_en.rsplit(" ", 1)[0].lower().replace(" ", "")
            users.append(
                User(
                    email=f"{first}.{last}@{slug}-{number}{BULK_EMAIL_SUFFIX}".lower(),
                    full_name=f"{first} {last}",
                    role=Role.APPLICANT,
                    organisation=organisation,
                    is_organisation_admin=True,
                    joined_organisation_at=self.now,
                    preferred_language=rng.choice(("en", "ru", "kk")),
                    password=make_password(None),
                )
            )
            roles = [PersonRole.CEO, PersonRole.PRIMARY_CONTACT, PersonRole.AUTHORISED_SIGNATORY]
            people.append(
                Person(
                    organisation=organisation,
                    full_name=f"{first} {last}",
                    roles=[*roles, PersonRole.BENEFICIAL_OWNER],
                    email=users[-1].email,
                    phone=f"+7 7{rng.randint(0, 9)}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    iin=self.new_iin(first in words.FEMALE_NAMES),
                    nationality="KZ",
                    ownership_pct=Decimal(rng.choice(("51.00", "60.00", "75.00", "100.00"))),
                )
            )
            officer_first, officer_last = self.person_name()
            people.append(
                Person(
                    organisation=organisation,
                    full_name=f"{officer_first} {officer_last}",
                    roles=[PersonRole.COMPLIANCE_OFFICER],
                    nationality="KZ",
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        Person.objects.bulk_create(people, batch_size=BATCH)
        self.organisations, self.owners = organisations, users
        self.counts.update(
            organisations=len(organisations), applicants=len(users), people=len(people)
        )

    def new_bin(self, taken: set) -> str:
        """A valid BIN no organisation has: registered 2018-2025, resident legal entity, head office."""
        while True:
            stem = f"{self.rng.randint(18, 25):02d}{self.rng.randint(1, 12):02d}40{self.rng.randint(0, 99999):05d}"
            digit = check_digit(stem)
            if digit is not None and (candidate := f"{stem}{digit}") not in taken:
                taken.add(candidate)
                return candidate

    def new_iin(self, female: bool) -> str:
        while True:
            born = date(1965, 1, 1) + timedelta(days=self.rng.randint(0, 12000))
            century = (5 if born.year >= 2000 else 3) + int(female)
            stem = f"{born:%y%m%d}{century}{self.rng.randint(0, 9999):04d}"
            if (digit := check_digit(stem)) is not None:
                return f"{stem}{digit}"

    # --- cohorts ------------------------------------------------------------------------------

    def make_cohorts(self) -> None:
        """Back-to-back intake windows for each programme, from the oldest submission to an
        intake open today; each application falls in the window it was submitted (or started) in."""
        offsets = {"nbk": 20, "payments": 50}  # days the current window has been open
        windows = defaultdict(Counter)  # (programme, k) -> state counts; k=0 is the current window
        for plan in self.plans:
            day = plan.days.get(SUB, timezone.localtime(plan.created).date())
            current_opens = self.today - timedelta(days=offsets[plan.programme])
            plan.window = max(0, math.ceil((current_opens - day).days / COHORT_DAYS))
            windows[plan.programme, plan.window][plan.state] += 1
        cities = [city for city, _postcode in words.CITIES]
        cohorts, names = {}, set(Cohort.objects.values_list("programme_id", "name"))
        for key in sorted(windows, key=lambda item: (item[0], -item[1])):
            programme_key, k = key
            programme = self.programmes[programme_key]
            opens_on = self.today - timedelta(days=offsets[programme_key] + k * COHORT_DAYS)
            opens_at = timezone.make_aware(datetime.combine(opens_on, time(9)))
            closes_at = opens_at + timedelta(days=COHORT_DAYS)
            seq = 1 + sum(1 for other in cohorts.values() if other.programme_id == programme.pk
                          and other.opens_at.year == opens_at.year)  # fmt: skip
            name = f"{opens_on.year}-{seq} {cities[(k * 5 + len(programme_key)) % len(cities)]}"
            while (programme.pk, name) in names:
                name += " II"
            names.add((programme.pk, name))
            admitted = sum(windows[key][state] for state in APPROVED_STATES)
            cohorts[key] = Cohort(
                programme=programme,
                name=name,
                zone_tag=self.rng.choice(("Astana Hub", "CryptoCity / Alatau", "AIFC")),
                opens_at=opens_at,
                closes_at=closes_at,
                capacity=min(32000, max(20, admitted + 5)),
                opening_recorded_at=opens_at if opens_at <= self.now else None,
                closing_recorded_at=closes_at if closes_at <= self.now else None,
            )
        Cohort.objects.bulk_create(list(cohorts.values()), batch_size=BATCH)
        self.cohorts = cohorts
        # Panels: every bulk reviewer sits on a few panels; the demo staff on all of them.
        through = Cohort.panel.through
        rows = []
        panel_size = min(len(self.reviewers), 12)
        self.panels = {}
        for cohort in cohorts.values():
            panel = self.rng.sample(self.reviewers, panel_size)
            self.panels[cohort.pk] = panel
            members = {user.pk for user in panel + self.demo_reviewers + self.demo_admins}
            rows += [through(cohort_id=cohort.pk, user_id=pk) for pk in sorted(members)]
        through.objects.bulk_create(rows, batch_size=BATCH)
        for plan in self.plans:
            plan.cohort = cohorts[plan.programme, plan.window]
        self.counts["cohorts"] = len(cohorts)

    # --- applications -------------------------------------------------------------------------

    def make_applications(self) -> None:
        rng = self.rng
        sequences = {row.year: row for row in ReferenceSequence.objects.select_for_update()}
        rows = []
        submitted = sorted(
            (plan for plan in self.plans if plan.reached is not None),
            key=lambda plan: (plan.days[SUB], plan.index),
        )
        for plan in submitted:
            plan.submitted_at = self.at(plan.days[SUB])
            year = timezone.localtime(plan.submitted_at).year
            sequence = sequences.get(year) or ReferenceSequence(year=year, last_number=0)
            sequences[year] = sequence
            sequence.last_number += 1
            plan.reference = f"{PREFIX}-{year}-{sequence.last_number:05d}"
        for plan in self.plans:
            owner = self.owners[plan.organisation]
            application = Application(
                organisation=self.organisations[plan.organisation],
                cohort=plan.cohort,
                created_by=owner,
                state=plan.state,
                title=plan.title,
                activity_category=plan.activity,
                created_at=plan.created,
                updated_at=plan.created,
            )
            if plan.reached is None:
                self.draft_answers(application, plan)
            else:
                self.submitted_answers(application, plan, owner)
            if plan.state == S.WITHDRAWN:
                application.withdrawn_at = self.at(plan.withdrawn_on)
                application.withdrawal_reason = rng.choice(words.WITHDRAWAL_REASONS)
                application.updated_at = application.withdrawn_at
            plan.application = application
            rows.append(application)
        with backdated(Application):
            Application.objects.bulk_create(rows, batch_size=BATCH)
        for year, sequence in sequences.items():
            ReferenceSequence.objects.update_or_create(
                year=year, defaults={"last_number": sequence.last_number}
            )
        for plan in self.plans:
            application = plan.application
            self.event(plan.created, EventKind.APPLICATION_CREATED, application.created_by_id,
                       plan, data={"cohort": plan.cohort.name}, visible=True)  # fmt: skip
            if plan.reached is not None:
                self.stage_events(plan)
        self.counts["applications"] = len(rows)
        self.counts.update(f"state {plan.state}" for plan in self.plans)

    def draft_answers(self, application: Application, plan: Plan) -> None:
        application.track = Track.TESTING
        application.summary = self.rng.choice(words.SUMMARIES)

    def submitted_answers(self, application: Application, plan: Plan, owner: User) -> None:
        rng = self.rng
        for name, value in ANSWERS.items():
            setattr(application, name, value)
        application.summary = rng.choice(words.SUMMARIES)
        application.max_clients = rng.choice((100, 300, 500, 1000, 5000))
        application.max_per_client_amount = Decimal(rng.choice((200000, 500000, 1000000)))
        application.max_aggregate_amount = (
            application.max_per_client_amount * application.max_clients
        )
        application.reference = plan.reference
        application.submitted_at = plan.submitted_at
        application.declarations_accepted_at = plan.submitted_at
        application.declarations_accepted_by = owner
        application.programme_version = self.versions[plan.programme]
        if plan.reached >= SCREEN:
            application.case_officer = self.case_officer(plan)
        stage = plan.reached if plan.state not in (S.WITHDRAWN, S.NOT_ELIGIBLE) else None
        if stage in CLOCK_OF_STAGE:
            clock_start = plan.days[SUB] if stage in (SUB, SCREEN) else plan.days[stage]
            start_clock(application, CLOCK_OF_STAGE[stage], on=clock_start, calendar=self.calendar)
        elif plan.state in (S.APPROVED, S.REJECTED, S.WAITLISTED):
            plan.released_on = None
            if plan.days[CHECKED] < self.wd(self.today, -20) or rng.random() < 0.5:
                plan.released_on = min(
                    self.today, self.wd(plan.days[CHECKED], rng.randint(*GAPS[CHECKED]))
                )
                application.decision_released_at = self.at(plan.released_on)
            else:
                # Confirmed quietly: the decision clock runs until the batch is released.
                start_clock(
                    application, ClockStage.DECISION, on=plan.days[DP], calendar=self.calendar
                )
        if plan.state in (*APPROVED_STATES[1:],):
            plan.released_on = plan.days[RELEASED]
            application.decision_released_at = self.at(plan.released_on)
        if plan.state == S.NOT_ELIGIBLE:
            application.not_eligible_reasons = rng.choice(words.NOT_ELIGIBLE_REASONS)
            plan.proposed_on = min(self.today, self.wd(plan.days[ELIG], rng.randint(3, 8)))
            application.not_eligible_proposed_at = self.at(plan.proposed_on)
            application.not_eligible_proposed_by = application.case_officer
            plan.confirmed_on = min(self.today, self.wd(plan.proposed_on, rng.randint(1, 3)))
        application.updated_at = plan.submitted_at

    def case_officer(self, plan: Plan) -> User:
        """The demo's staff handle a share of the cases; bulk reviewers the rest."""
        share = plan.index % 9
        if share == 1:
            return self.demo_reviewers[0]
        if share == 4:
            return self.demo_reviewers[1]
        if share == 7:
            return self.demo_admins[0]
        return self.rng.choice(self.reviewers)

    def stage_events(self, plan: Plan) -> None:
        """The moves up to the decision, each at the date the plan gives it."""
        application, days = plan.application, plan.days
        owner = application.created_by_id
        self.event(plan.submitted_at, EventKind.APPLICATION_SUBMITTED, owner, plan, visible=True,
                   data={"from": S.DRAFT, "to": S.SUBMITTED, "reference": application.reference,
                         "programme_version": application.programme_version.number})  # fmt: skip
        officer = application.case_officer_id
        moves = (
            (SCREEN, EventKind.SCREENING_STARTED, S.SUBMITTED, S.SCREENING, True),
            (ELIG, EventKind.PACKAGE_COMPLETE, S.SCREENING, S.ELIGIBILITY, True),
            (EVAL, EventKind.FOUND_ELIGIBLE, S.ELIGIBILITY, S.EVALUATION, True),
            (DP, EventKind.EVALUATION_COMPLETED, S.EVALUATION, S.DECISION_PENDING, True),
        )
        for stage, kind, before, after, visible in moves:
            if plan.reached >= stage and stage in days and stage > SUB:
                if plan.state == S.NOT_ELIGIBLE and stage > ELIG:
                    break
                actor = self.demo_admins[0].pk if stage == SCREEN else officer
                self.event(self.at(days[stage]), kind, actor, plan, visible=visible,
                           data={"from": before, "to": after})  # fmt: skip
        if plan.state == S.NOT_ELIGIBLE:
            self.event(application.not_eligible_proposed_at, EventKind.NOT_ELIGIBLE_PROPOSED,
                       officer, plan, data={"reasons": application.not_eligible_reasons})  # fmt: skip
            self.event(self.at(plan.confirmed_on), EventKind.NOT_ELIGIBLE_CONFIRMED,
                       self.admins[1].pk, plan, visible=True,
                       data={"from": S.ELIGIBILITY, "to": S.NOT_ELIGIBLE,
                             "reasons": application.not_eligible_reasons})  # fmt: skip
        if plan.state == S.WITHDRAWN:
            self.event(application.withdrawn_at, EventKind.APPLICATION_WITHDRAWN, owner, plan,
                       visible=True, data={"from": self.withdrawn_from(plan), "to": S.WITHDRAWN,
                                           "reason": application.withdrawal_reason})  # fmt: skip

    def withdrawn_from(self, plan: Plan) -> str:
        return {None: S.DRAFT, SUB: S.SUBMITTED, SCREEN: S.SCREENING, ELIG: S.ELIGIBILITY,
                EVAL: S.EVALUATION}[plan.reached]  # fmt: skip

    # --- documents ----------------------------------------------------------------------------

    def make_documents(self) -> None:
        rng = self.rng
        documents, versions, contents = [], [], []
        for plan in self.plans:
            requirements = self.requirements[plan.programme]
            mandatory = [r for r in requirements if r.mandatory]
            optional = [r for r in requirements if not r.mandatory]
            if plan.reached is None:
                chosen = rng.sample(mandatory, rng.randint(0, 3))
            else:
                chosen = rng.sample(mandatory, DOCUMENTS_PER_APPLICATION)
                if rng.random() < 0.1:
                    chosen.append(rng.choice(optional))
            application = plan.application
            # Uploaded between starting the draft and submitting it (or withdrawing, or now).
            end = plan.submitted_at if plan.reached is not None else self.now
            if plan.withdrawn_on is not None and plan.reached is None:
                end = application.withdrawn_at
            window = max(60, int((end - plan.created).total_seconds()) - 60)
            for requirement in chosen:
                uploaded = plan.created + timedelta(seconds=rng.randint(30, window // 2))
                document = Document(
                    application=application, requirement=requirement, created_at=uploaded
                )
                if plan.reached is not None and plan.reached >= ELIG:
                    document.screening = DocumentCheck.ACCEPTED
                    document.screened_by = application.case_officer
                    document.screened_at = self.at(plan.days[ELIG])
                documents.append(document)
                for number in range(1, 3 if rng.random() < 0.12 else 2):
                    lines = [
                        application.organisation.legal_name_en,
                        requirement.name_en,
                        f"Application: {application.title}",
                        f"Version {number}, {uploaded:%d.%m.%Y}",
                    ]
                    content = tiny_pdf(lines)
                    key = f"documents/{rng.getrandbits(128):032x}"
                    contents.append((key, content))
                    versions.append(
                        DocumentVersion(
                            document=document,
                            number=number,
                            storage_key=key,
                            original_name=f"{requirement.code}-v{number}.pdf",
                            content_type="application/pdf",
                            size=len(content),
                            sha256=hashlib.sha256(content).hexdigest(),
                            uploaded_by=application.created_by,
                            uploaded_at=uploaded,
                            scan_status=ScanStatus.CLEAN,
                            scanned_at=uploaded + timedelta(seconds=rng.randint(5, 90)),
                        )
                    )
                    uploaded += timedelta(seconds=rng.randint(30, window // 2))
        self.files.write(contents)  # in the background, while the rows are inserted
        with backdated(Document, DocumentVersion):
            Document.objects.bulk_create(documents, batch_size=BATCH)
            DocumentVersion.objects.bulk_create(versions, batch_size=BATCH)
        for version in versions:
            application = version.document.application
            self.event(version.uploaded_at, EventKind.DOCUMENT_UPLOADED, application.created_by_id,
                       application, visible=True, subject=f"document_version:{version.pk}",
                       data={"requirement": version.document.requirement.code,
                             "version": version.number, "sha256": version.sha256,
                             "size": version.size})  # fmt: skip
        self.counts.update(documents=len(documents), document_versions=len(versions))

    # --- requests for information -------------------------------------------------------------

    def make_rfis(self) -> None:
        rng = self.rng
        rows = []
        for plan in self.plans:
            application, reached = plan.application, plan.reached
            if reached is None or reached < SCREEN:
                continue
            open_now = plan.state in (S.SCREENING, S.ELIGIBILITY) and rng.random() < 0.2
            answered = (
                not open_now
                and reached >= ELIG
                and plan.state != S.WITHDRAWN
                and rng.random() < 0.25
            )
            if not (open_now or answered):
                continue
            stage = plan.state if open_now else None
            if open_now:
                start = plan.days[SCREEN if stage == S.SCREENING else ELIG]
                raised_on = min(self.today, self.wd(start, rng.randint(0, 3)))
            else:
                raised_on = self.wd(plan.days[ELIG], rng.randint(0, 2))
            due_on = self.wd(raised_on, self.programmes[plan.programme].rfi_answer_days)
            rfi = RequestForInformation(
                application=application,
                raised_by=application.case_officer,
                raised_at=self.at(raised_on),
                questions=rng.choice(words.RFI_QUESTIONS),
                due_on=due_on,
                state=RfiState.OPEN if open_now else RfiState.ANSWERED,
            )
            if open_now:
                pause_clock(application, on=raised_on)
            else:
                limit = min(
                    plan.days.get(EVAL, self.today),
                    getattr(plan, "confirmed_on", None) or self.today,
                )
                answered_on = min(limit, self.wd(raised_on, rng.randint(1, 8)))
                rfi.answer = rng.choice(words.RFI_ANSWERS)
                rfi.answered_by = application.created_by
                rfi.answered_at = self.at(answered_on, 16)
                if plan.state == S.ELIGIBILITY and application.clock_stage:
                    pause_clock(application, on=raised_on)
                    resume_clock(application, on=answered_on, calendar=self.calendar)
            rows.append(rfi)
        with backdated(RequestForInformation):
            RequestForInformation.objects.bulk_create(rows, batch_size=BATCH)
        paused = [
            rfi.application
            for rfi in rows
            if rfi.application.clock_paused_on or rfi.application.clock_paused_days
        ]
        Application.objects.bulk_update(
            paused, ["clock_due_on", "clock_paused_on", "clock_paused_days"], batch_size=BATCH
        )
        for rfi in rows:
            application = rfi.application
            self.event(rfi.raised_at, EventKind.RFI_RAISED, rfi.raised_by_id, application,
                       visible=True, subject=f"rfi:{rfi.pk}",
                       data={"due_on": rfi.due_on.isoformat()})  # fmt: skip
            if rfi.state == RfiState.ANSWERED:
                self.event(rfi.answered_at, EventKind.RFI_ANSWERED, rfi.answered_by_id,
                           application, visible=True, subject=f"rfi:{rfi.pk}", data={})  # fmt: skip
        self.counts["rfis"] = len(rows)
        self.counts["rfis open"] = sum(rfi.state == RfiState.OPEN for rfi in rows)

    # --- reviewers ----------------------------------------------------------------------------

    def make_reviews(self) -> None:
        rng = self.rng
        assignments, conflicts, reviews = [], [], []
        for plan in self.plans:
            if plan.reached is None or plan.reached < ELIG:
                continue
            application = plan.application
            panel = self.panels[plan.cohort.pk]
            chosen = rng.sample(panel, min(REVIEWERS_PER_APPLICATION, len(panel)))
            if plan.index % 6 in (0, 3):
                demo_reviewer = self.demo_reviewers[0 if plan.index % 6 == 0 else 1]
                chosen[0] = demo_reviewer
            assigned_at = self.at(plan.days[ELIG])
            for position, reviewer in enumerate(chosen):
                declaration, declared_at, reason = Declaration.NO_CONFLICT, None, ""
                if plan.state == S.ELIGIBILITY and rng.random() < 0.3:
                    declaration = Declaration.PENDING
                elif rng.random() < 0.05 and reviewer not in self.demo_reviewers:
                    declaration, reason = Declaration.RECUSED, rng.choice(words.RECUSAL_REASONS)
                if declaration != Declaration.PENDING:
                    # Within a few working hours to three days of the assignment.
                    later = timedelta(minutes=rng.randint(20, 4300))
                    declared_at = min(self.latest, assigned_at + later)
                assignment = ReviewerAssignment(
                    application=application,
                    reviewer=reviewer,
                    assigned_by=self.demo_admins[position % 2],
                    assigned_at=assigned_at,
                    declaration=declaration,
                    declared_at=declared_at,
                    recusal_reason=reason,
                )
                assignments.append(assignment)
                if declaration == Declaration.RECUSED:
                    conflicts.append(
                        ConflictOfInterest(
                            reviewer=reviewer,
                            organisation=application.organisation,
                            relation=rng.choice(
                                (
                                    ConflictRelation.ADVISORY,
                                    ConflictRelation.EMPLOYMENT,
                                    ConflictRelation.FAMILY,
                                )
                            ),
                            details=reason,
                            created_at=declared_at,
                        )
                    )
                review = self.review(plan, reviewer, declaration)
                if review is not None:
                    reviews.append(review)
        with backdated(ReviewerAssignment, ConflictOfInterest, Review):
            ReviewerAssignment.objects.bulk_create(assignments, batch_size=BATCH)
            ConflictOfInterest.objects.bulk_create(conflicts, batch_size=BATCH)
            Review.objects.bulk_create(reviews, batch_size=BATCH)
        total_scores = insert_rows(
            CriterionScore,
            ("review_id", "criterion_id", "score", "gate_met", "rationale"),
            ((review.pk, *row) for review in reviews for row in review.score_rows),
        )
        for assignment in assignments:
            application = assignment.application
            self.event(assignment.assigned_at, EventKind.REVIEWER_ASSIGNED, assignment.assigned_by_id,
                       application, subject=f"assignment:{assignment.pk}",
                       data={"reviewer": assignment.reviewer_id})  # fmt: skip
            if assignment.declaration == Declaration.NO_CONFLICT:
                self.event(assignment.declared_at, EventKind.CONFLICT_DECLARED, assignment.reviewer_id,
                           application, subject=f"assignment:{assignment.pk}", data={})  # fmt: skip
            elif assignment.declaration == Declaration.RECUSED:
                self.event(assignment.declared_at, EventKind.REVIEWER_RECUSED, assignment.reviewer_id,
                           application, subject=f"assignment:{assignment.pk}",
                           data={"reason": assignment.recusal_reason})  # fmt: skip
        for review in reviews:
            if review.state == ReviewState.SUBMITTED:
                self.event(review.submitted_at, EventKind.REVIEW_SUBMITTED, review.reviewer_id,
                           review.application, subject=f"review:{review.pk}",
                           data={"weighted_score": str(review.weighted_score),
                                 "recommendation": review.recommendation})  # fmt: skip
        self.counts.update(
            assignments=len(assignments), conflicts=len(conflicts), reviews=len(reviews),
            criterion_scores=total_scores,
        )  # fmt: skip
        self.counts["reviews submitted"] = sum(r.state == ReviewState.SUBMITTED for r in reviews)

    def review(self, plan: Plan, reviewer: User, declaration: str) -> Review | None:
        """A submitted review when the evaluation is over, a submitted, drafted or no review
        while it runs; none without a declaration of no conflict."""
        rng, state = self.rng, plan.state
        if declaration != Declaration.NO_CONFLICT or plan.reached < EVAL:
            return None
        if plan.state == S.NOT_ELIGIBLE:
            return None
        if plan.reached == EVAL:  # in evaluation, or withdrawn during it
            roll = rng.random()
            if roll < 0.25:
                return None
            submitted = roll < 0.65
        else:
            submitted = True
        criteria = self.criteria[plan.programme]
        quality = plan.quality
        if state in APPROVED_STATES:
            quality = max(quality, 3.4)
        elif state in (S.REJECTED,):
            quality = min(quality, 2.6)
        scores = [max(1, min(5, round(rng.gauss(quality, 0.8)))) for _criterion in criteria]
        total = sum(c.weight for c in criteria)
        weighted = sum(s * c.weight for s, c in zip(scores, criteria, strict=True)) / total
        recommendation = "proceed" if weighted >= 3 else "reject"
        started = plan.days[EVAL]
        end = plan.days.get(DP) or plan.withdrawn_on or self.today
        submitted_on = min(
            self.today,
            self.wd(started, rng.randint(1, max(1, _wd_between(self.calendar, started, end)))),
        )
        created = self.at(self.wd(started, 0))
        review = Review(
            application=plan.application,
            reviewer=reviewer,
            state=ReviewState.SUBMITTED if submitted else ReviewState.DRAFT,
            recommendation=recommendation,
            summary=rng.choice(words.REVIEW_SUMMARIES[recommendation]),
            weighted_score=Decimal(f"{weighted:.2f}") if submitted else None,
            revision=rng.randint(1, 6),
            created_at=created,
            updated_at=max(created, self.at(submitted_on)),
            submitted_at=max(created, self.at(submitted_on)) if submitted else None,
        )
        # (criterion, score, gate met, rationale), written once the review has its id.
        review.score_rows = [
            (
                criterion.pk,
                score,
                (score > 1) if criterion.is_gate else None,
                rng.choice(words.RATIONALES) if score <= 2 or rng.random() < 0.3 else "",
            )
            for criterion, score in zip(criteria, scores, strict=True)
        ]
        return review

    # --- decisions, participations, reports ----------------------------------------------------

    def make_decisions(self) -> None:
        rng = self.rng
        decisions = []
        yesterday = self.wd(self.today, -1)
        for plan in self.plans:
            # Some proposals made (on a working day before today) and awaiting the second admin.
            waiting = plan.state == S.DECISION_PENDING and plan.days[DP] < yesterday
            if waiting and rng.random() < 0.4:
                decisions.append(self.decision(plan, proposed_only=True))
            elif plan.reached is not None and plan.reached >= CHECKED and plan.state != S.WITHDRAWN:
                decisions.append(self.decision(plan, proposed_only=False))
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        reasons, participations = [], []
        for decision in decisions:
            reasons += [
                DecisionReason(decision=decision, criterion=criterion, text=text)
                for criterion, text in decision.reason_rows
            ]
            plan = decision.plan
            if decision.state == DecisionState.CONFIRMED and decision.outcome in (
                DecisionOutcome.APPROVED, DecisionOutcome.APPROVED_WITH_CONDITIONS,
            ):  # fmt: skip
                participations.append(self.participation(plan, decision))
        DecisionReason.objects.bulk_create(reasons, batch_size=5000)
        with backdated(Participation):
            Participation.objects.bulk_create(participations, batch_size=BATCH)
        conditions, reports = [], []
        for participation in participations:
            conditions += self.onboarding_conditions(participation)
            reports += self.reports(participation)
        OnboardingCondition.objects.bulk_create(conditions, batch_size=5000)
        Report.objects.bulk_create(reports, batch_size=5000)
        self.decision_events(decisions)
        self.participation_events(participations, conditions, reports)
        self.counts.update(
            decisions=len(decisions), decision_reasons=len(reasons),
            participations=len(participations), onboarding_conditions=len(conditions),
            reports=len(reports),
        )  # fmt: skip
        self.counts["decisions released"] = sum(d.released_at is not None for d in decisions)
        self.counts["decisions awaiting a second admin"] = sum(
            d.state == DecisionState.PROPOSED for d in decisions
        )

    def decision(self, plan: Plan, *, proposed_only: bool) -> Decision:
        rng, state = self.rng, plan.state
        outcome = {
            S.REJECTED: DecisionOutcome.REJECTED,
            S.WAITLISTED: DecisionOutcome.WAITLISTED,
        }.get(state)
        if outcome is None:
            outcome = rng.choice(
                (DecisionOutcome.APPROVED, DecisionOutcome.APPROVED_WITH_CONDITIONS)
            )
        maker, checker = rng.sample(self.admins, 2)
        proposed_on = plan.days.get(PROPOSED) or min(
            self.wd(self.today, -1), self.wd(plan.days[DP], rng.randint(1, 5))
        )
        approval = outcome in (DecisionOutcome.APPROVED, DecisionOutcome.APPROVED_WITH_CONDITIONS)
        starts_on = getattr(plan, "starts_on", None) or add_months(proposed_on.replace(day=1), 2)
        per_client = Decimal(rng.choice((200000, 500000, 1000000)))
        decision = Decision(
            application=plan.application,
            outcome=outcome,
            state=DecisionState.PROPOSED,
            summary=(
                "Meets every gate criterion; the test plan is proportionate."
                if approval
                else "Does not meet the gate criteria; see the reasons per criterion."
            ),
            conditions="Appoint a full-time MLRO"
            if outcome == DecisionOutcome.APPROVED_WITH_CONDITIONS
            else "",
            made_by=maker,
            made_at=self.at(proposed_on),
        )
        if approval:
            decision.starts_on = starts_on
            decision.duration_months = 12
            decision.max_clients = rng.choice((200, 500, 1000, 3000))
            decision.currency = Currency.KZT
            decision.max_per_client_amount = per_client
            decision.max_aggregate_amount = per_client * decision.max_clients
            decision.geography = rng.choice(
                ("Astana and Almaty", "Kazakhstan", "Almaty", "CryptoCity / Alatau")
            )
        if not proposed_only:
            decision.state = DecisionState.CONFIRMED
            decision.checked_by = checker
            decision.checked_at = max(decision.made_at, self.at(plan.days[CHECKED]))
            released_on = getattr(plan, "released_on", None)
            if released_on is not None:
                decision.released_at = max(
                    decision.checked_at, plan.application.decision_released_at
                )
                decision.released_by = maker
        elif rng.random() < 0.25:
            decision.state = DecisionState.SENT_BACK
            decision.checked_by = checker
            decision.checked_at = min(
                self.now - timedelta(seconds=1),
                decision.made_at + timedelta(hours=rng.randint(2, 40)),
            )
            decision.check_comment = "Tie the reasons to the reviewers' scores and name the limits."
        gates = [c for c in self.criteria[plan.programme] if c.is_gate]
        decision.reason_rows = [
            (
                criterion,
                "Met: " + criterion.guidance_en
                if approval
                else "Not met: " + criterion.guidance_en,
            )
            for criterion in gates
        ]
        decision.plan = plan
        return decision

    def participation(self, plan: Plan, decision: Decision) -> Participation:
        rng, state = self.rng, plan.state
        participation = Participation(
            application=plan.application,
            decision=decision,
            starts_on=decision.starts_on,
            ends_on=end_of_testing(decision.starts_on, decision.duration_months),
            max_clients=decision.max_clients,
            currency=decision.currency,
            max_per_client_amount=decision.max_per_client_amount,
            max_aggregate_amount=decision.max_aggregate_amount,
            geography=decision.geography,
            created_at=decision.checked_at,
        )
        if state in PARTICIPATING:
            participation.testing_started_at = self.at(
                max(decision.starts_on, plan.days[ONBOARD] + timedelta(days=1)), 10
            )
        if state == S.SUSPENDED:
            participation.suspension_reason = (
                "Limit breach reported; testing paused until the cause is fixed."
            )
        if state == S.TERMINATED:
            reason = "Repeated breaches of the client limit."
            participation.termination_reason = reason
            participation.exit_route, participation.exit_trigger = ExitRoute.TERMINATED, reason
            participation.exited_at = self.at(plan.closed_on)
        if state in (S.EXITING, S.GRADUATED, S.EXITED):
            participation.exit_route = (
                ExitRoute.GRADUATED
                if state != S.EXITED
                else rng.choice(
                    (ExitRoute.CEASED, ExitRoute.VOLUNTARY, ExitRoute.CLIENTS_TRANSFERRED)
                )
            )
            participation.exit_trigger = "The testing period ended."
        if state in (S.GRADUATED, S.EXITED):
            participation.exited_at = self.at(plan.closed_on)
        participation.plan = plan
        return participation

    def onboarding_conditions(self, participation: Participation) -> list[OnboardingCondition]:
        plan, rng = participation.plan, self.rng
        if plan.state == S.APPROVED:
            return []
        items = [(kind, str(text)) for kind, text in STANDARD_CONDITIONS]
        items += [
            (OnboardingItem.DECISION_CONDITION, line)
            for line in participation.decision.condition_lines
        ]
        rows = []
        met_until = len(items) if plan.state != S.ONBOARDING else rng.randint(0, len(items) - 1)
        for position, (kind, text) in enumerate(items):
            met = position < met_until
            met_on = min(self.today, self.wd(plan.days[ONBOARD], position + 1))
            rows.append(
                OnboardingCondition(
                    participation=participation,
                    kind=kind,
                    text=text,
                    position=position,
                    met_at=self.at(met_on) if met else None,
                    met_by=self.admins[position % 2] if met else None,
                    evidence_note="Original seen and filed." if met else "",
                )
            )
        return rows

    def reports(self, participation: Participation) -> list[Report]:
        """The reporting schedule; reports whose period is over are mostly filed and accepted,
        the newest filed awaiting review, a few owed past their due date."""
        plan, rng, today = participation.plan, self.rng, self.today
        if plan.state not in PARTICIPATING:
            return []
        owner = plan.application.created_by
        rows = []
        stop = plan.closed_on or today
        for item in _schedule(self.calendar, participation.starts_on, participation.ends_on):
            report = Report(
                participation=participation,
                kind=item.kind,
                period_start=item.period_start,
                period_end=item.period_end,
                due_on=item.due_on,
            )
            if plan.state == S.TERMINATED and item.period_end >= stop:
                continue
            if item.period_end < stop:
                self.settle(report, owner, closed=plan.state in (S.GRADUATED, S.EXITED))
            rows.append(report)
        if plan.state in (S.EXITING, S.GRADUATED, S.EXITED):
            due_on = self.wd(plan.exit_on, FINAL_REPORT_WORKING_DAYS)
            final = Report(participation=participation, kind=ReportKind.FINAL, due_on=due_on)
            if plan.state != S.EXITING or rng.random() < 0.5:
                final.period_end = plan.exit_on - timedelta(days=1)  # filed after the exit began
                self.fill(final, owner, min(today, due_on, plan.closed_on or today),
                          accepted=plan.state != S.EXITING)  # fmt: skip
                final.period_end = None
            rows.append(final)
        return rows

    def settle(self, report: Report, owner: User, *, closed: bool) -> None:
        """Where a report whose period is over stands: most accepted, the newest filed and
        awaiting review, a few owed past their due date."""
        roll, today, due_on = self.rng.random(), self.today, report.due_on
        if closed or (due_on < today - timedelta(days=30) and roll < 0.9):
            self.fill(report, owner, due_on, accepted=True)
        elif due_on < today - timedelta(days=30) and roll < 0.95:
            self.fill(report, owner, due_on, accepted=False)
        elif due_on < today - timedelta(days=30):
            return  # owed, overdue
        elif due_on < today and roll < 0.5:
            self.fill(report, owner, due_on, accepted=roll < 0.3)
        elif due_on < today and roll < 0.85:
            self.fill(report, owner, due_on, accepted=False)
        elif due_on >= today and roll < 0.4:
            self.fill(report, owner, today, accepted=False)

    def fill(self, report: Report, owner: User, by: date, *, accepted: bool) -> None:
        """Filed on a day after its period and by `by`; accepted a few days later."""
        rng = self.rng
        earliest = (report.period_end or by) + timedelta(days=1)
        filed_on = min(self.today, max(earliest, by - timedelta(days=rng.randint(0, 8))))
        report.state = ReportState.ACCEPTED if accepted else ReportState.FILED
        report.active_clients = rng.randint(10, 900)
        report.transactions_count = report.active_clients * rng.randint(2, 30)
        report.transactions_volume = Decimal(report.transactions_count * rng.randint(5000, 90000))
        report.complaints = rng.choice((0, 0, 0, 1, 2))
        report.incidents = rng.choice((0, 0, 0, 0, 1))
        report.limit_breaches = 0
        report.narrative = demo.REPORT_NARRATIVE
        report.filed_by = owner
        report.filed_at = self.at(filed_on)
        if accepted:
            reviewed_on = min(self.today, filed_on + timedelta(days=rng.randint(1, 7)))
            report.reviewed_by = self.admins[rng.randrange(len(self.admins))]
            report.reviewed_at = max(report.filed_at, self.at(reviewed_on))

    def decision_events(self, decisions: list[Decision]) -> None:
        for decision in decisions:
            application = decision.application
            subject = f"decision:{decision.pk}"
            self.event(decision.made_at, EventKind.DECISION_PROPOSED, decision.made_by_id,
                       application, subject=subject,
                       data={"decision": decision.pk, "outcome": decision.outcome})  # fmt: skip
            if decision.state == DecisionState.SENT_BACK:
                self.event(decision.checked_at, EventKind.DECISION_SENT_BACK, decision.checked_by_id,
                           application, subject=subject,
                           data={"decision": decision.pk, "comment": decision.check_comment})  # fmt: skip
            if decision.state != DecisionState.CONFIRMED:
                continue
            target = {
                DecisionOutcome.REJECTED: S.REJECTED,
                DecisionOutcome.WAITLISTED: S.WAITLISTED,
            }
            self.event(decision.checked_at, EventKind.DECISION_CONFIRMED, decision.checked_by_id,
                       application, data={"from": S.DECISION_PENDING,
                                          "to": target.get(decision.outcome, S.APPROVED),
                                          "decision": decision.pk, "outcome": decision.outcome,
                                          "maker": decision.made_by_id})  # fmt: skip
            if decision.released_at is not None:
                self.event(decision.released_at, EventKind.DECISION_RELEASED, decision.released_by_id,
                           application, visible=True, subject=subject,
                           data={"decision": decision.pk, "outcome": decision.outcome})  # fmt: skip

    def participation_events(self, participations, conditions, reports) -> None:
        admin = self.demo_admins[1].pk
        for participation in participations:
            plan = participation.plan
            application = plan.application
            if plan.state == S.APPROVED:
                continue
            self.event(self.at(plan.days[ONBOARD]), EventKind.ONBOARDING_STARTED, admin, application,
                       visible=True, data={"from": S.APPROVED, "to": S.ONBOARDING})  # fmt: skip
            if participation.testing_started_at:
                scheduled = sum(
                    1
                    for _item in _schedule(
                        self.calendar, participation.starts_on, participation.ends_on
                    )
                )
                self.event(participation.testing_started_at, EventKind.TESTING_STARTED, admin,
                           application, visible=True,
                           data={"from": S.ONBOARDING, "to": S.TESTING,
                                 "reports_scheduled": scheduled})  # fmt: skip
            if plan.state == S.SUSPENDED:
                self.event(self.at(plan.suspended_on), EventKind.TESTING_SUSPENDED, admin, application,
                           visible=True, data={"from": S.TESTING, "to": S.SUSPENDED,
                                               "reason": participation.suspension_reason})  # fmt: skip
            if plan.state == S.TERMINATED:
                self.event(participation.exited_at, EventKind.PARTICIPATION_TERMINATED, admin,
                           application, visible=True,
                           data={"from": S.TESTING, "to": S.TERMINATED,
                                 "reason": participation.termination_reason})  # fmt: skip
            if plan.state in (S.EXITING, S.GRADUATED, S.EXITED):
                self.event(self.at(plan.exit_on), EventKind.EXIT_STARTED, admin, application,
                           visible=True, data={"from": S.TESTING, "to": S.EXITING,
                                               "route": participation.exit_route,
                                               "trigger": participation.exit_trigger})  # fmt: skip
            if plan.state in (S.GRADUATED, S.EXITED):
                kind = (
                    EventKind.PARTICIPANT_GRADUATED
                    if plan.state == S.GRADUATED
                    else EventKind.PARTICIPANT_EXITED
                )
                self.event(participation.exited_at, kind, admin, application, visible=True,
                           data={"from": S.EXITING, "to": plan.state})  # fmt: skip
        for condition in conditions:
            if condition.met_at:
                self.event(condition.met_at, EventKind.CONDITION_MET, condition.met_by_id,
                           condition.participation.application, visible=True,
                           subject=f"onboarding_condition:{condition.pk}",
                           data={"condition": condition.kind, "text": condition.text})  # fmt: skip
        for report in reports:
            application = report.participation.application
            if report.filed_at:
                self.event(report.filed_at, EventKind.REPORT_FILED, report.filed_by_id, application,
                           visible=True, subject=f"report:{report.pk}", data={"kind": report.kind})  # fmt: skip
            if report.reviewed_at:
                self.event(report.reviewed_at, EventKind.REPORT_ACCEPTED, report.reviewed_by_id,
                           application, visible=True, subject=f"report:{report.pk}",
                           data={"kind": report.kind})  # fmt: skip

    # --- the audit trail ----------------------------------------------------------------------

    def event(self, at: datetime, kind, actor_id, target, *, data: dict, visible: bool = False,
              subject: str = "") -> None:  # fmt: skip
        application = target.application if isinstance(target, Plan) else target
        at = at.astimezone(UTC)
        self.events.append(
            (at, len(self.events), kind, actor_id, application.pk, application.organisation_id,
             subject, data, visible)
        )  # fmt: skip

    def stage_history(self) -> None:
        """The dashboard's history rows (stays, finished clocks, review turnarounds), rebuilt from
        the events just written by the same walk migration 0018 uses, so they agree with it."""
        written = backfill_stage_history(
            application_ids=[plan.application.pk for plan in self.plans]
        )
        self.counts.update({f"history {name}": count for name, count in written.items()})

    def write_events(self) -> None:
        """Every event in time order, each chained to the one before, from the current head.
        The hash is the model's own content_digest, computed on one reused unsaved event."""
        self.events.sort(key=lambda item: (item[0], item[1]))
        previous = self.head.last_hash
        probe = AuditEvent(ip_address=None)

        def rows():
            nonlocal previous
            for (
                at,
                _order,
                kind,
                actor,
                application,
                organisation,
                subject,
                data,
                visible,
            ) in self.events:
                probe.kind, probe.actor_id, probe.application_id = kind, actor, application
                probe.organisation_id, probe.subject, probe.data = organisation, subject, data
                probe.applicant_visible, probe.created_at = visible, at
                probe.previous_hash = previous
                digest = probe.content_digest()
                yield (kind, actor, application, organisation, subject, data, visible, None, at,
                       previous, digest)  # fmt: skip
                previous = digest

        self.counts["audit_events"] = insert_rows(
            AuditEvent,
            ("kind", "actor_id", "application_id", "organisation_id", "subject", "data",
             "applicant_visible", "ip_address", "created_at", "previous_hash", "hash"),
            rows(),
        )  # fmt: skip
        self.head.last_hash = previous
        self.head.save(update_fields=["last_hash"])
        self.events = []


def refresh_statistics() -> None:
    """After a bulk load, what autovacuum would do some minutes later, at once: PostgreSQL's
    statistics for the planner and the visibility map that lets the queues count from their
    index alone (without it, an index-only scan visits the table, and the planner prefers
    reading all of it). VACUUM cannot run inside a transaction: called inside one (a test's),
    only the statistics are refreshed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def insert_rows(model, attnames: tuple[str, ...], rows) -> int:
    """Insert plain rows (values in `attnames` order) into the model's table, in order: with
    COPY on PostgreSQL (the two biggest tables, where bulk_create's per-value preparation costs
    minutes), with bulk_create in batches elsewhere. Returns how many rows were written."""
    count = 0
    if connection.vendor != "postgresql":
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(attnames, row, strict=True))))
            if len(batch) >= 5000:
                model.objects.bulk_create(batch)
                count, batch = count + len(batch), []
        model.objects.bulk_create(batch)
        return count + len(batch)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name.removesuffix("_id")).column)
        for name in attnames
    )
    json_columns = {
        index
        for index, name in enumerate(attnames)
        if model._meta.get_field(name.removesuffix("_id")).get_internal_type() == "JSONField"
    }
    with connection.cursor() as cursor:
        statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                if json_columns:
                    row = tuple(
                        json.dumps(value, cls=DjangoJSONEncoder) if index in json_columns else value
                        for index, value in enumerate(row)
                    )
                copy.write_row(row)
                count += 1
    return count


class FileWriter:
    """Stores the documents' bytes in the background (a few threads), while rows are inserted.
    On the local file system it writes the files directly; elsewhere through the storage API."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=4)
        self.futures = []
        self.local_root = (
            Path(default_storage.location)
            if isinstance(default_storage, FileSystemStorage)
            else None
        )

    def write(self, contents: list[tuple[str, bytes]]) -> None:
        if self.local_root is not None:
            for folder in {str(Path(key).parent) for key, _content in contents}:
                (self.local_root / folder).mkdir(parents=True, exist_ok=True)
        for start in range(0, len(contents), 500):
            self.futures.append(self.pool.submit(self._store, contents[start : start + 500]))

    def _store(self, chunk: list[tuple[str, bytes]]) -> None:
        for key, content in chunk:
            if self.local_root is None:
                stored = default_storage.save(key, ContentFile(content))
                if stored != key:
                    raise RuntimeError(f"Storage renamed {key} to {stored}.")
                continue
            descriptor = os.open(self.local_root / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(content)

    def finish(self) -> None:
        for future in self.futures:
            future.result()  # raises what a writer raised
        self.pool.shutdown()


@lru_cache(maxsize=4096)
def _add_working_days_cached(calendar_id: int, day: date, days: int) -> date:
    return _CALENDARS[calendar_id].add_working_days(day, days)


_CALENDARS: dict = {}


def _add_working_days(calendar, day: date, days: int) -> date:
    _CALENDARS[id(calendar)] = calendar
    return _add_working_days_cached(id(calendar), day, days)


def _wd_between(calendar, start: date, end: date) -> int:
    return calendar.working_days_between(start, end)


@lru_cache(maxsize=1024)
def _schedule_cached(calendar_id: int, starts_on: date, ends_on: date):
    return tuple(report_schedule(starts_on, ends_on, _CALENDARS[calendar_id]))


def _schedule(calendar, starts_on: date, ends_on: date):
    _CALENDARS[id(calendar)] = calendar
    return _schedule_cached(id(calendar), starts_on, ends_on)
