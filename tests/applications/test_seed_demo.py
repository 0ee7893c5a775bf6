"""The demo data command (seed_demo) and the demo's code generator (demo_totp)."""

import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from applications import demo
from applications.enums import ApplicationState, IntakeMode
from applications.models import (
    Application,
    AuditEvent,
    Cohort,
    Criterion,
    CriterionScore,
    DocumentRequirement,
    DraftRevision,
    Notification,
    Programme,
    RequestForInformation,
    Review,
    ReviewerAssignment,
)
from applications.steps import STEP_BY_SLUG
from portal.accounts.models import Organisation, Person, User
from portal.accounts.validators import validate_bin, validate_iin
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = (
    Programme, Criterion, DocumentRequirement, Cohort, User, EmailAddress, Authenticator, Organisation,
    Person, Application, DraftRevision, AuditEvent, Notification, ReviewerAssignment, Review,
    CriterionScore, RequestForInformation,
)  # fmt: skip
EXPECTED_COUNTS = {
    "Programme": 3,
    "Criterion": 30,  # 10 per programme
    "DocumentRequirement": 78,  # 26 per programme
    # CryptoCity (open), AIFC rolling, Astana Hub (closed), the console's four, and the past
    # cohort of decisions and testing
    "Cohort": 8,
    "User": 17,  # five logins, a contact for each of 8 firms, 4 founders in the past cohort
    "EmailAddress": 5,
    "Authenticator": 4,  # TOTP for the four staff
    "Organisation": 13,  # the applicant's, 8 in the workspace, 4 in the past cohort
    "Person": 3,
    "Application": 42,  # the draft, 36 in the workspace, 5 decided or in the making
    "DraftRevision": 1,
    "AuditEvent": 66,  # registration, draft, submissions; decisions and testing
    "Notification": 3,  # decisions released to the three firms with members
    "ReviewerAssignment": 50,  # two reviewers on each of the 25 applications past screening
    "Review": 37,
    "CriterionScore": 370,  # 10 criteria a review
    "RequestForInformation": 4,  # 3 open (1 overdue), 1 answered
}
NBK_MANDATORY = {
    "registration-certificate", "charter", "business-plan", "key-persons-id-cv", "source-of-funds",
    "power-of-authority", "ownership-chart", "money-flow-diagram", "test-plan", "risk-assessment",
    "aml-cft-policy", "client-agreement", "exit-strategy", "complaints-procedure", "it-security-bcp",
    "opex-funding-evidence",
}  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot() -> list:
    """Every row of every demo table, to show that a second run changes nothing."""
    return [list(model.objects.order_by("pk").values()) for model in MODELS]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def current_code(secret: str) -> str:
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def totp_secret(email: str) -> str:
    return Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP).data["secret"]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_seed_demo_creates_exactly_the_demo(debug):
    seed()

    assert counts() == EXPECTED_COUNTS


def test_seed_demo_prints_every_login(debug):
    output = seed()

    assert "Demo data loaded (" in output
    for login in demo.LOGINS:
        assert re.search(rf"{re.escape(login.email)}\s+password: {demo.DEBUG_PASSWORD}", output), (
            login.email
        )
    for login in demo.STAFF:
        assert f"TOTP secret: {totp_secret(login.email)}" in output
        assert f"make totp EMAIL={login.email}" in output
    assert "make totp EMAIL=" + demo.APPLICANT.email not in output


def test_seed_demo_second_run_creates_and_changes_nothing(debug):
    first = seed()
    before = snapshot()

    second = seed()

    assert snapshot() == before
    assert counts() == EXPECTED_COUNTS
    assert "Demo data already loaded: nothing to create." in second
    assert second.split("Sign in at", 1)[1] == first.split("Sign in at", 1)[1]


def test_seed_demo_refuses_to_run_without_debug():
    with pytest.raises(CommandError, match="--force"):
        seed()

    assert counts() == dict.fromkeys(EXPECTED_COUNTS, 0)


def test_seed_demo_forced_without_debug_prints_random_passwords_once():
    output = seed("--force")

    passwords = dict(re.findall(r"(\S+@\S+)\s+password: (\S+)", output))
    assert set(passwords) == demo.DEMO_EMAILS
    assert demo.DEBUG_PASSWORD not in output
    assert len(set(passwords.values())) == 5
    for email, password in passwords.items():
        assert User.objects.get(email=email).check_password(password)
    again = seed("--force")
    assert not set(passwords.values()) & set(again.split())
    assert again.count("(set when the account was created; not shown again)") == 5


def test_seed_demo_does_not_print_a_password_the_user_changed(debug):
    seed()
    applicant = User.objects.get(email=demo.APPLICANT.email)
    applicant.set_password("Changed-by-the-user-1")
    applicant.save()

    output = seed()

    assert f"{demo.APPLICANT.email:<40} password: (set when the account was created" in output
    assert output.count(f"password: {demo.DEBUG_PASSWORD}") == 4


def test_seed_demo_programme_follows_the_reference(debug):
    seed()
    nbk = Programme.objects.get(code="nbk-da-special-regime")
    aifc = Programme.objects.get(code="aifc-fintech-lab-testing")

    criteria = list(nbk.criteria.order_by("position"))
    assert [c.code for c in criteria] == [
        "SCOPE",
        "INNOV",
        "BENEFIT",
        "NEED",
        "READY",
        "TESTPLAN",
        "RISK",
        "EXIT",
        "FIT",
        "DEPLOY",
    ]
    assert sum(c.weight for c in criteria) == 100
    assert {c.code for c in criteria if c.is_gate} == {"SCOPE", "NEED", "FIT"}
    documents = list(nbk.document_requirements.all())
    assert {d.code for d in documents if d.mandatory} == NBK_MANDATORY
    assert {d.max_size_mb for d in documents} == {20}
    assert set().union(*(d.extensions for d in documents)) == {"pdf", "docx", "xlsx"}
    assert set(
        aifc.document_requirements.filter(mandatory=True).values_list("code", flat=True)
    ) == NBK_MANDATORY | {"fee-payment-proof"}
    assert (nbk.intake_mode, aifc.intake_mode) == (IntakeMode.COHORT, IntakeMode.ROLLING)
    assert (nbk.screening_days, nbk.eligibility_days, nbk.evaluation_days, nbk.decision_days) == (
        5,
        15,
        21,
        15,
    )
    for row in [nbk, aifc, *criteria, *documents]:
        assert all((row.name_en, row.name_ru, row.name_kk)), row.code


def test_seed_demo_cohorts_are_open_with_the_staff_on_the_panel(debug):
    seed()

    cryptocity = Cohort.objects.get(name="2026-2 CryptoCity")
    assert (cryptocity.zone_tag, cryptocity.capacity) == ("CryptoCity / Alatau", 20)
    assert cryptocity.is_open()
    assert timedelta(days=55) < cryptocity.closes_at - timezone.now() < timedelta(days=65)
    assert set(cryptocity.panel.values_list("email", flat=True)) == demo.DEMO_STAFF_EMAILS
    rolling = Cohort.objects.get(programme__code="aifc-fintech-lab-testing")
    assert rolling.is_rolling
    assert rolling.is_open()
    astana = Cohort.objects.get(name="2026-1 Astana Hub")
    assert not astana.is_open()
    for cohort in (rolling, astana):
        assert set(cohort.panel.values_list("email", flat=True)) == demo.DEMO_STAFF_EMAILS


def test_seed_demo_rows_pass_model_validation(debug):
    seed()

    for model in (
        Programme, Criterion, DocumentRequirement, Cohort, Organisation, Person, ReviewerAssignment, Review, CriterionScore, RequestForInformation,
    ):  # fmt: skip
        for row in model.objects.all():
            row.full_clean()


def test_seed_demo_people_can_sign_in(debug):
    seed()

    users = {user.email: user for user in User.objects.filter(email__in=demo.DEMO_EMAILS)}
    assert {email: user.role for email, user in users.items()} == {
        login.email: login.role for login in demo.LOGINS
    }
    contacts = User.objects.exclude(email__in=demo.DEMO_EMAILS)
    # a contact for each workspace firm, a founder for each firm of the past cohort
    assert contacts.count() == len(demo.FIRMS) + len(demo.PARTICIPANTS)
    assert not any(contact.has_usable_password() for contact in contacts)
    assert not any(user.is_staff or user.is_superuser for user in users.values())
    assert set(
        EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)
    ) == set(users)
    assert not any(user.is_staff or user.is_superuser for user in contacts)
    assert (
        set(Authenticator.objects.values_list("user__email", flat=True)) == demo.DEMO_STAFF_EMAILS
    )


def test_seed_demo_applicant_has_an_organisation_and_a_partial_draft(debug):
    seed()

    applicant = User.objects.get(email=demo.APPLICANT.email)
    organisation = applicant.organisation
    assert applicant.is_organisation_admin
    validate_bin(organisation.bin)
    organisation.full_clean()
    assert organisation.people.count() == 3
    for person in organisation.people.exclude(iin=""):
        validate_iin(person.iin)
    draft = Application.objects.get(organisation=organisation, state=ApplicationState.DRAFT)
    assert (draft.state, draft.organisation, draft.cohort.name) == (
        ApplicationState.DRAFT,
        organisation,
        "2026-2 CryptoCity",
    )
    assert draft.title == demo.DRAFT_TITLE
    assert STEP_BY_SLUG["activity"].missing(draft) == []
    assert STEP_BY_SLUG["readiness"].missing(draft) == ["readiness_statement"]


def test_seed_demo_staff_sign_in_with_the_printed_secret(client, debug):
    seed()
    email = demo.STAFF[0].email

    client.post(reverse("account_login"), {"login": email, "password": demo.DEBUG_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(totp_secret(email))})

    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


# --- demo_totp ------------------------------------------------------------------------------


def totp(email: str) -> str:
    out = StringIO()
    call_command("demo_totp", email, stdout=out)
    return out.getvalue()


def test_demo_totp_prints_the_current_code_of_a_demo_account(settings):
    settings.DEBUG = True
    seed()
    settings.DEBUG = False
    email = demo.STAFF[2].email

    expected = current_code(totp_secret(email))
    output = totp(email.upper())

    assert output.split()[0] == expected
    assert re.fullmatch(r"\d{6}  \(valid for \d+ more seconds\)\n", output)


def test_demo_totp_refuses_other_accounts_unless_debug(settings):
    reviewer = factories.ReviewerFactory()

    with pytest.raises(CommandError, match="not a demo staff account"):
        totp(reviewer.email)

    settings.DEBUG = True
    assert totp(reviewer.email).split()[0] == current_code("JBSWY3DPEHPK3PXP")


def test_demo_totp_explains_an_account_without_authenticator(debug):
    with pytest.raises(CommandError, match="no authenticator app"):
        totp(factories.ApplicantFactory().email)


# --- the reviewer workspace's demo ------------------------------------------------------------


def test_seed_demo_has_applications_in_every_state(debug):
    seed()

    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    references = list(
        Application.objects.exclude(state="draft").values_list("reference", flat=True)
    )
    assert len(set(references)) == 41  # 36 in the workspace, 5 in the past cohort
    assert set(Application.objects.values_list("cohort__name", flat=True)) == {
        "2026-2 CryptoCity",
        "2026-1 Astana Hub",
        "Rolling intake",
        demo.PAST_COHORT["name"],
    }


def test_seed_demo_clocks_run_in_the_working_stages_some_overdue_some_paused(debug):
    from applications.queries import working_calendar
    from applications.services.clocks import read_clock

    seed()

    calendar = working_calendar()
    # The workspace's applications (the past cohort's decisions run no stage clock).
    workspace = Application.objects.exclude(cohort__name=demo.PAST_COHORT["name"])
    readings = {
        application.title: read_clock(application, calendar=calendar) for application in workspace
    }
    running_states = {"submitted", "screening", "eligibility", "evaluation", "decision_pending"}
    for application in workspace:
        assert (readings[application.title] is not None) == (application.state in running_states)
    clocks = [reading for reading in readings.values() if reading]
    assert sum(reading.overdue for reading in clocks) >= 2
    paused = {title for title, reading in readings.items() if reading and reading.paused}
    assert paused == set(demo.OPEN_RFIS)
    answered = Application.objects.get(title=demo.ANSWERED_RFIS[0])
    assert answered.clock_paused_days == 4  # raised 6 working days ago, answered 2 ago


def test_seed_demo_assignments_declarations_and_reviews(debug):
    seed()

    assert ReviewerAssignment.objects.filter(declaration="recused").get().recusal_reason
    assert ReviewerAssignment.objects.filter(declaration="pending").count() == 1
    submitted = Review.objects.filter(state="submitted")
    assert submitted.count() == 35
    assert all(0 <= review.weighted_score <= 5 for review in submitted)
    assert not Review.objects.filter(state="draft", weighted_score__isnull=False).exists()
    assert set(
        Application.objects.filter(state="submitted").values_list("case_officer", flat=True)
    ) == {None}
    assert RequestForInformation.objects.filter(state="open").count() == 3


def test_seed_demo_fills_the_queues(client, debug):
    seed()
    admin = User.objects.get(email=demo.STAFF[2].email)
    client.force_login(admin)

    everything = client.get(reverse("applications:queue-all"))
    triage = client.get(reverse("applications:queue-triage"))
    overdue = client.get(reverse("applications:queue-all"), {"clock": "overdue"})

    assert everything.context["total"] == 41
    assert triage.context["total"] == 4
    assert overdue.context["total"] >= 2


def test_seed_demo_console_shows_cohorts_in_every_phase(debug):
    seed()

    phases = {cohort.name: cohort.phase() for cohort in Cohort.objects.all()}
    assert phases == {
        "2026-1 Astana Hub": "closed",
        demo.PAST_COHORT["name"]: "closed",
        "2026-2 CryptoCity": "open",
        "Rolling intake": "rolling",
        "2026-1 Alatau": "closed",
        "2027-1 CryptoCity": "upcoming",
        "2026-1 Remittance corridors": "closed",
        "2027-1 Instant payments": "upcoming",
    }
    payments = Programme.objects.get(code="nbk-payments-remittances")
    assert (payments.blind_review, payments.reviews_required) == (True, 3)
    reviewers = {login.email for login in demo.STAFF if login.role == "reviewer"}
    upcoming = Cohort.objects.get(name="2027-1 Instant payments")
    assert set(upcoming.panel.values_list("email", flat=True)) == reviewers
    # History is not announced: only the upcoming cohorts wait for the schedule to open them.
    from applications.services.cohorts import record_cohort_schedule

    assert record_cohort_schedule() == {"opened": [], "closed": []}


def test_seed_demo_has_participants_in_every_phase_after_evaluation(debug):
    from applications.models import Report
    from applications.queries.participations import overdue_reports

    seed()

    past = Cohort.objects.get(name=demo.PAST_COHORT["name"])
    states = sorted(past.applications.values_list("state", flat=True))
    assert states == ["approved", "decision_pending", "onboarding", "testing", "waitlisted"]
    testing = past.applications.get(state="testing")
    assert testing.organisation.members.filter(email=demo.APPLICANT.email).exists()
    reports = Report.objects.filter(participation__application=testing)
    assert reports.filter(state="accepted").count() == 3
    assert reports.filter(state="filed").count() == 1
    assert [r.participation.application for r in overdue_reports(timezone.localdate())] == [testing]
    decision = testing.decisions.get()
    assert decision.made_by.email != decision.checked_by.email
