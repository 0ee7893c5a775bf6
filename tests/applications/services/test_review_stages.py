from datetime import date

import pytest

from applications.enums import ApplicationState, DocumentCheck, EventKind, ReviewState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application, AuditEvent, Document
from applications.services import review_stages
from applications.services.rfis import raise_rfi
from applications.services.screening import mark_document_to_correct
from tests import factories
from tests.applications.casework import (
    MONDAY,
    case,
    cleared_reviewer,
    freeze_today,
    requirements_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


def _reload(application):
    return Application.objects.get(pk=application.pk)


def _rfi(application):
    return raise_rfi(
        actor=application.case_officer,
        application_id=application.pk,
        questions="Send the signed plan.",
        steps=[],
        requirement_ids=[],
    )


def test_package_complete_moves_to_eligibility_and_starts_its_clock(monkeypatch):
    application = case(documents=2, accepted=True, clock_on=MONDAY)
    freeze_today(monkeypatch, date(2026, 12, 7))

    review_stages.accept_as_complete(actor=application.case_officer, application_id=application.pk)

    application = _reload(application)
    assert application.state == S.ELIGIBILITY
    # 15 working days from Mon 7 Dec 2026: Independence Day (Wed 16 Dec) skipped.
    assert (application.clock_stage, application.clock_started_on, application.clock_due_on) == (
        "eligibility",
        date(2026, 12, 7),
        date(2026, 12, 29),
    )
    event = AuditEvent.objects.get(kind=EventKind.PACKAGE_COMPLETE)
    assert event.data == {"from": "screening", "to": "eligibility"}
    assert (event.actor, event.applicant_visible) == (application.case_officer, True)


def test_package_complete_lists_every_problem_when_refused():
    application = case(documents=3)
    first, second, third = requirements_of(application)
    Document.objects.filter(requirement=first).update(screening=DocumentCheck.ACCEPTED)
    mark_document_to_correct(
        actor=application.case_officer,
        application_id=application.pk,
        requirement_id=second.pk,
        note="Unsigned",
    )
    Document.objects.get(requirement=third).versions.update(scan_status="quarantined")
    optional = factories.DocumentRequirementFactory(
        programme=application.cohort.programme, mandatory=False, position=9, name_en="Deck"
    )
    factories.DocumentRequirementFactory(
        programme=application.cohort.programme, stage="onboarding", name_en="Agreement"
    )
    _rfi(application)
    assert optional.pk

    with pytest.raises(WorkflowError) as error:
        review_stages.accept_as_complete(
            actor=application.case_officer, application_id=application.pk
        )

    assert str(error.value) == "This cannot be done yet."
    assert error.value.problems == [
        "Document “Document 2” is marked to be corrected.",
        "The latest version of “Document 3” is not clean.",
        "A request for information is still open: wait for the applicant's answer or cancel "
        "the request first.",
    ]
    assert _reload(application).state == S.SCREENING
    assert not AuditEvent.objects.filter(kind=EventKind.PACKAGE_COMPLETE).exists()


def test_package_complete_needs_each_mandatory_document_uploaded_and_accepted():
    application = case(documents=1)
    factories.DocumentRequirementFactory(
        programme=application.cohort.programme, name_en="Exit plan", position=5
    )

    with pytest.raises(WorkflowError) as error:
        review_stages.accept_as_complete(
            actor=application.case_officer, application_id=application.pk
        )

    assert error.value.problems == [
        "Document “Document 1” has not been accepted in screening.",
        "Document “Exit plan” is not uploaded.",
    ]


def test_find_eligible_starts_the_evaluation_clock(monkeypatch):
    application = case("eligibility", clock_on=MONDAY)
    reviewer = cleared_reviewer(application)
    freeze_today(monkeypatch, date(2026, 12, 7))

    review_stages.find_eligible(actor=reviewer, application_id=application.pk)

    application = _reload(application)
    assert (application.state, application.clock_stage, application.clock_due_on) == (
        S.EVALUATION,
        "evaluation",
        date(2027, 1, 11),
    )
    assert AuditEvent.objects.get(kind=EventKind.FOUND_ELIGIBLE).actor == reviewer


def test_find_eligible_refused_while_an_rfi_is_open():
    application = case("eligibility")
    _rfi(application)

    with pytest.raises(WorkflowError) as error:
        review_stages.find_eligible(actor=application.case_officer, application_id=application.pk)

    assert error.value.problems == [
        "A request for information is still open: wait for the applicant's answer or cancel "
        "the request first."
    ]


def test_not_eligible_is_proposed_then_confirmed_by_an_admin_and_the_clock_stops():
    application = case("eligibility", clock_on=MONDAY)
    reviewer = cleared_reviewer(application)
    admin = factories.ProgrammeAdminFactory()

    review_stages.propose_not_eligible(
        actor=reviewer, application_id=application.pk, reasons="  Not a fintech activity.  "
    )
    application = _reload(application)
    assert (application.state, application.not_eligible_reasons) == (
        S.ELIGIBILITY,
        "Not a fintech activity.",
    )
    assert application.not_eligible_proposed_by == reviewer
    proposed = AuditEvent.objects.get(kind=EventKind.NOT_ELIGIBLE_PROPOSED)
    assert (proposed.data, proposed.applicant_visible) == (
        {"reasons": "Not a fintech activity."},
        False,
    )

    review_stages.confirm_not_eligible(actor=admin, application_id=application.pk)

    application = _reload(application)
    assert application.state == S.NOT_ELIGIBLE
    assert (application.clock_stage, application.clock_due_on) == ("", None)
    assert application.not_eligible_reasons == "Not a fintech activity."
    confirmed = AuditEvent.objects.get(kind=EventKind.NOT_ELIGIBLE_CONFIRMED)
    assert confirmed.data == {
        "from": "eligibility",
        "to": "not_eligible",
        "reasons": "Not a fintech activity.",
    }
    assert (confirmed.actor, confirmed.applicant_visible) == (admin, True)


def test_confirming_without_a_proposal_is_refused_with_its_problem():
    application = case("eligibility")

    with pytest.raises(WorkflowError) as error:
        review_stages.confirm_not_eligible(
            actor=factories.ProgrammeAdminFactory(), application_id=application.pk
        )

    assert error.value.problems == ["Nobody has proposed that this application is not eligible."]


def test_the_proposer_cannot_confirm_their_own_proposal():
    application = case("eligibility")
    admin = factories.ProgrammeAdminFactory()
    review_stages.propose_not_eligible(actor=admin, application_id=application.pk, reasons="Out")

    with pytest.raises(WorkflowError) as error:
        review_stages.confirm_not_eligible(actor=admin, application_id=application.pk)

    assert str(error.value) == "Someone other than the person who proposed it must confirm it."
    assert _reload(application).state == S.ELIGIBILITY
    assert not AuditEvent.objects.filter(kind=EventKind.NOT_ELIGIBLE_CONFIRMED).exists()


def test_reviewers_cannot_confirm_not_eligible():
    application = case("eligibility")
    reviewer = cleared_reviewer(application)
    review_stages.propose_not_eligible(
        actor=application.case_officer, application_id=application.pk, reasons="Out of scope"
    )

    with pytest.raises(NotAllowed):
        review_stages.confirm_not_eligible(actor=reviewer, application_id=application.pk)


def test_send_back_clears_the_proposal():
    application = case("eligibility")
    review_stages.propose_not_eligible(
        actor=application.case_officer, application_id=application.pk, reasons="Out of scope"
    )
    admin = factories.ProgrammeAdminFactory()

    review_stages.send_back_not_eligible(
        actor=admin, application_id=application.pk, comment=" The activity is payments. "
    )

    application = _reload(application)
    assert (application.state, application.not_eligible_reasons) == (S.ELIGIBILITY, "")
    assert (application.not_eligible_proposed_by, application.not_eligible_proposed_at) == (
        None,
        None,
    )
    event = AuditEvent.objects.get(kind=EventKind.NOT_ELIGIBLE_REJECTED)
    assert event.data == {"reasons": "Out of scope", "comment": "The activity is payments."}
    with pytest.raises(StaleState, match=r"^There is no proposal to send back. Reload the page\.$"):
        review_stages.send_back_not_eligible(actor=admin, application_id=application.pk)


def test_a_second_proposal_is_refused_and_reasons_are_required():
    application = case("eligibility")
    officer = application.case_officer
    with pytest.raises(
        WorkflowError, match=r"^Give the reasons the application is not eligible\.$"
    ):
        review_stages.propose_not_eligible(actor=officer, application_id=application.pk, reasons="")
    review_stages.propose_not_eligible(actor=officer, application_id=application.pk, reasons="A")

    with pytest.raises(StaleState):
        review_stages.propose_not_eligible(
            actor=officer, application_id=application.pk, reasons="B"
        )
    assert _reload(application).not_eligible_reasons == "A"


@pytest.mark.parametrize("state", ["screening", "evaluation", "not_eligible"])
def test_proposals_only_during_eligibility(state):
    application = case(state)

    with pytest.raises(StaleState) as error:
        review_stages.propose_not_eligible(
            actor=application.case_officer, application_id=application.pk, reasons="Out"
        )

    assert str(error.value) == (
        f"This application is now “{application.get_state_display()}”, so this can no longer "
        "be done. Reload the page to see its current state."
    )


def test_complete_evaluation_needs_the_required_submitted_reviews(monkeypatch):
    application = case("evaluation", clock_on=MONDAY)
    application.cohort.programme.reviews_required = 2
    application.cohort.programme.save()
    factories.ReviewFactory(application=application, state=ReviewState.SUBMITTED)
    factories.ReviewFactory(application=application, state=ReviewState.DRAFT)

    with pytest.raises(WorkflowError) as error:
        review_stages.complete_evaluation(
            actor=application.case_officer, application_id=application.pk
        )
    assert error.value.problems == ["1 of the 2 reviews required have been submitted."]

    factories.ReviewFactory(application=application, state=ReviewState.SUBMITTED)
    freeze_today(monkeypatch, date(2026, 12, 7))
    review_stages.complete_evaluation(actor=application.case_officer, application_id=application.pk)

    application = _reload(application)
    assert (application.state, application.clock_stage, application.clock_due_on) == (
        S.DECISION_PENDING,
        "decision",
        date(2026, 12, 29),
    )
    assert AuditEvent.objects.filter(kind=EventKind.EVALUATION_COMPLETED).count() == 1


def test_a_move_from_the_wrong_state_is_stale():
    application = case("evaluation")

    with pytest.raises(StaleState) as error:
        review_stages.accept_as_complete(
            actor=application.case_officer, application_id=application.pk
        )

    assert str(error.value) == (
        "This application is now “Evaluation”, so this can no longer be done. Reload the page "
        "to see its current state."
    )
