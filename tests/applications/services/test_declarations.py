import pytest

from applications.enums import ApplicationState, Declaration, EventKind, ReviewState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import AuditEvent, ReviewerAssignment
from applications.queries import applications_visible_to
from applications.services.declarations import declare_no_conflict, recuse
from tests import factories
from tests.applications.workspace import cleared_reviewer, pending_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return factories.SubmittedApplicationFactory(state=ApplicationState.EVALUATION)


def test_declaring_no_conflict_opens_the_application(application):
    reviewer = pending_reviewer(application)
    assert not applications_visible_to(reviewer).filter(pk=application.pk).exists()

    assignment = declare_no_conflict(actor=reviewer, application_id=application.pk)

    assert assignment.declaration == Declaration.NO_CONFLICT
    assert assignment.declared_at is not None
    assert list(applications_visible_to(reviewer)) == [application]
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.application) == (
        EventKind.CONFLICT_DECLARED,
        reviewer,
        application,
    )
    assert event.applicant_visible is False


def test_declaring_twice_is_stale(application):
    reviewer = cleared_reviewer(application)

    with pytest.raises(StaleState, match="already declared"):
        declare_no_conflict(actor=reviewer, application_id=application.pk)


def test_declaring_without_an_assignment_is_refused(application, reviewer):
    with pytest.raises(NotAllowed):
        declare_no_conflict(actor=reviewer, application_id=application.pk)


def test_declaring_no_conflict_is_refused_when_the_register_matches(application):
    reviewer = pending_reviewer(application)
    factories.ConflictOfInterestFactory(reviewer=reviewer, organisation=application.organisation)

    with pytest.raises(WorkflowError) as caught:
        declare_no_conflict(actor=reviewer, application_id=application.pk)

    assert str(caught.value) == (
        f"Your conflict register names the organisation {application.organisation.legal_name_en}: "
        "recuse instead."
    )
    assert ReviewerAssignment.objects.get().declaration == Declaration.PENDING


def test_register_match_under_blind_review_names_nobody():
    application = factories.SubmittedApplicationFactory(
        state=ApplicationState.EVALUATION, cohort__programme__blind_review=True
    )
    reviewer = pending_reviewer(application)
    factories.ConflictOfInterestFactory(reviewer=reviewer, organisation=application.organisation)

    with pytest.raises(WorkflowError) as caught:
        declare_no_conflict(actor=reviewer, application_id=application.pk)

    assert str(caught.value) == (
        "A line of your conflict register matches this application: recuse instead."
    )


def test_recusal_takes_access_away_at_once(application):
    reviewer = cleared_reviewer(application)
    assert applications_visible_to(reviewer).filter(pk=application.pk).exists()

    assignment = recuse(actor=reviewer, application_id=application.pk, reason=" Former employer ")

    assert (assignment.declaration, assignment.recusal_reason) == (
        Declaration.RECUSED,
        "Former employer",
    )
    assert not applications_visible_to(reviewer).filter(pk=application.pk).exists()
    event = AuditEvent.objects.get()
    assert event.kind == EventKind.REVIEWER_RECUSED
    assert event.data == {"reviewer": reviewer.pk, "reason": "Former employer"}


def test_recusal_needs_a_reason_and_is_final(application):
    reviewer = pending_reviewer(application)

    with pytest.raises(WorkflowError, match="Please give a reason"):
        recuse(actor=reviewer, application_id=application.pk, reason="  ")
    recuse(actor=reviewer, application_id=application.pk, reason="Family tie")
    with pytest.raises(StaleState):
        recuse(actor=reviewer, application_id=application.pk, reason="Again")
    with pytest.raises(StaleState):
        declare_no_conflict(actor=reviewer, application_id=application.pk)


def test_recusal_after_submitting_a_review_is_refused(application):
    reviewer = cleared_reviewer(application)
    factories.ReviewFactory(application=application, reviewer=reviewer, state=ReviewState.SUBMITTED)

    with pytest.raises(WorkflowError, match="Your review is submitted"):
        recuse(actor=reviewer, application_id=application.pk, reason="Late conflict")

    assert ReviewerAssignment.objects.get().declaration == Declaration.NO_CONFLICT


def test_a_reviewer_off_the_panel_sees_nothing_even_when_cleared(application):
    reviewer = cleared_reviewer(application)
    application.cohort.panel.remove(reviewer)

    assert not applications_visible_to(reviewer).exists()
