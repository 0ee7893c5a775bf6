"""Decisions with four eyes, released in batches (DESIGN.md §2, §4).

1. An admin proposes a decision for an application in DECISION_PENDING (or, to promote it, in
   WAITLISTED): outcome, a reason against each of the programme's criteria, conditions and, for
   approvals, the testing parameters. A proposal sent back may be revised and proposed again.
2. A second admin, never the maker, confirms it: the application moves (APPROVED, REJECTED or
   WAITLISTED) through the choke point, and an approval creates the participation. Or they send
   it back with a comment.
3. Nothing reaches the applicant until an admin releases a batch of the cohort's confirmed
   decisions: then the applicant is told (notification decision_released), sees the outcome,
   reasons and conditions, and the decision clock stops.

Capacity: a cohort's places are taken by every application it admitted (ADMITTED_STATES). An
offer declined before onboarding gives its place back, and the release screen then offers the
first waitlisted application for promotion, which goes through the same four eyes.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import (
    APPROVAL_OUTCOMES,
    ApplicationState,
    DecisionOutcome,
    DecisionState,
    EventKind,
    NotificationKind,
)
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application, Cohort, Decision, DecisionReason, Participation
from applications.queries.participations import ADMITTED_STATES
from applications.reporting import end_of_testing
from applications.services import stage_history
from applications.services.audit import record_event
from applications.services.clocks import stop_clock
from applications.services.notifications import notify_members
from applications.services.transitions import Move, apply_move

S = ApplicationState
MOVE_FOR_OUTCOME = {
    DecisionOutcome.APPROVED: "approve",
    DecisionOutcome.APPROVED_WITH_CONDITIONS: "approve",
    DecisionOutcome.REJECTED: "reject",
    DecisionOutcome.WAITLISTED: "waitlist",
}
TESTING_TERMS = (
    "starts_on",
    "duration_months",
    "max_clients",
    "currency",
    "max_per_client_amount",
    "max_aggregate_amount",
    "geography",
)


@dataclass
class DecisionTerms:
    """What the maker writes. `reasons` maps criterion id → reason text."""

    outcome: str
    reasons: dict[int, str] = field(default_factory=dict)
    summary: str = ""
    conditions: str = ""
    starts_on: date | None = None
    duration_months: int | None = None
    max_clients: int | None = None
    currency: str = ""
    max_per_client_amount: Decimal | None = None
    max_aggregate_amount: Decimal | None = None
    geography: str = ""


def terms_problems(terms: DecisionTerms, programme, criteria) -> list[str]:
    """Everything wrong with the terms, in plain words (pure: reads only what it is given)."""
    problems = []
    reasons = {pk: text.strip() for pk, text in terms.reasons.items() if text.strip()}
    if terms.outcome == DecisionOutcome.REJECTED:
        problems += [
            _("A rejection needs a reason against “%(criterion)s”.") % {"criterion": c.name}
            for c in criteria
            if c.pk not in reasons
        ]
    if terms.outcome == DecisionOutcome.APPROVED_WITH_CONDITIONS and not terms.conditions.strip():
        problems.append(_("An approval with conditions needs at least one condition."))
    if terms.outcome in APPROVAL_OUTCOMES:
        problems += _testing_problems(terms, programme)
    return problems


def _testing_problems(terms: DecisionTerms, programme) -> list[str]:
    problems = []
    if terms.starts_on is None:
        problems.append(_("An approval needs the date testing starts."))
    months = terms.duration_months
    if months is not None and not 1 <= months <= programme.max_test_months:
        problems.append(
            _("The testing period must be between 1 and %(max)s months.")
            % {"max": programme.max_test_months}
        )
    if not terms.max_clients:
        problems.append(_("An approval needs the maximum number of clients."))
    amounts = (terms.max_per_client_amount, terms.max_aggregate_amount)
    if any(amount is not None for amount in amounts) and not terms.currency:
        problems.append(_("Give the currency of the limits."))
    if None not in amounts and terms.max_aggregate_amount < terms.max_per_client_amount:
        problems.append(_("The aggregate limit cannot be lower than the limit per client."))
    if not terms.geography.strip():
        problems.append(_("An approval needs the geography of the test."))
    return problems


def propose_decision(*, actor, application_id: int, terms: DecisionTerms) -> Decision:
    """Write (or revise, after it was sent back) the decision awaiting a second admin."""
    with transaction.atomic():
        application = _locked(application_id)
        if not actor.has_perm("applications.propose_decision_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        _check_may_propose(application, terms)
        programme = application.cohort.programme
        criteria = list(programme.criteria.all())
        if terms.outcome in APPROVAL_OUTCOMES and terms.duration_months is None:
            terms.duration_months = programme.default_test_months
        problems = terms_problems(terms, programme, criteria)
        if problems:
            raise WorkflowError(_("The decision is not complete."), problems=problems)
        decision = _open_decision(application)
        if decision is not None and decision.state == DecisionState.PROPOSED:
            raise StaleState(
                _(
                    "A decision is already awaiting a second admin. It can be changed only after it is sent back."
                )
            )
        decision = _write_decision(decision, application, actor, terms, criteria)
        record_event(
            kind=EventKind.DECISION_PROPOSED,
            actor=actor,
            application=application,
            subject=f"decision:{decision.pk}",
            data={"outcome": decision.outcome, "decision": decision.pk},
        )
    return decision


def _check_may_propose(application: Application, terms: DecisionTerms) -> None:
    if terms.outcome not in DecisionOutcome.values:
        raise WorkflowError(_("Choose an outcome."))
    if application.state == S.WAITLISTED and terms.outcome not in APPROVAL_OUTCOMES:
        raise WorkflowError(
            _("A waitlisted application can only be promoted: the decision must be an approval.")
        )
    if application.state not in (S.DECISION_PENDING, S.WAITLISTED):
        raise StaleState(
            _("This application is now “%(state)s”, so no decision can be proposed for it.")
            % {"state": application.get_state_display()}
        )


def _write_decision(decision, application, actor, terms: DecisionTerms, criteria) -> Decision:
    values = {
        "outcome": terms.outcome,
        "summary": terms.summary.strip(),
        "conditions": terms.conditions.strip(),
        "made_by": actor,
        "made_at": timezone.now(),
        "state": DecisionState.PROPOSED,
        "checked_by": None,
        "checked_at": None,
    }
    approval = terms.outcome in APPROVAL_OUTCOMES
    for name in TESTING_TERMS:
        values[name] = (
            getattr(terms, name) if approval else Decision._meta.get_field(name).get_default()
        )
    if decision is None:
        decision = Decision.objects.create(application=application, **values)
    else:
        for name, value in values.items():
            setattr(decision, name, value)
        decision.save()
        decision.reasons.all().delete()
    known = {criterion.pk for criterion in criteria}
    DecisionReason.objects.bulk_create(
        DecisionReason(decision=decision, criterion_id=pk, text=text.strip())
        for pk, text in terms.reasons.items()
        if pk in known and text.strip()
    )
    return decision


def confirm_decision(*, actor, decision_id: int) -> Decision:
    """The second admin approves the proposal: the application moves, quietly."""
    with transaction.atomic():
        decision = _locked_decision(decision_id, actor)
        cohort = Cohort.objects.select_for_update().get(pk=decision.application.cohort_id)
        if decision.is_approval:
            _check_capacity(cohort)
        now = timezone.now()

        def after(application: Application) -> dict:
            decision.state = DecisionState.CONFIRMED
            decision.checked_by, decision.checked_at = actor, now
            decision.save(update_fields=["state", "checked_by", "checked_at"])
            if decision.is_approval:
                _create_participation(application, decision)
            return {
                "decision": decision.pk,
                "outcome": decision.outcome,
                "maker": decision.made_by_id,
            }

        move = Move(
            name=MOVE_FOR_OUTCOME[decision.outcome],
            permission="applications.check_decision_application",
            event=EventKind.DECISION_CONFIRMED,
            changes={"decision_released_at": None},
            after=after,
            applicant_visible=False,
        )
        apply_move(actor=actor, application_id=decision.application_id, move=move)
    return decision


def send_back_decision(*, actor, decision_id: int, comment: str) -> Decision:
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Say what the maker should change."))
    with transaction.atomic():
        decision = _locked_decision(decision_id, actor)
        if not actor.has_perm("applications.check_decision_application", decision.application):
            raise NotAllowed(_("You are not allowed to do this."))
        decision.state = DecisionState.SENT_BACK
        decision.checked_by, decision.checked_at = actor, timezone.now()
        decision.check_comment = comment
        decision.save(update_fields=["state", "checked_by", "checked_at", "check_comment"])
        record_event(
            kind=EventKind.DECISION_SENT_BACK,
            actor=actor,
            application=decision.application,
            subject=f"decision:{decision.pk}",
            data={"decision": decision.pk, "comment": comment},
        )
    return decision


def _locked_decision(decision_id: int, actor) -> Decision:
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application__cohort__programme", "application__organisation")
        .get(pk=decision_id)
    )
    if decision.state != DecisionState.PROPOSED:
        raise StaleState(
            _("This decision is now “%(state)s”; reload the page to see it.")
            % {"state": decision.get_state_display()}
        )
    if decision.made_by_id == actor.pk:
        raise NotAllowed(
            _(
                "You proposed this decision, so a second programme admin must approve it or send it back."
            )
        )
    return decision


def _check_capacity(cohort: Cohort) -> None:
    taken = Application.objects.filter(cohort=cohort, state__in=ADMITTED_STATES).count()
    if taken >= cohort.capacity:
        raise WorkflowError(
            _(
                "The cohort “%(cohort)s” is full: %(taken)s of %(capacity)s places are taken. "
                "Waitlist the application instead, or wait until a place is given up."
            )
            % {"cohort": cohort.name, "taken": taken, "capacity": cohort.capacity}
        )


def _create_participation(application: Application, decision: Decision) -> None:
    values = {
        "decision": decision,
        "starts_on": decision.starts_on,
        "ends_on": end_of_testing(decision.starts_on, decision.duration_months),
        "max_clients": decision.max_clients,
        "currency": decision.currency,
        "max_per_client_amount": decision.max_per_client_amount,
        "max_aggregate_amount": decision.max_aggregate_amount,
        "geography": decision.geography,
    }
    Participation.objects.update_or_create(application=application, defaults=values)


def release_decisions(*, actor, cohort_id: int, application_ids: list[int]) -> list[Application]:
    """Tell the applicants of the selected applications their confirmed decisions, all at once."""
    if not application_ids:
        raise WorkflowError(_("Select at least one decided application to release."))
    now = timezone.now()
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort__programme", "organisation")
            .filter(pk__in=application_ids, cohort_id=cohort_id, decision_released_at__isnull=True)
            .filter(state__in=(S.APPROVED, S.REJECTED, S.WAITLISTED))
            .order_by("pk")
        )
        if len(applications) != len(set(application_ids)):
            raise StaleState(
                _(
                    "Some of the selected decisions were released or changed meanwhile. Reload the page and select again."
                )
            )
        for application in applications:
            _release_one(actor, application, now)
    return applications


def _release_one(actor, application: Application, now) -> None:
    if not actor.has_perm("applications.release_decision_application", application):
        raise NotAllowed(_("You are not allowed to do this."))
    decision = (
        Decision.objects.select_for_update()
        .filter(application=application, state=DecisionState.CONFIRMED, released_at__isnull=True)
        .latest("checked_at")
    )
    decision.released_at, decision.released_by = now, actor
    decision.save(update_fields=["released_at", "released_by"])
    application.decision_released_at = now
    clock = stage_history.RunningClock.of(application)
    fields = stop_clock(application)
    application.save(update_fields=["decision_released_at", "updated_at", *fields])
    if clock is not None:
        stage_history.record_finished_clock(application, clock=clock, on=timezone.localdate(now))
    record_event(
        kind=EventKind.DECISION_RELEASED,
        actor=actor,
        application=application,
        subject=f"decision:{decision.pk}",
        data={"decision": decision.pk, "outcome": decision.outcome},
        applicant_visible=True,
    )
    context = {
        "reference": application.reference,
        "title": application.title,
        "outcome": decision.get_outcome_display(),
        "url": reverse("participations:detail", args=[application.pk]),
    }
    notify_members(
        application=application, kind=NotificationKind.DECISION_RELEASED, context=context
    )


def decline_offer(*, actor, application_id: int, reason: str) -> Application:
    """The applicant turns down an approval before onboarding; the place goes back to the cohort."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Please give a reason for declining."))
    move = Move(
        name="decline_offer",
        permission="applications.decline_offer_application",
        event=EventKind.OFFER_DECLINED,
        changes={"withdrawn_at": timezone.now(), "withdrawal_reason": reason},
        after=lambda application: {"reason": reason},
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def _locked(application_id: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "organisation")
        .get(pk=application_id)
    )


def _open_decision(application: Application) -> Decision | None:
    return (
        Decision.objects.select_for_update()
        .filter(
            application=application, state__in=(DecisionState.PROPOSED, DecisionState.SENT_BACK)
        )
        .first()
    )
