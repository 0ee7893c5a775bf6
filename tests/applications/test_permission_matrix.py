"""Role × state × action, through the real services: every cell either succeeds or is refused
with nothing changed."""

import pytest

from applications.enums import PRE_DECISION_STATES, ApplicationState
from applications.exceptions import WorkflowError
from applications.models import Application, AuditEvent
from applications.queries import applications_visible_to
from applications.services.applications import (
    start_screening,
    submit_application,
    withdraw_application,
)
from applications.services.drafts import save_draft
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState
ROLES = [
    "owner",
    "co_member",
    "other_applicant",
    "reviewer",
    "programme_admin",
    "deactivated_owner",
]
APPLICANT_SIDE = {"owner", "co_member"}


def _actor(role, application):
    organisation = application.organisation
    if role == "owner":
        return application.created_by
    if role == "co_member":
        return factories.ApplicantFactory(organisation=organisation, is_organisation_admin=False)
    if role == "deactivated_owner":
        return factories.ApplicantFactory(organisation=organisation, is_active=False)
    if role == "other_applicant":
        return factories.ApplicantFactory()
    if role == "reviewer":
        reviewer = factories.ReviewerFactory()
        application.cohort.panel.add(reviewer)
        return reviewer
    return factories.ProgrammeAdminFactory()


def _application(state):
    application = factories.ApplicationFactory(
        state=state, reference=None if state == S.DRAFT else "SBX-2026-99999"
    )
    requirement = factories.DocumentRequirementFactory(programme=application.cohort.programme)
    factories.DocumentVersionFactory(
        document=factories.DocumentFactory(application=application, requirement=requirement)
    )
    return application


def _do(action, actor, application):
    if action == "edit":
        save_draft(
            actor=actor,
            application_id=application.pk,
            base_revision=application.revision,
            answers={"summary": "A new summary"},
        )
    elif action == "submit":
        submit_application(actor=actor, application_id=application.pk)
    elif action == "withdraw":
        withdraw_application(actor=actor, application_id=application.pk, reason="Changed plans")
    elif action == "start_screening":
        start_screening(
            actor=actor, application_id=application.pk, case_officer=factories.ReviewerFactory()
        )


def _expected(action, role, state):
    if action == "edit":
        return role in APPLICANT_SIDE and state == S.DRAFT
    if action == "submit":
        return role in APPLICANT_SIDE and state == S.DRAFT
    if action == "withdraw":
        return role in APPLICANT_SIDE and state in PRE_DECISION_STATES
    return role == "programme_admin" and state == S.SUBMITTED


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["edit", "submit", "withdraw", "start_screening"])
def test_matrix_action_allowed_exactly_where_expected(action, role, state):
    application = _application(state)
    actor = _actor(role, application)
    events_before = AuditEvent.objects.count()
    before = Application.objects.values().get(pk=application.pk)

    try:
        _do(action, actor, application)
        succeeded = True
    except WorkflowError:
        succeeded = False

    assert succeeded is _expected(action, role, state)
    if not succeeded:
        assert Application.objects.values().get(pk=application.pk) == before
        assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.TESTING, S.WITHDRAWN])
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_matrix_visibility(role, state):
    from django.contrib.auth.models import AnonymousUser

    application = _application(state)
    actor = AnonymousUser() if role == "anonymous" else _actor(role, application)

    visible = applications_visible_to(actor).filter(pk=application.pk).exists()

    assert visible is (role in {"owner", "co_member", "programme_admin"})
