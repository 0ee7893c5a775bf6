"""Every test object is made here (factory_boy)."""

import random
from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone

from applications.enums import (
    ActivityCategory,
    ClientType,
    Currency,
    DocumentStage,
    NotificationKind,
    Track,
)
from applications.models import (
    Application,
    Cohort,
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    Document,
    DocumentRequirement,
    DocumentVersion,
    InternalNote,
    Notification,
    Programme,
    RequestForInformation,
    Review,
    ReviewerAssignment,
)
from portal.accounts.models import Invitation, LegalForm, Organisation, Person, Role, User
from portal.accounts.validators import check_digit

PASSWORD = "correct-horse-battery"


def make_bin(rng: random.Random | None = None, entity: str = "4", unit: str = "0") -> str:
    """A BIN that passes the check-digit algorithm (YYMM, entity, unit, serial, check)."""
    rng = rng or random
    while True:
        stem = f"{rng.randint(0, 25):02d}{rng.randint(1, 12):02d}{entity}{unit}{rng.randint(0, 99999):05d}"
        digit = check_digit(stem)
        if digit is not None:
            return f"{stem}{digit}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name_en = factory.Sequence(lambda n: f"Steppe Digital {n} LLP")
    legal_name_ru = factory.Sequence(lambda n: f"ТОО «Степь Диджитал {n}»")
    legal_name_kk = factory.Sequence(lambda n: f"«Дала Диджитал {n}» ЖШС")
    legal_form = LegalForm.LLP
    bin = factory.LazyFunction(make_bin)
    address = "Mangilik El 55/20, Astana 010000"
    website = "https://steppe.example.kz"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.kz")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            self.save()


class ApplicantFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    is_organisation_admin = True
    joined_organisation_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    """Regulator staff with TOTP set up, as the portal requires."""

    role = Role.REVIEWER

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Authenticator.objects.create(
                user=self, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )


class ReviewerFactory(StaffFactory):
    role = Role.REVIEWER


class ProgrammeAdminFactory(StaffFactory):
    role = Role.PROGRAMME_ADMIN


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"Aigerim Nurlanovna {n}")
    roles = factory.LazyFunction(lambda: ["ceo", "authorised_signatory"])
    email = factory.Sequence(lambda n: f"person{n}@example.kz")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.kz")
    invited_by = factory.SubFactory(
        ApplicantFactory, organisation=factory.SelfAttribute("..organisation")
    )


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"nbk-da-{n}")
    name_en = "NBK special regulatory regime: digital assets"
    name_ru = "Особый режим регулирования НБК: цифровые активы"
    name_kk = "ҚҰБ ерекше реттеу режимі: цифрлық активтер"
    regulator = "National Bank of Kazakhstan"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"crit{n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")


class DocumentRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentRequirement

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"doc{n}")
    name_en = factory.Sequence(lambda n: f"Business plan {n}")
    stage = DocumentStage.APPLICATION
    mandatory = True
    allowed_extensions = "pdf,docx"
    max_size_mb = 5


class CohortFactory(factory.django.DjangoModelFactory):
    """Open now, closing in a month."""

    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"2026-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    capacity = 20


COMPLETE_ANSWERS = {
    "title": "Tenge-backed stablecoin for cross-border remittances",
    "activity_category": ActivityCategory.STABLECOIN,
    "track": Track.TESTING,
    "summary": "A KZT-backed token redeemable 1:1 for remittances between Kazakhstan and Uzbekistan.",
    "flow_description": "Clients deposit KZT at a partner bank; tokens are minted on receipt and burned on redemption.",
    "innovation_statement": "No regulated KZT stablecoin exists; settlement drops from two days to minutes.",
    "comparables": "Bank transfers (SWIFT), money-transfer operators; none settle on a public ledger.",
    "consumer_benefit": "Fees below 1% against 3-5% today; funds arrive in minutes.",
    "need_for_sandbox": "Issuing payment tokens is not a licensed activity for non-banks today.",
    "rules_to_relax": "Capital requirement for payment organisations; reserve custody rules.",
    "readiness_statement": "Smart contracts audited; pilot with 50 employees completed.",
    "test_objectives": "Show redemption within 1 hour for 99% of requests.",
    "proposed_start": date(2027, 3, 1),
    "proposed_duration_months": 12,
    "client_types": [ClientType.RETAIL_INDIVIDUAL],
    "max_clients": 500,
    "limit_currency": Currency.USD,
    "max_per_client_amount": Decimal("1000"),
    "max_aggregate_amount": Decimal("200000"),
    "geography": "Astana and Almaty",
    "customer_disclosure": "A banner and a signed acknowledgement that the service is tested in the sandbox.",
    "complaints_handling": "In-app complaints answered within 5 working days; escalation to the NBK.",
    "risks_and_mitigations": "Reserve shortfall: 102% reserves held daily at a second-tier bank.",
    "safeguards": "Reserves ring-fenced; automatic redemption if the test stops.",
    "exit_strategy": "All tokens redeemed at par within 10 working days of the end of the test.",
    "aml_measures": "Risk-based AML/CFT programme approved by the board; MLRO appointed.",
    "kyc_approach": "Remote identification through eGov digital ID with liveness check.",
    "source_of_funds": "Seed round of USD 1.2 million from founders and an Astana Hub fund.",
}


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every answer filled in (documents and declarations still to add)."""

    class Meta:
        model = Application

    organisation = factory.SubFactory(OrganisationFactory)
    cohort = factory.SubFactory(CohortFactory)
    created_by = factory.SubFactory(
        ApplicantFactory, organisation=factory.SelfAttribute("..organisation")
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        answers = {**COMPLETE_ANSWERS, **{k: v for k, v in kwargs.items() if k in COMPLETE_ANSWERS}}
        kwargs.update(answers)
        return super()._create(model_class, *args, **kwargs)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    requirement = factory.SubFactory(
        DocumentRequirementFactory,
        programme=factory.SelfAttribute("..application.cohort.programme"),
    )


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    """A version whose bytes really are in storage and match its checksum."""

    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    original_name = "business-plan.pdf"
    content_type = "application/pdf"
    uploaded_by = factory.SelfAttribute("document.application.created_by")
    scan_status = "clean"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        import hashlib
        import uuid

        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        content = kwargs.pop("content", b"%PDF-1.4\n% test document\n%%EOF\n")
        kwargs["storage_key"] = default_storage.save(
            f"documents/{uuid.uuid4().hex}", ContentFile(content)
        )
        kwargs["size"] = len(content)
        kwargs["sha256"] = hashlib.sha256(content).hexdigest()
        return super()._create(model_class, *args, **kwargs)


class SubmittedApplicationFactory(ApplicationFactory):
    """An application past submission, in `state` (SUBMITTED unless given), with a reference."""

    state = "submitted"
    reference = factory.Sequence(lambda n: f"SBX-2026-{n + 1:05d}")
    submitted_at = factory.LazyFunction(timezone.now)


class ReviewerAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerAssignment

    application = factory.SubFactory(SubmittedApplicationFactory)
    reviewer = factory.SubFactory(ReviewerFactory)
    assigned_by = factory.SubFactory(ProgrammeAdminFactory)


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    reviewer = factory.SubFactory(ReviewerFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    relation = "employment"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(SubmittedApplicationFactory, state="evaluation")
    reviewer = factory.SubFactory(ReviewerFactory)


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionScore

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(
        CriterionFactory, programme=factory.SelfAttribute("..review.application.cohort.programme")
    )
    score = 3


class RequestForInformationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestForInformation

    application = factory.SubFactory(SubmittedApplicationFactory, state="screening")
    raised_by = factory.SubFactory(ReviewerFactory)
    questions = "Please provide the audited financial statements for 2025."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class InternalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalNote

    application = factory.SubFactory(SubmittedApplicationFactory)
    author = factory.SubFactory(ProgrammeAdminFactory)
    body = "Spoke to the founders; the custody partner is licensed by AFSA."


class NotificationFactory(factory.django.DjangoModelFactory):
    """An outbox row as queue_notification writes it for an invitation (no account needed)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(ApplicantFactory)
    recipient_email = factory.LazyAttribute(
        lambda row: row.recipient.email if row.recipient else "someone@example.kz"
    )
    kind = NotificationKind.ORGANISATION_INVITATION
    language = "en"
    context = factory.LazyFunction(
        lambda: {"organisation": "Steppe LLP", "inviter": "Aigerim", "token": "abc"}
    )
    link = "/organisation/join/abc/"


# --- Decisions, participations and reports (issue 5: decisions, testing, exit) ---


class DecisionFactory(factory.django.DjangoModelFactory):
    """A proposed approval awaiting a second admin, with full testing parameters."""

    class Meta:
        model = "applications.Decision"

    application = factory.SubFactory(SubmittedApplicationFactory, state="decision_pending")
    outcome = "approved"
    state = "proposed"
    starts_on = date(2027, 2, 1)
    duration_months = 12
    max_clients = 500
    currency = Currency.USD
    max_per_client_amount = Decimal("1000")
    max_aggregate_amount = Decimal("200000")
    geography = "Astana and Almaty"
    made_by = factory.SubFactory(ProgrammeAdminFactory)
    made_at = factory.LazyFunction(timezone.now)


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participation of an application in TESTING whose decision was released."""

    class Meta:
        model = "applications.Participation"

    application = factory.SubFactory(
        SubmittedApplicationFactory,
        state="testing",
        decision_released_at=factory.LazyFunction(timezone.now),
    )
    decision = factory.SubFactory(
        DecisionFactory,
        application=factory.SelfAttribute("..application"),
        state="confirmed",
        checked_by=factory.SubFactory(ProgrammeAdminFactory),
        checked_at=factory.LazyFunction(timezone.now),
        released_at=factory.LazyFunction(timezone.now),
    )
    starts_on = date(2027, 2, 1)
    ends_on = date(2028, 1, 31)
    max_clients = 500
    currency = Currency.USD
    max_per_client_amount = Decimal("1000")
    max_aggregate_amount = Decimal("200000")
    geography = "Astana and Almaty"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Report"

    participation = factory.SubFactory(ParticipationFactory)
    kind = "monthly"
    # Last month: over, so the report can be filed.
    period_end = factory.LazyFunction(
        lambda: timezone.localdate().replace(day=1) - timedelta(days=1)
    )
    period_start = factory.LazyAttribute(
        lambda report: report.period_end and report.period_end.replace(day=1)
    )
    due_on = factory.LazyAttribute(
        lambda report: (report.period_end or timezone.localdate()) + timedelta(days=14)
    )
