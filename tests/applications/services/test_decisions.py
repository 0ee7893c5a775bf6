"""Decisions: four eyes, capacity, batched release, declined offers and waitlist promotion."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from applications.enums import DecisionState, EventKind, NotificationKind
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import AuditEvent, Decision, Notification, Participation
from applications.services.decisions import (
    DecisionTerms,
    confirm_decision,
    decline_offer,
    propose_decision,
    release_decisions,
    send_back_decision,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(applicant):
    application = factories.SubmittedApplicationFactory(
        state="decision_pending",
        organisation=applicant.organisation,
        created_by=applicant,
        clock_stage="decision",
        clock_started_on=date(2026, 11, 2),
        clock_due_on=date(2026, 11, 23),
    )
    factories.CriterionFactory(programme=application.cohort.programme, name_en="Innovation")
    factories.CriterionFactory(programme=application.cohort.programme, name_en="Consumer benefit")
    return application


@pytest.fixture
def checker(db):
    return factories.ProgrammeAdminFactory()


def approval(**overrides) -> DecisionTerms:
    values = {
        "outcome": "approved",
        "starts_on": date(2027, 2, 1),
        "max_clients": 500,
        "currency": "USD",
        "max_per_client_amount": Decimal("1000"),
        "max_aggregate_amount": Decimal("200000"),
        "geography": "Astana",
    }
    return DecisionTerms(**{**values, **overrides})


def fresh(application):
    return type(application).objects.get(pk=application.pk)


def events(application, kind):
    return list(AuditEvent.objects.filter(application=application, kind=kind))


def test_propose_records_the_maker_and_one_internal_event(pending, programme_admin):
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=approval())
    assert (decision.state, decision.made_by, decision.duration_months) == (
        DecisionState.PROPOSED,
        programme_admin,
        12,
    )
    [event] = events(pending, EventKind.DECISION_PROPOSED)
    assert (event.applicant_visible, event.data["outcome"]) == (False, "approved")
    pending = fresh(pending)
    assert pending.state == "decision_pending"


def test_rejection_needs_a_reason_against_every_criterion(pending, programme_admin):
    criteria = list(pending.cohort.programme.criteria.all())
    terms = DecisionTerms(outcome="rejected", reasons={criteria[0].pk: "Not new."})
    with pytest.raises(WorkflowError) as error:
        propose_decision(actor=programme_admin, application_id=pending.pk, terms=terms)
    assert error.value.problems == ["A rejection needs a reason against “Consumer benefit”."]
    assert not Decision.objects.exists()


def test_rejection_keeps_no_testing_parameters(pending, programme_admin):
    criteria = pending.cohort.programme.criteria.all()
    terms = DecisionTerms(
        outcome="rejected",
        reasons={c.pk: f"Weak on {c.name_en}." for c in criteria},
        starts_on=date(2027, 2, 1),
        max_clients=5,
    )
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=terms)
    assert (decision.starts_on, decision.max_clients) == (None, None)
    assert [r.text for r in decision.reasons.all()] == [
        "Weak on Innovation.",
        "Weak on Consumer benefit.",
    ]


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"starts_on": None}, "An approval needs the date testing starts."),
        ({"duration_months": 25}, "The testing period must be between 1 and 24 months."),
        ({"max_clients": None}, "An approval needs the maximum number of clients."),
        ({"currency": ""}, "Give the currency of the limits."),
        (
            {"max_aggregate_amount": Decimal("10")},
            "The aggregate limit cannot be lower than the limit per client.",
        ),
        ({"geography": " "}, "An approval needs the geography of the test."),
        (
            {"outcome": "approved_with_conditions"},
            "An approval with conditions needs at least one condition.",
        ),
    ],
)
def test_approval_terms_are_checked(pending, programme_admin, overrides, problem):
    with pytest.raises(WorkflowError) as error:
        propose_decision(
            actor=programme_admin, application_id=pending.pk, terms=approval(**overrides)
        )
    assert error.value.problems == [problem]


def test_maker_cannot_check_their_own_decision(pending, programme_admin):
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=approval())
    with pytest.raises(NotAllowed) as error:
        confirm_decision(actor=programme_admin, decision_id=decision.pk)
    assert str(error.value) == (
        "You proposed this decision, so a second programme admin must approve it or send it back."
    )
    with pytest.raises(NotAllowed):
        send_back_decision(actor=programme_admin, decision_id=decision.pk, comment="Fine.")
    pending = fresh(pending)
    assert pending.state == "decision_pending"


def test_database_refuses_a_checker_who_is_the_maker(pending, programme_admin):
    decision = factories.DecisionFactory(application=pending, made_by=programme_admin)
    decision.checked_by = programme_admin
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_checker_confirms_quietly_and_participation_is_created(pending, programme_admin, checker):
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=approval())
    confirm_decision(actor=checker, decision_id=decision.pk)
    decision.refresh_from_db()
    pending = fresh(pending)
    assert (pending.state, pending.decision_released_at) == ("approved", None)
    assert (decision.state, decision.made_by, decision.checked_by) == (
        DecisionState.CONFIRMED,
        programme_admin,
        checker,
    )
    [event] = events(pending, EventKind.DECISION_CONFIRMED)
    assert (event.actor, event.applicant_visible, event.data["to"]) == (checker, False, "approved")
    participation = Participation.objects.get(application=pending)
    assert (participation.starts_on, participation.ends_on, participation.max_clients) == (
        date(2027, 2, 1),
        date(2028, 1, 31),
        500,
    )
    assert not Notification.objects.exists()
    assert pending.clock_stage == "decision"  # the clock stops only on release


@pytest.mark.parametrize(
    ("outcome", "state"), [("rejected", "rejected"), ("waitlisted", "waitlisted")]
)
def test_other_outcomes_move_without_participation(
    pending, programme_admin, checker, outcome, state
):
    reasons = {c.pk: "Reason." for c in pending.cohort.programme.criteria.all()}
    terms = DecisionTerms(outcome=outcome, reasons=reasons)
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=terms)
    confirm_decision(actor=checker, decision_id=decision.pk)
    pending = fresh(pending)
    assert pending.state == state
    assert not Participation.objects.exists()


def test_send_back_then_revise_and_confirm(pending, programme_admin, checker):
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=approval())
    with pytest.raises(WorkflowError, match="Say what the maker should change"):
        send_back_decision(actor=checker, decision_id=decision.pk, comment="  ")
    send_back_decision(actor=checker, decision_id=decision.pk, comment="Lower the client limit.")
    decision.refresh_from_db()
    assert (decision.state, decision.check_comment) == (
        DecisionState.SENT_BACK,
        "Lower the client limit.",
    )
    with pytest.raises(StaleState):
        confirm_decision(actor=checker, decision_id=decision.pk)
    revised = propose_decision(
        actor=programme_admin, application_id=pending.pk, terms=approval(max_clients=100)
    )
    assert (revised.pk, revised.state, revised.max_clients, revised.checked_by) == (
        decision.pk,
        DecisionState.PROPOSED,
        100,
        None,
    )
    confirm_decision(actor=checker, decision_id=decision.pk)
    assert len(events(pending, EventKind.DECISION_SENT_BACK)) == 1
    assert len(events(pending, EventKind.DECISION_PROPOSED)) == 2


def test_a_proposal_awaiting_check_cannot_be_overwritten(pending, programme_admin, checker):
    propose_decision(actor=programme_admin, application_id=pending.pk, terms=approval())
    with pytest.raises(StaleState, match="already awaiting a second admin"):
        propose_decision(actor=checker, application_id=pending.pk, terms=approval())


def test_reviewers_and_applicants_cannot_propose(pending, reviewer, applicant):
    for actor in (reviewer, applicant):
        with pytest.raises(NotAllowed):
            propose_decision(actor=actor, application_id=pending.pk, terms=approval())


def test_approval_beyond_capacity_is_refused(pending, programme_admin, checker):
    cohort = pending.cohort
    cohort.capacity = 2
    cohort.save()
    factories.SubmittedApplicationFactory(cohort=cohort, state="testing")
    factories.SubmittedApplicationFactory(cohort=cohort, state="graduated")
    factories.SubmittedApplicationFactory(cohort=cohort, state="withdrawn")  # gave its place up
    decision = propose_decision(actor=programme_admin, application_id=pending.pk, terms=approval())
    with pytest.raises(WorkflowError) as error:
        confirm_decision(actor=checker, decision_id=decision.pk)
    assert str(error.value) == (
        f"The cohort “{cohort.name}” is full: 2 of 2 places are taken. "
        "Waitlist the application instead, or wait until a place is given up."
    )
    pending = fresh(pending)
    decision.refresh_from_db()
    assert (pending.state, decision.state) == ("decision_pending", DecisionState.PROPOSED)
    assert not events(pending, EventKind.DECISION_CONFIRMED)


def confirmed(application, admin, checker, terms):
    decision = propose_decision(actor=admin, application_id=application.pk, terms=terms)
    confirm_decision(actor=checker, decision_id=decision.pk)
    return decision


def test_release_tells_the_batch_and_stops_the_clock(pending, programme_admin, checker, co_member):
    other = factories.SubmittedApplicationFactory(state="decision_pending", cohort=pending.cohort)
    confirmed(pending, programme_admin, checker, approval())
    confirmed(other, programme_admin, checker, DecisionTerms(outcome="waitlisted"))
    released = release_decisions(
        actor=programme_admin, cohort_id=pending.cohort_id, application_ids=[pending.pk, other.pk]
    )
    assert [a.pk for a in released] == sorted([pending.pk, other.pk])
    pending = fresh(pending)
    assert pending.decision_released_at is not None
    assert (pending.clock_stage, pending.clock_due_on) == ("", None)
    [event] = events(pending, EventKind.DECISION_RELEASED)
    assert (event.applicant_visible, event.data["outcome"]) == (True, "approved")
    notified = Notification.objects.filter(
        application=pending, kind=NotificationKind.DECISION_RELEASED
    )
    assert sorted(n.recipient_email for n in notified) == sorted(
        [pending.created_by.email, co_member.email]
    )
    assert notified[0].context["outcome"] == "Approved"
    assert Decision.objects.get(application=pending).released_by == programme_admin


def test_release_is_all_or_nothing(pending, programme_admin, checker):
    confirmed(pending, programme_admin, checker, approval())
    still_pending = factories.SubmittedApplicationFactory(
        state="decision_pending", cohort=pending.cohort
    )
    with pytest.raises(StaleState):
        release_decisions(
            actor=programme_admin,
            cohort_id=pending.cohort_id,
            application_ids=[pending.pk, still_pending.pk],
        )
    pending = fresh(pending)
    assert pending.decision_released_at is None
    assert not Notification.objects.exists()
    with pytest.raises(WorkflowError, match="Select at least one"):
        release_decisions(actor=programme_admin, cohort_id=pending.cohort_id, application_ids=[])


def test_release_twice_is_refused(pending, programme_admin, checker):
    confirmed(pending, programme_admin, checker, approval())
    release_decisions(
        actor=programme_admin, cohort_id=pending.cohort_id, application_ids=[pending.pk]
    )
    with pytest.raises(StaleState):
        release_decisions(
            actor=programme_admin, cohort_id=pending.cohort_id, application_ids=[pending.pk]
        )
    assert len(events(pending, EventKind.DECISION_RELEASED)) == 1


def test_declined_offer_frees_a_place_for_the_first_waitlisted(
    pending, programme_admin, checker, applicant
):
    from applications.queries.participations import cohort_places

    cohort = pending.cohort
    cohort.capacity = 1
    cohort.save()
    first = factories.SubmittedApplicationFactory(state="decision_pending", cohort=cohort)
    second = factories.SubmittedApplicationFactory(state="decision_pending", cohort=cohort)
    confirmed(pending, programme_admin, checker, approval())
    confirmed(first, programme_admin, checker, DecisionTerms(outcome="waitlisted"))
    release_decisions(
        actor=programme_admin, cohort_id=cohort.pk, application_ids=[pending.pk, first.pk]
    )
    confirmed(second, programme_admin, checker, DecisionTerms(outcome="waitlisted"))
    release_decisions(actor=programme_admin, cohort_id=cohort.pk, application_ids=[second.pk])
    assert cohort_places(cohort)["free"] == 0

    with pytest.raises(WorkflowError, match="Please give a reason for declining"):
        decline_offer(actor=applicant, application_id=pending.pk, reason="")
    decline_offer(actor=applicant, application_id=pending.pk, reason="We raised no funding.")
    pending = fresh(pending)
    assert (pending.state, pending.withdrawal_reason) == ("withdrawn", "We raised no funding.")
    places = cohort_places(cohort)
    assert (places["taken"], places["free"], places["first_waitlisted"]) == (0, 1, first)

    # Promotion: the same four eyes, then a release of its own.
    promotion = confirmed(first, programme_admin, checker, approval())
    first = fresh(first)
    assert (first.state, first.decision_released_at) == ("approved", None)
    assert first.state_for_applicant == "decision_pending"
    promotion.refresh_from_db()
    assert promotion.state == DecisionState.CONFIRMED
    assert cohort_places(cohort)["first_waitlisted"] == second


def test_waitlisted_can_only_be_promoted_with_an_approval(pending, programme_admin, checker):
    confirmed(pending, programme_admin, checker, DecisionTerms(outcome="waitlisted"))
    with pytest.raises(WorkflowError, match="can only be promoted"):
        propose_decision(
            actor=programme_admin,
            application_id=pending.pk,
            terms=DecisionTerms(outcome="rejected"),
        )


def test_offer_cannot_be_declined_before_release(pending, programme_admin, checker, applicant):
    confirmed(pending, programme_admin, checker, approval())
    with pytest.raises(WorkflowError) as error:
        decline_offer(actor=applicant, application_id=pending.pk, reason="No.")
    assert error.value.problems == ["The decision has not been released to the applicant yet."]


def test_decision_cannot_be_proposed_outside_decision_pending(programme_admin):
    application = factories.SubmittedApplicationFactory(state="evaluation")
    with pytest.raises(StaleState):
        propose_decision(actor=programme_admin, application_id=application.pk, terms=approval())
    with pytest.raises(WorkflowError, match="Choose an outcome"):
        propose_decision(
            actor=programme_admin, application_id=application.pk, terms=approval(outcome="maybe")
        )
