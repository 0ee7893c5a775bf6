"""seed_demo --applications N: data at scale on top of the demo (applications/demo_scale.py)."""

import hashlib
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from applications import demo
from applications.demo_scale import BULK_EMAIL_SUFFIX, allocate, tiny_pdf
from applications.enums import (
    ApplicationState,
    ClockStage,
    DecisionState,
    Declaration,
    ReportState,
    ScanStatus,
)
from applications.models import (
    Application,
    AuditEvent,
    CriterionScore,
    Decision,
    DocumentVersion,
    Participation,
    ReferenceSequence,
    Report,
    Review,
    ReviewerAssignment,
)
from applications.services.applications import submit_application
from applications.services.audit import verify_chain
from portal.accounts.models import User

pytestmark = pytest.mark.django_db

S = ApplicationState
SIZE = 60
# allocate(60): every state at least once, the rest by weight.
STATE_COUNTS = {
    "draft": 3, "submitted": 3, "screening": 3, "eligibility": 4, "evaluation": 5,
    "decision_pending": 4, "approved": 2, "rejected": 6, "waitlisted": 2, "not_eligible": 3,
    "onboarding": 2, "testing": 5, "suspended": 2, "exiting": 2, "graduated": 4, "exited": 3,
    "terminated": 2, "withdrawn": 5,
}  # fmt: skip
CLOCK_OF_STATE = {
    "submitted": ClockStage.SCREENING,
    "screening": ClockStage.SCREENING,
    "eligibility": ClockStage.ELIGIBILITY,
    "evaluation": ClockStage.EVALUATION,
    "decision_pending": ClockStage.DECISION,
}
PARTICIPATING = ("testing", "suspended", "exiting", "graduated", "exited", "terminated")


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--applications", str(SIZE), stdout=out)
    return out.getvalue()


def bulk():
    return Application.objects.filter(created_by__email__endswith=BULK_EMAIL_SUFFIX)


def state_counts() -> dict[str, int]:
    counts = {}
    for state in bulk().values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def test_allocation_gives_every_state_and_adds_up():
    assert allocate(SIZE) == STATE_COUNTS
    assert set(STATE_COUNTS) == set(S.values)
    assert sum(allocate(10_000).values()) == 10_000
    assert allocate(10_000)[S.EVALUATION] == 999  # 10% of what is left after one each


def test_bulk_applications_in_every_state_on_top_of_the_demo(seeded):
    assert state_counts() == STATE_COUNTS
    assert "Bulk data loaded in" in seeded
    assert f"  {'applications':<36} {SIZE:>9}" in seeded
    # The demo is all there: its 42 applications and its logins, which still sign in.
    assert Application.objects.count() == 42 + SIZE
    for login in demo.LOGINS:
        user = User.objects.get(email=login.email)
        assert user.role == login.role
        assert user.check_password(demo.DEBUG_PASSWORD)


def test_second_run_adds_nothing_and_says_so(seeded, settings):
    before = (Application.objects.count(), AuditEvent.objects.count(), Review.objects.count())
    out = StringIO()

    call_command("seed_demo", "--applications", "500", stdout=out)

    assert f"Bulk data already loaded ({SIZE} bulk applications): nothing added." in out.getvalue()
    after = (Application.objects.count(), AuditEvent.objects.count(), Review.objects.count())
    assert after == before


def test_audit_chain_stays_intact(seeded):
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)

    assert verify_chain() == []
    assert "The audit trail is intact." in out.getvalue()
    # Every bulk application has its history, in time order along the chain.
    bulk_ids = set(bulk().values_list("pk", flat=True))
    with_events = set(
        AuditEvent.objects.filter(application__in=bulk_ids).values_list("application", flat=True)
    )
    assert with_events == bulk_ids
    times = list(
        AuditEvent.objects.filter(application__in=bulk_ids)
        .order_by("id")
        .values_list("created_at", flat=True)
    )
    assert times == sorted(times)
    assert times[-1] < timezone.now()


def test_document_versions_match_their_stored_bytes(seeded):
    versions = DocumentVersion.objects.filter(
        document__application__created_by__email__endswith=BULK_EMAIL_SUFFIX
    )
    assert versions.count() > 5 * (SIZE - STATE_COUNTS["draft"] - 2)
    for version in versions:
        with default_storage.open(version.storage_key, "rb") as stream:
            content = stream.read()
        assert hashlib.sha256(content).hexdigest() == version.sha256
        assert len(content) == version.size
        assert content.startswith(b"%PDF-1.4")
        assert content.endswith(b"%%EOF\n")
        assert version.scan_status == ScanStatus.CLEAN
    out = StringIO()
    call_command("verify_documents", stdout=out)
    assert (
        f"All {DocumentVersion.objects.count()} stored document versions match." in out.getvalue()
    )


def test_rows_agree_with_their_states(seeded):
    for application in bulk().select_related("programme_version"):
        never_submitted = application.state == S.DRAFT or (
            application.state == S.WITHDRAWN and application.submitted_at is None
        )
        if never_submitted:
            assert application.reference is None
            assert application.programme_version is None
        else:
            assert application.reference.startswith(
                f"SBX-{timezone.localtime(application.submitted_at).year}-"
            )
            assert application.programme_version is not None
            assert application.declarations_accepted_at == application.submitted_at
        if application.state in CLOCK_OF_STATE:
            assert application.clock_stage == CLOCK_OF_STATE[application.state]
            assert application.clock_due_on > application.clock_started_on
        elif application.state not in (S.APPROVED, S.REJECTED, S.WAITLISTED):
            assert application.clock_stage == ""
        if application.state == S.WITHDRAWN:
            assert application.withdrawn_at is not None
            assert application.withdrawal_reason
        if application.state in (S.APPROVED, S.ONBOARDING, *PARTICIPATING):
            assert Participation.objects.filter(application=application).exists()
    # Declarations after the assignment; reviews only by reviewers assigned who declared no
    # conflict, submitted after declaring; ten scores each.
    for assignment in ReviewerAssignment.objects.filter(application__in=bulk()):
        assert (assignment.declared_at is None) == (assignment.declaration == Declaration.PENDING)
        if assignment.declared_at is not None:
            assert assignment.declared_at >= assignment.assigned_at
    for review in Review.objects.filter(application__in=bulk()):
        assignment = ReviewerAssignment.objects.get(
            application=review.application_id, reviewer=review.reviewer_id
        )
        assert assignment.declaration == Declaration.NO_CONFLICT
        if review.submitted_at is not None:
            assert review.submitted_at > assignment.declared_at
        assert review.scores.count() == 10
    assert CriterionScore.objects.filter(review__application__in=bulk()).count() == (
        10 * Review.objects.filter(application__in=bulk()).count()
    )
    # Released decisions agree with what the application shows the applicant.
    for decision in Decision.objects.filter(application__in=bulk()).select_related("application"):
        released = decision.released_at is not None
        assert released == (decision.application.decision_released_at is not None)
        if decision.state == DecisionState.CONFIRMED:
            assert decision.checked_by_id not in (None, decision.made_by_id)
        if decision.checked_at is not None:  # confirmed or sent back
            assert decision.checked_at > decision.made_at
        if released:
            assert decision.released_at >= decision.checked_at
    # Participants testing report; those who graduated had every report accepted.
    for participation in Participation.objects.filter(application__state__in=PARTICIPATING):
        assert participation.testing_started_at is not None
        assert participation.reports.exists()
    graduated = Report.objects.filter(participation__application__state=S.GRADUATED)
    assert set(graduated.values_list("state", flat=True)) == {ReportState.ACCEPTED}


def test_a_submission_afterwards_gets_the_next_free_reference(seeded, applicant, ready_draft):
    year = timezone.localdate().year
    last = ReferenceSequence.objects.get(year=year).last_number
    numbers = [
        int(reference.rsplit("-", 1)[1])
        for reference in Application.objects.filter(
            reference__startswith=f"SBX-{year}-"
        ).values_list("reference", flat=True)
    ]
    assert max(numbers) == last

    submitted = submit_application(actor=applicant, application_id=ready_draft.pk)

    assert submitted.reference == f"SBX-{year}-{last + 1:05d}"


def test_demo_reviewer_and_admin_queues_hold_the_bulk_data(seeded, client):
    reviewer = User.objects.get(email=demo.STAFF[0].email)
    admin = User.objects.get(email=demo.STAFF[2].email)
    mine = (
        Application.objects.exclude(state=S.DRAFT)
        .filter(submitted_at__isnull=False)
        .filter(
            Q(case_officer=reviewer)
            | Q(
                pk__in=ReviewerAssignment.objects.filter(reviewer=reviewer)
                .exclude(declaration=Declaration.RECUSED)
                .values("application")
            )
        )
    )
    assert mine.filter(created_by__email__endswith=BULK_EMAIL_SUFFIX).count() > 10
    client.force_login(reviewer)

    response = client.get(reverse("applications:queue-mine"))

    assert response.status_code == 200
    assert response.context["total"] == mine.count()
    assert client.get(reverse("applications:queue-triage")).status_code == 200

    client.force_login(admin)
    response = client.get(reverse("applications:queue-all"))

    assert response.status_code == 200
    submitted = Application.objects.exclude(state=S.DRAFT).filter(submitted_at__isnull=False)
    assert response.context["total"] == submitted.count()


def test_tiny_pdf_is_well_formed():
    content = tiny_pdf(["Altyn Pay LLP", "Business plan (v1)"])

    xref_at = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert content[xref_at:].startswith(b"xref\n0 6\n")
    assert b"(Business plan [v1]) Tj" in content
