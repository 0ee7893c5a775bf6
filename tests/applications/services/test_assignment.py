import pytest

from applications.enums import ApplicationState, Declaration, EventKind, ReviewState
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, AuditEvent, Notification, Review, ReviewerAssignment
from applications.services.assignment import (
    assign_case_officer,
    assign_reviewer,
    unassign_reviewer,
)
from tests import factories
from tests.applications.workspace import cleared_reviewer, panel_reviewer, recused_reviewer

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def application():
    return factories.SubmittedApplicationFactory(state=S.ELIGIBILITY)


def test_assign_reviewer_creates_a_pending_assignment_event_and_notification(
    application, programme_admin
):
    reviewer = panel_reviewer(application.cohort)

    assignment = assign_reviewer(
        actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk
    )

    assert assignment.declaration == Declaration.PENDING
    assert assignment.assigned_by == programme_admin
    event = AuditEvent.objects.get(kind=EventKind.REVIEWER_ASSIGNED)
    assert event.application == application
    assert event.data == {"reviewer": reviewer.pk, "reviewer_email": reviewer.email}
    assert event.applicant_visible is False
    notification = Notification.objects.get()
    assert notification.kind == "reviewer_assigned"
    assert notification.recipient == reviewer
    assert notification.context["reference"] == application.reference
    assert notification.context["url"] == f"/applications/review/{application.pk}/declaration/"
    assert notification.context["organisation"] == application.organisation.legal_name_en


def test_assign_reviewer_notification_names_no_applicant_under_blind_review(programme_admin):
    application = factories.SubmittedApplicationFactory(
        cohort__programme__blind_review=True, state=S.SCREENING
    )
    reviewer = panel_reviewer(application.cohort)

    assign_reviewer(actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk)

    notification = Notification.objects.get()
    assert "organisation" not in notification.context
    assert application.organisation.legal_name_en not in str(notification.context)


def test_assign_reviewer_refuses_someone_off_the_panel(application, programme_admin):
    reviewer = factories.ReviewerFactory(full_name="Dana Ospanova")

    with pytest.raises(WorkflowError) as caught:
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk
        )

    assert str(caught.value) == (
        f"Dana Ospanova is not on the reviewer panel of {application.cohort.name}."
    )
    assert not ReviewerAssignment.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("organisation", "the organisation {name}"),
        ("bin", "the BIN {bin}"),
        ("person", "the person Aigerim  nurlanovna Sadykova"),
    ],
)
def test_assign_reviewer_refuses_a_registered_conflict_naming_it(
    application, programme_admin, line, reason
):
    organisation = application.organisation
    factories.PersonFactory(organisation=organisation, full_name="Aigerim Nurlanovna Sadykova")
    reviewer = panel_reviewer(application.cohort, full_name="Dana Ospanova")
    fields = {
        "organisation": {"organisation": organisation},
        "bin": {"organisation": None, "bin": organisation.bin},
        "person": {"organisation": None, "person_name": "Aigerim  nurlanovna Sadykova"},
    }[line]
    factories.ConflictOfInterestFactory(reviewer=reviewer, **fields)

    with pytest.raises(WorkflowError) as caught:
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk
        )

    expected = reason.format(name=organisation.legal_name_en, bin=organisation.bin)
    assert (
        str(caught.value) == f"Dana Ospanova has registered a conflict of interest with {expected}."
    )
    assert not ReviewerAssignment.objects.exists()


def test_assign_reviewer_ignores_conflicts_with_others(application, programme_admin):
    reviewer = panel_reviewer(application.cohort)
    factories.ConflictOfInterestFactory(reviewer=reviewer)  # another organisation
    factories.ConflictOfInterestFactory(reviewer=reviewer, organisation=None, person_name="Nobody")

    assign_reviewer(actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk)

    assert ReviewerAssignment.objects.filter(reviewer=reviewer).count() == 1


def test_assign_reviewer_refuses_twice_and_after_recusal(application, programme_admin):
    already = cleared_reviewer(application, full_name="Asel Bekova")
    recused = recused_reviewer(application, full_name="Marat Aliyev")

    with pytest.raises(WorkflowError, match="Asel Bekova is already assigned"):
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=already.pk
        )
    with pytest.raises(WorkflowError, match="Marat Aliyev has recused themselves"):
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=recused.pk
        )


def test_assign_reviewer_refuses_inactive_reviewers_and_admins(application, programme_admin):
    inactive = panel_reviewer(application.cohort, is_active=False, full_name="Old Timer")
    application.cohort.panel.add(programme_admin)

    with pytest.raises(WorkflowError, match=r"Old Timer is not an active reviewer\."):
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=inactive.pk
        )
    with pytest.raises(WorkflowError, match=r"is not an active reviewer\."):
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=programme_admin.pk
        )


@pytest.mark.parametrize("state", [S.DECISION_PENDING, S.APPROVED, S.WITHDRAWN, S.REJECTED])
def test_assignment_is_closed_after_evaluation(programme_admin, state):
    application = factories.SubmittedApplicationFactory(state=state)
    reviewer = panel_reviewer(application.cohort)

    with pytest.raises(WorkflowError) as caught:
        assign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk
        )

    assert not isinstance(caught.value, NotAllowed)
    assert "nobody can be assigned to it any more" in str(caught.value)


def test_assign_reviewer_is_for_programme_admins_only(application):
    reviewer = panel_reviewer(application.cohort)
    other = cleared_reviewer(application)

    with pytest.raises(NotAllowed):
        assign_reviewer(actor=other, application_id=application.pk, reviewer_id=reviewer.pk)


def test_unassign_reviewer_deletes_the_assignment_and_a_draft_review(application, programme_admin):
    reviewer = cleared_reviewer(application)
    factories.ReviewFactory(application=application, reviewer=reviewer)

    unassign_reviewer(actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk)

    assert not ReviewerAssignment.objects.exists()
    assert not Review.objects.exists()
    event = AuditEvent.objects.get(kind=EventKind.REVIEWER_UNASSIGNED)
    assert event.data == {
        "reviewer": reviewer.pk,
        "reviewer_email": reviewer.email,
        "declaration": "no_conflict",
        "draft_review_deleted": True,
    }


def test_unassign_reviewer_keeps_a_submitted_review(application, programme_admin):
    reviewer = cleared_reviewer(application, full_name="Asel Bekova")
    factories.ReviewFactory(application=application, reviewer=reviewer, state=ReviewState.SUBMITTED)

    with pytest.raises(WorkflowError, match="Asel Bekova has submitted a review"):
        unassign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=reviewer.pk
        )

    assert ReviewerAssignment.objects.count() == 1


def test_unassign_refuses_the_case_officer_and_strangers(application, programme_admin):
    officer = cleared_reviewer(application, full_name="Asel Bekova")
    application.case_officer = officer
    application.save()
    stranger = panel_reviewer(application.cohort)

    with pytest.raises(WorkflowError, match="Asel Bekova is the case officer"):
        unassign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=officer.pk
        )
    with pytest.raises(WorkflowError, match="not assigned to this application"):
        unassign_reviewer(
            actor=programme_admin, application_id=application.pk, reviewer_id=stranger.pk
        )


def test_assign_case_officer_on_a_submitted_application_starts_screening(programme_admin):
    application = factories.SubmittedApplicationFactory()
    officer = panel_reviewer(application.cohort)

    result = assign_case_officer(
        actor=programme_admin, application_id=application.pk, officer_id=officer.pk
    )

    application = Application.objects.get(pk=application.pk)
    assert result.state == application.state == S.SCREENING
    assert application.case_officer == officer
    assert list(AuditEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        EventKind.CASE_OFFICER_ASSIGNED,
        EventKind.SCREENING_STARTED,
    ]
    # The case officer declares like any reviewer before opening the content.
    assignment = ReviewerAssignment.objects.get()
    assert (assignment.reviewer, assignment.declaration) == (officer, Declaration.PENDING)
    notification = Notification.objects.get()
    assert notification.context["as_case_officer"] is True


def test_reassigning_the_case_officer_keeps_the_state_and_an_existing_assignment(
    application, programme_admin
):
    first = cleared_reviewer(application)
    application.case_officer = first
    application.save()
    second = cleared_reviewer(application)

    assign_case_officer(actor=programme_admin, application_id=application.pk, officer_id=second.pk)

    application = Application.objects.get(pk=application.pk)
    assert application.state == S.ELIGIBILITY
    assert application.case_officer == second
    assert ReviewerAssignment.objects.filter(reviewer=second).get().declaration == "no_conflict"
    event = AuditEvent.objects.get()
    assert event.data == {"from": first.pk, "to": second.pk, "officer_email": second.email}


def test_a_programme_admin_may_be_case_officer_without_an_assignment(application, programme_admin):
    other_admin = factories.ProgrammeAdminFactory()

    assign_case_officer(
        actor=programme_admin, application_id=application.pk, officer_id=other_admin.pk
    )

    assert not ReviewerAssignment.objects.exists()
    notification = Notification.objects.get()
    assert notification.context["url"] == f"/applications/staff/{application.pk}/"
    assert notification.context["declare"] is False


def test_assign_case_officer_refusals(application, programme_admin):
    conflicted = panel_reviewer(application.cohort, full_name="Asel Bekova")
    factories.ConflictOfInterestFactory(reviewer=conflicted, organisation=application.organisation)
    recused = recused_reviewer(application, full_name="Marat Aliyev")
    applicant = application.created_by
    application.case_officer = programme_admin
    application.save()

    with pytest.raises(WorkflowError, match="Asel Bekova has registered a conflict"):
        assign_case_officer(
            actor=programme_admin, application_id=application.pk, officer_id=conflicted.pk
        )
    with pytest.raises(WorkflowError, match="Marat Aliyev has recused themselves"):
        assign_case_officer(
            actor=programme_admin, application_id=application.pk, officer_id=recused.pk
        )
    with pytest.raises(WorkflowError, match="active member of the regulator's staff"):
        assign_case_officer(
            actor=programme_admin, application_id=application.pk, officer_id=applicant.pk
        )
    with pytest.raises(WorkflowError, match="is already the case officer"):
        assign_case_officer(
            actor=programme_admin, application_id=application.pk, officer_id=programme_admin.pk
        )
    assert not AuditEvent.objects.exists()
