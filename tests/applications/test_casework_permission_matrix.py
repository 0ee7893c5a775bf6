"""Role × state × action for screening, requests for information and the stage moves, through
the real services: every cell either succeeds or is refused with nothing changed."""

import pytest

from applications.enums import ApplicationState, Declaration, ReviewState
from applications.exceptions import WorkflowError
from applications.models import Application, AuditEvent, RequestForInformation
from applications.services import review_stages
from applications.services.rfis import answer_rfi, cancel_rfi, raise_rfi
from applications.services.screening import accept_document, mark_document_to_correct
from tests import factories
from tests.applications.casework import case, cleared_reviewer, requirements_of

pytestmark = pytest.mark.django_db
S = ApplicationState

ROLES = [
    "owner",
    "other_applicant",
    "case_officer",
    "cleared_reviewer",
    "undeclared_reviewer",
    "recused_reviewer",
    "panel_reviewer",
    "programme_admin",
]
STATES = [S.SUBMITTED, S.SCREENING, S.ELIGIBILITY, S.EVALUATION, S.DECISION_PENDING]
STAFF_ON_CASE = {"case_officer", "cleared_reviewer", "programme_admin"}
RFI_STATES = {S.SCREENING, S.ELIGIBILITY, S.EVALUATION}


def _actor(role, application):
    if role == "owner":
        return application.created_by
    if role == "other_applicant":
        return factories.ApplicantFactory()
    if role == "case_officer":
        return application.case_officer
    if role == "cleared_reviewer":
        return cleared_reviewer(application)
    if role == "undeclared_reviewer":
        return cleared_reviewer(application, declaration=Declaration.PENDING)
    if role == "recused_reviewer":
        return cleared_reviewer(application, declaration=Declaration.RECUSED)
    if role == "panel_reviewer":
        reviewer = factories.ReviewerFactory()
        application.cohort.panel.add(reviewer)
        return reviewer
    return factories.ProgrammeAdminFactory()


def _application(action, state):
    application = case(state, accepted=action != "accept_document")
    if action in ("answer_rfi", "cancel_rfi"):
        factories.RequestForInformationFactory(
            application=application, raised_by=application.case_officer
        )
    if action in ("confirm_not_eligible", "send_back_not_eligible"):
        Application.objects.filter(pk=application.pk).update(
            not_eligible_reasons="Out of scope",
            not_eligible_proposed_by=factories.ReviewerFactory(),
        )
    if action == "complete_evaluation":
        for _number in range(application.cohort.programme.reviews_required):
            factories.ReviewFactory(application=application, state=ReviewState.SUBMITTED)
    return Application.objects.get(pk=application.pk)


def _do(action, actor, application):
    pk = application.pk
    requirement = requirements_of(application)[0]
    rfi = RequestForInformation.objects.filter(application=application).first()
    calls = {
        "accept_document": lambda: accept_document(
            actor=actor, application_id=pk, requirement_id=requirement.pk
        ),
        "to_correct": lambda: mark_document_to_correct(
            actor=actor, application_id=pk, requirement_id=requirement.pk, note="Unsigned"
        ),
        "raise_rfi": lambda: raise_rfi(
            actor=actor, application_id=pk, questions="Why?", steps=["risks"], requirement_ids=[]
        ),
        "cancel_rfi": lambda: cancel_rfi(actor=actor, rfi_id=rfi.pk, reason="Not needed"),
        "answer_rfi": lambda: answer_rfi(actor=actor, rfi_id=rfi.pk, answer="Here it is"),
        "accept_as_complete": lambda: review_stages.accept_as_complete(
            actor=actor, application_id=pk
        ),
        "find_eligible": lambda: review_stages.find_eligible(actor=actor, application_id=pk),
        "propose_not_eligible": lambda: review_stages.propose_not_eligible(
            actor=actor, application_id=pk, reasons="Out of scope"
        ),
        "confirm_not_eligible": lambda: review_stages.confirm_not_eligible(
            actor=actor, application_id=pk
        ),
        "send_back_not_eligible": lambda: review_stages.send_back_not_eligible(
            actor=actor, application_id=pk
        ),
        "complete_evaluation": lambda: review_stages.complete_evaluation(
            actor=actor, application_id=pk
        ),
    }
    calls[action]()


def _expected(action, role, state):
    if action in ("accept_document", "to_correct", "accept_as_complete"):
        return role in STAFF_ON_CASE and state == S.SCREENING
    if action == "raise_rfi":
        return role in STAFF_ON_CASE and state in RFI_STATES
    if action == "cancel_rfi":
        return role in STAFF_ON_CASE
    if action == "answer_rfi":
        return role == "owner" and state in RFI_STATES
    if action in ("find_eligible", "propose_not_eligible"):
        return role in STAFF_ON_CASE and state == S.ELIGIBILITY
    if action in ("confirm_not_eligible", "send_back_not_eligible"):
        return role == "programme_admin" and state == S.ELIGIBILITY
    return role in STAFF_ON_CASE and state == S.EVALUATION  # complete_evaluation


ACTIONS = [
    "accept_document",
    "to_correct",
    "raise_rfi",
    "cancel_rfi",
    "answer_rfi",
    "accept_as_complete",
    "find_eligible",
    "propose_not_eligible",
    "confirm_not_eligible",
    "send_back_not_eligible",
    "complete_evaluation",
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_casework_matrix_allowed_exactly_where_expected(action, role, state):
    application = _application(action, state)
    actor = _actor(role, application)
    before = Application.objects.values().get(pk=application.pk)
    rfis_before = list(RequestForInformation.objects.values("pk", "state"))
    events_before = AuditEvent.objects.count()

    try:
        _do(action, actor, application)
        succeeded = True
    except WorkflowError:
        succeeded = False

    assert succeeded is _expected(action, role, state)
    if succeeded:
        assert AuditEvent.objects.count() == events_before + 1
    else:
        assert Application.objects.values().get(pk=application.pk) == before
        assert list(RequestForInformation.objects.values("pk", "state")) == rfis_before
        assert AuditEvent.objects.count() == events_before
