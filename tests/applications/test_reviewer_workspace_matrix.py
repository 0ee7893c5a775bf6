"""Role × state × action for the reviewer workspace, through the real services: every cell
either succeeds or is refused with nothing changed."""

import pytest

from applications.enums import ApplicationState, Declaration
from applications.exceptions import WorkflowError
from applications.models import AuditEvent, ReviewerAssignment
from applications.queries import applications_visible_to
from applications.services.assignment import assign_reviewer
from applications.services.declarations import declare_no_conflict, recuse
from applications.services.notes import add_note
from applications.services.reviews import ReviewInput, save_review_draft
from tests import factories
from tests.applications.workspace import (
    cleared_reviewer,
    panel_reviewer,
    pending_reviewer,
    recused_reviewer,
)

pytestmark = pytest.mark.django_db
S = ApplicationState
ROLES = [
    "owner",
    "other_applicant",
    "panel_reviewer",
    "pending_reviewer",
    "cleared_reviewer",
    "recused_reviewer",
    "programme_admin",
    "deactivated_admin",
]
STATES = [
    S.SUBMITTED,
    S.SCREENING,
    S.ELIGIBILITY,
    S.EVALUATION,
    S.DECISION_PENDING,
    S.APPROVED,
    S.WITHDRAWN,
]
ACTIONS = ["view", "assign", "declare", "recuse", "review", "note"]


def _actor(role, application):
    return {
        "owner": lambda: application.created_by,
        "other_applicant": factories.ApplicantFactory,
        "panel_reviewer": lambda: panel_reviewer(application.cohort),
        "pending_reviewer": lambda: pending_reviewer(application),
        "cleared_reviewer": lambda: cleared_reviewer(application),
        "recused_reviewer": lambda: recused_reviewer(application),
        "programme_admin": factories.ProgrammeAdminFactory,
        "deactivated_admin": lambda: factories.ProgrammeAdminFactory(is_active=False),
    }[role]()


def _do(action, actor, application):
    if action == "view":
        return applications_visible_to(actor).get(pk=application.pk)
    if action == "assign":
        target = panel_reviewer(application.cohort)
        return assign_reviewer(actor=actor, application_id=application.pk, reviewer_id=target.pk)
    if action == "declare":
        return declare_no_conflict(actor=actor, application_id=application.pk)
    if action == "recuse":
        return recuse(actor=actor, application_id=application.pk, reason="Former employer")
    if action == "review":
        return save_review_draft(
            actor=actor, application_id=application.pk, base_revision=0, answers=ReviewInput()
        )
    return add_note(actor=actor, application_id=application.pk, body="A note")


def _expected(action, role, state) -> bool:
    if action == "view":
        return role in {"owner", "cleared_reviewer", "programme_admin"}
    if action == "assign":
        return role == "programme_admin" and state in {
            S.SUBMITTED,
            S.SCREENING,
            S.ELIGIBILITY,
            S.EVALUATION,
        }
    if action == "declare":
        return role == "pending_reviewer"
    if action == "recuse":
        return role in {"pending_reviewer", "cleared_reviewer"}
    if action == "review":
        return role == "cleared_reviewer" and state == S.EVALUATION
    return role in {"cleared_reviewer", "programme_admin"}


def _snapshot(application):
    return (
        AuditEvent.objects.count(),
        sorted(
            ReviewerAssignment.objects.filter(application=application).values_list(
                "reviewer_id", "declaration"
            )
        ),
        application.reviews.count(),
        application.internal_notes.count(),
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_reviewer_workspace_matrix(action, role, state):
    application = factories.SubmittedApplicationFactory(state=state)
    actor = _actor(role, application)
    before = _snapshot(application)

    if _expected(action, role, state):
        assert _do(action, actor, application) is not None
        if action != "view":
            assert _snapshot(application) != before
    else:
        with pytest.raises((WorkflowError, application.DoesNotExist)):
            _do(action, actor, application)
        assert _snapshot(application) == before


def test_matrix_covers_declarations_with_their_final_values():
    """The pending reviewer's assignment moves exactly as the matrix says it may."""
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    reviewer = pending_reviewer(application)

    declare_no_conflict(actor=reviewer, application_id=application.pk)
    recuse(actor=reviewer, application_id=application.pk, reason="Conflict found later")

    assert ReviewerAssignment.objects.get().declaration == Declaration.RECUSED
