"""Proof at scale: random sequences of actions by every role, through the real services.

A Hypothesis state machine acts as the applicant owner, a co-member, an applicant of another
organisation, four panel reviewers (who become assigned, cleared, recused or stay unassigned as
the run goes) and two programme admins (maker and checker). Each action calls the real service
with the real permission checks. After every action:

1. every application's state is a node of the lifecycle graph, and every move it made is an edge
   of it (the graph is read from the model's django-fsm transitions);
2. each move left exactly one transition audit event, written by the actor; nothing else did;
3. every notification row written has its cause among the action's audit events (and goes to
   the right people);
4. what an applicant can see (scope, state badge, history, notification centre, released
   decision) never shows an unreleased decision's outcome, summary, reasons or conditions, nor
   reviewer names, e-mail addresses or review contents ever;

and an action the role may not take is refused and changes nothing (any refused action changes
nothing). At the end of each example the applicant's pages are rendered and read the same way.

CI runs the bounded, derandomised "ci" profile; HYPOTHESIS_PROFILE=long runs a wider random search:
    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/properties -p no:randomly
"""

import os
from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from applications import models as m
from applications.enums import (
    DecisionOutcome,
    DecisionState,
    ExitRoute,
    ReportKind,
    ReportState,
    RfiState,
)
from applications.exceptions import NotAllowed, WorkflowError
from applications.models.application import DECIDED_STATES
from applications.queries import applications_visible_to, notifications_of
from applications.queries.participations import released_decision
from applications.queries.reviews import criteria_of
from applications.services import (
    applications,
    assignment,
    decisions,
    declarations,
    drafts,
    participations,
    reports,
    review_stages,
    reviews,
    rfis,
    screening,
)
from applications.services.audit import verify_chain
from applications.views.presentation import NEXT_STEPS, timeline_entries
from portal.accounts.models import User
from tests import factories
from tests.properties.lifecycle_world import (
    DECISION_MARK,
    NODES,
    REVIEW_RATIONALE,
    REVIEW_SUMMARY,
    ROLES,
    STATE_IN_PERMISSION,
    S,
    as_text,
    assert_hidden,
    check_notifications,
    check_transitions,
    decided_moves_shown,
    fingerprint,
    is_member,
    make_world,
    may,
    never_shown,
    unreleased_marks,
)

settings.register_profile(
    "ci",
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=300,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

actors = st.sampled_from(ROLES)
indexes = st.integers(min_value=0, max_value=7)
APPLICANTS = ("owner", "co_member", "outsider")
# Few applications, many actions on each: the interesting interleavings are on the same rows.
MAX_APPLICATIONS = 4
CASEWORK = (S.SCREENING, S.ELIGIBILITY, S.EVALUATION)
OUTCOMES = st.sampled_from(DecisionOutcome.values)
# How far along the happy path (LifecycleMachine.script) an application starts: decided but not
# released, released, decision pending, testing, proposed, onboarding, exiting, evaluation,
# eligibility, screening, submitted, a draft without answers, closed. Decisions come first: they
# are where an applicant could learn too much too early.
DEPTHS = st.sampled_from((15, 16, 13, 19, 14, 17, 20, 7, 6, 2, 1, 0, 23))


class LifecycleMachine(RuleBasedStateMachine):
    world = None  # set by the test before the run
    seen_states: set[str] = set()
    outcomes: Counter = Counter()

    def __init__(self) -> None:
        super().__init__()
        # Each example works inside a savepoint of the test's transaction and rolls it back.
        self.savepoint = transaction.savepoint()
        self.users = {name: User.objects.get(pk=pk) for name, pk in self.world.user_ids.items()}
        self.cohort = m.Cohort.objects.get(pk=self.world.cohort_id)
        self.requirement = m.DocumentRequirement.objects.get(pk=self.world.requirement_id)
        self.apps: list[int] = []
        # Applications an action wrote to since the invariants last ran (a refusal writes nothing).
        self.touched: set[int | None] = set()
        self.decisions_written = 0

    def teardown(self) -> None:
        try:
            self.read_applicant_pages()
            # The trail of everything the example did is one unbroken hash chain.
            assert verify_chain() == []
        finally:
            transaction.savepoint_rollback(self.savepoint)

    # --- The one way the machine acts -------------------------------------------------------------

    def act(self, action: str, actor_name: str, allowed: bool, call):
        """Call one service as `actor_name`; check what it wrote or that a refusal wrote nothing."""
        actor = self.users[actor_name]
        before = dict(m.Application.objects.values_list("pk", "state"))
        last_event = m.AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        last_note = m.Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
        snapshot = fingerprint()
        try:
            result = call(actor)
        except WorkflowError as error:
            assert fingerprint() == snapshot, f"{action} by {actor_name} was refused but wrote"
            # A role the test's table allows is refused for the state, never for who it is
            # (unless the permission itself names the state).
            over_refused = allowed and action not in STATE_IN_PERMISSION
            refused_for_role = isinstance(error, NotAllowed)
            assert not (over_refused and refused_for_role), (action, actor_name)
            self.outcomes[f"refused:{action}"] += 1
            return None
        assert allowed, f"{action} by {actor_name} was not refused"
        events = list(
            m.AuditEvent.objects.filter(pk__gt=last_event or 0)
            .select_related("application")
            .order_by("pk")
        )
        assert all(event.actor_id == actor.pk for event in events), action
        after = dict(m.Application.objects.values_list("pk", "state"))
        check_transitions(before, after, events, actor)
        notes = m.Notification.objects.filter(pk__gt=last_note or 0).select_related(
            "recipient", "application"
        )
        check_notifications(list(notes.order_by("pk")), events)
        # What the action touched is what the applicant's view must be read again for.
        self.touched |= {event.application_id for event in events} | {
            pk for pk, state in after.items() if before.get(pk) != state
        }
        self.touched |= {note.application_id for note in notes}
        self.seen_states.update(after.values())
        self.outcomes[f"done:{action}"] += 1
        return result

    def app(self, index: int, near: tuple[str, ...] = ()) -> m.Application:
        """One of the example's applications; with `near`, one in those states if there is one
        (so that the actions of the later stages meet applications they could apply to)."""
        applications_ = m.Application.objects.filter(pk__in=self.apps).order_by("pk")
        candidates = list(applications_.filter(state__in=near)) if near else []
        candidates = candidates or list(applications_)
        return candidates[index % len(candidates)]

    # --- Setting the scene: applications fast-forwarded through the same services ----------------

    @initialize(
        plans=st.lists(
            st.tuples(st.sampled_from(APPLICANTS), DEPTHS, OUTCOMES),
            min_size=1,
            max_size=3,
        )
    )
    def fast_forward(self, plans) -> None:
        for creator, depth, outcome in plans:
            application_id = self.start(creator, complete=depth > 0)
            if application_id is None:
                continue
            for action, actor_name, call in self.script(application_id, creator, outcome)[:depth]:
                if self.act(action, actor_name, True, call) is None:
                    break

    def script(self, application_id: int, creator: str, outcome: str) -> list:
        """The happy path of one application, one service call per line, by a permitted actor."""

        def condition_steps(actor):
            ids = m.OnboardingCondition.objects.filter(
                participation__application_id=application_id
            ).values_list("pk", flat=True)
            return [
                participations.confirm_condition(
                    actor=actor, condition_id=pk, evidence_note="Signed copy on file."
                )
                for pk in ids
            ]

        a = application_id
        return [
            ("submit", creator, lambda actor: applications.submit_application(actor=actor, application_id=a)),
            ("assign_case_officer", "maker", lambda actor: assignment.assign_case_officer(actor=actor, application_id=a, officer_id=self.users["r1"].pk)),
            ("declare_no_conflict", "r1", lambda actor: declarations.declare_no_conflict(actor=actor, application_id=a)),
            ("accept_document", "r1", lambda actor: self.screen(actor, a, accept=True)),
            ("accept_as_complete", "maker", lambda actor: review_stages.accept_as_complete(actor=actor, application_id=a)),
            ("find_eligible", "r1", lambda actor: review_stages.find_eligible(actor=actor, application_id=a)),
            ("assign_reviewer", "maker", lambda actor: assignment.assign_reviewer(actor=actor, application_id=a, reviewer_id=self.users["r2"].pk)),
            ("declare_no_conflict", "r2", lambda actor: declarations.declare_no_conflict(actor=actor, application_id=a)),
            ("assign_reviewer", "maker", lambda actor: assignment.assign_reviewer(actor=actor, application_id=a, reviewer_id=self.users["r3"].pk)),
            ("recuse", "r3", lambda actor: declarations.recuse(actor=actor, application_id=a, reason="Former employer.")),
            ("submit_review", "r1", lambda actor: self.review(actor, a)),
            ("submit_review", "r2", lambda actor: self.review(actor, a)),
            ("complete_evaluation", "maker", lambda actor: review_stages.complete_evaluation(actor=actor, application_id=a)),
            ("propose_decision", "maker", lambda actor: self.propose(actor, a, outcome)),
            ("confirm_decision", "checker", lambda actor: self.check(actor, a, confirm=True)),
            ("release_decision", "maker", lambda actor: self.release(actor, a)),
            ("start_onboarding", "maker", lambda actor: participations.start_onboarding(actor=actor, application_id=a)),
            ("confirm_condition", "maker", lambda actor: condition_steps(actor) or self.refuse()),
            ("start_testing", "maker", lambda actor: participations.start_testing(actor=actor, application_id=a)),
            ("start_exit", "maker", lambda actor: participations.start_exit(actor=actor, application_id=a, route=ExitRoute.GRADUATED, trigger="Test plan completed.")),
            ("file_report", creator, lambda actor: self.file_final(actor, a)),
            ("accept_report", "maker", lambda actor: self.accept_final(actor, a)),
            ("complete_exit", "maker", lambda actor: participations.complete_exit(actor=actor, application_id=a)),
        ]  # fmt: skip

    def start(self, creator: str, *, complete: bool) -> int | None:
        application = self.act(
            "start_application",
            creator,
            True,
            lambda actor: applications.start_application(actor=actor, cohort=self.cohort),
        )
        if application is None:
            return None
        self.apps.append(application.pk)
        if complete:
            self.act(
                "save_draft",
                creator,
                True,
                lambda actor: drafts.save_draft(
                    actor=actor,
                    application_id=application.pk,
                    base_revision=0,
                    answers=factories.COMPLETE_ANSWERS,
                ),
            )
            # The upload itself (storage, virus scan) is tested elsewhere: a clean version here.
            document = factories.DocumentFactory(
                application=application, requirement=self.requirement
            )
            factories.DocumentVersionFactory(document=document, uploaded_by=self.users[creator])
        return application.pk

    # --- Service calls with the inputs a person would give ------------------------------------------

    @staticmethod
    def refuse():
        raise WorkflowError("nothing to do")

    def screen(self, actor, application_id: int, *, accept: bool):
        if accept:
            return screening.accept_document(
                actor=actor, application_id=application_id, requirement_id=self.world.requirement_id
            )
        return screening.mark_document_to_correct(
            actor=actor,
            application_id=application_id,
            requirement_id=self.world.requirement_id,
            note="The signature page is missing.",
        )

    def review(self, actor, application_id: int):
        application = m.Application.objects.get(pk=application_id)
        existing = m.Review.objects.filter(application=application, reviewer=actor).first()
        criteria = criteria_of(application) if application.programme_version_id else []
        answers = reviews.ReviewInput(
            scores={
                c.pk: reviews.ScoreInput(score=2, rationale=REVIEW_RATIONALE) for c in criteria
            },
            recommendation="proceed",
            summary=REVIEW_SUMMARY,
        )
        return reviews.submit_review(
            actor=actor,
            application_id=application_id,
            base_revision=existing.revision if existing else 0,
            answers=answers,
        )

    def propose(self, actor, application_id: int, outcome: str):
        self.decisions_written += 1
        mark = DECISION_MARK.format(f"{application_id}-{self.decisions_written}")
        criteria = m.Criterion.objects.filter(pk__in=self.world.criteria_ids)
        terms = decisions.DecisionTerms(
            outcome=outcome,
            reasons={c.pk: f"{mark} reason {c.pk}" for c in criteria},
            summary=f"{mark} summary",
            conditions=f"{mark} condition one\n{mark} condition two",
            starts_on=date(2027, 2, 1),
            max_clients=500,
            currency="KZT",
            max_per_client_amount=1000,
            max_aggregate_amount=200000,
            geography="Astana",
        )
        return decisions.propose_decision(actor=actor, application_id=application_id, terms=terms)

    def proposed(self, application_id: int):
        return m.Decision.objects.filter(
            application_id=application_id, state=DecisionState.PROPOSED
        ).first()

    def check(self, actor, application_id: int, *, confirm: bool):
        decision = self.proposed(application_id)
        if decision is None:
            self.refuse()
        if confirm:
            return decisions.confirm_decision(actor=actor, decision_id=decision.pk)
        return decisions.send_back_decision(
            actor=actor, decision_id=decision.pk, comment="Reasons are too thin."
        )

    def release(self, actor, application_id: int):
        return decisions.release_decisions(
            actor=actor, cohort_id=self.cohort.pk, application_ids=[application_id]
        )

    def file_final(self, actor, application_id: int):
        report = m.Report.objects.filter(
            participation__application_id=application_id,
            kind=ReportKind.FINAL,
            state__in=(ReportState.DUE, ReportState.RETURNED),
        ).first()
        if report is None:
            self.refuse()
        content = reports.ReportContent(active_clients=12, narrative="Exit plan carried out.")
        return reports.file_report(actor=actor, report_id=report.pk, content=content)

    def accept_final(self, actor, application_id: int):
        report = m.Report.objects.filter(
            participation__application_id=application_id, state=ReportState.FILED
        ).first()
        if report is None:
            self.refuse()
        return reports.accept_report(actor=actor, report_id=report.pk)

    def open_rfi(self, application_id: int):
        return m.RequestForInformation.objects.filter(
            application_id=application_id, state=RfiState.OPEN
        ).first()

    # --- Rules: any role tries any action on any application ------------------------------------------

    @precondition(lambda self: len(self.apps) < MAX_APPLICATIONS)
    @rule(actor=actors)
    def start_draft(self, actor) -> None:
        if actor in APPLICANTS:
            self.start(actor, complete=True)
            return
        self.act(
            "start_application",
            actor,
            False,
            lambda user: applications.start_application(actor=user, cohort=self.cohort),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes)
    def edit_draft(self, actor, index) -> None:
        app = self.app(index)
        self.act(
            "save_draft",
            actor,
            may("save_draft", self.users[actor], app),
            lambda user: drafts.save_draft(
                actor=user,
                application_id=app.pk,
                base_revision=app.revision,
                answers={"title": f"Revised title {app.revision + 1}"},
            ),
        )
        self.touched.add(app.pk)  # a draft save writes no audit event

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes)
    def submit(self, actor, index) -> None:
        app = self.app(index)
        self.act(
            "submit",
            actor,
            may("submit", self.users[actor], app),
            lambda user: applications.submit_application(actor=user, application_id=app.pk),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes)
    def withdraw(self, actor, index) -> None:
        app = self.app(index)
        self.act(
            "withdraw",
            actor,
            may("withdraw", self.users[actor], app),
            lambda user: applications.withdraw_application(
                actor=user, application_id=app.pk, reason="We found a partner bank instead."
            ),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, person=st.sampled_from(("r1", "r2", "r3", "r4", "maker")))
    def assign(self, actor, index, person) -> None:
        app, user = self.app(index), self.users[actor]
        pk = self.users[person].pk
        if person == "maker":
            self.act(
                "assign_case_officer",
                actor,
                may("assign_case_officer", user, app),
                lambda u: assignment.assign_case_officer(
                    actor=u, application_id=app.pk, officer_id=pk
                ),
            )
        else:
            self.act(
                "assign_reviewer",
                actor,
                may("assign_reviewer", user, app),
                lambda u: assignment.assign_reviewer(
                    actor=u, application_id=app.pk, reviewer_id=pk
                ),
            )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, person=st.sampled_from(("r1", "r2", "r3", "r4")))
    def unassign(self, actor, index, person) -> None:
        app = self.app(index)
        self.act(
            "unassign_reviewer",
            actor,
            may("unassign_reviewer", self.users[actor], app),
            lambda u: assignment.unassign_reviewer(
                actor=u, application_id=app.pk, reviewer_id=self.users[person].pk
            ),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, recuse=st.booleans())
    def declare(self, actor, index, recuse) -> None:
        app = self.app(index, CASEWORK)
        action = "recuse" if recuse else "declare_no_conflict"

        def call(user):
            if recuse:
                return declarations.recuse(
                    actor=user, application_id=app.pk, reason="A relative works there."
                )
            return declarations.declare_no_conflict(actor=user, application_id=app.pk)

        self.act(action, actor, may(action, self.users[actor], app), call)

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, accept=st.booleans())
    def screen_document(self, actor, index, accept) -> None:
        app = self.app(index, (S.SCREENING,))
        action = "accept_document" if accept else "mark_document_to_correct"
        self.act(
            action,
            actor,
            may(action, self.users[actor], app),
            lambda u: self.screen(u, app.pk, accept=accept),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, step=st.sampled_from(("raise", "answer", "cancel")))
    def information_request(self, actor, index, step) -> None:
        app = self.app(index, CASEWORK)
        rfi = self.open_rfi(app.pk)
        if step != "raise" and rfi is None:
            return

        def call(user):
            if step == "raise":
                return rfis.raise_rfi(
                    actor=user,
                    application_id=app.pk,
                    questions="Who holds the keys?",
                    steps=[],
                    requirement_ids=[],
                )
            if step == "answer":
                return rfis.answer_rfi(actor=user, rfi_id=rfi.pk, answer="A licensed custodian.")
            return rfis.cancel_rfi(actor=user, rfi_id=rfi.pk, reason="Asked by mistake.")

        action = {"raise": "raise_rfi", "answer": "answer_rfi", "cancel": "cancel_rfi"}[step]
        self.act(action, actor, may(action, self.users[actor], app), call)

    @precondition(lambda self: self.apps)
    @rule(
        actor=actors,
        index=indexes,
        action=st.sampled_from(
            (
                "accept_as_complete",
                "find_eligible",
                "complete_evaluation",
                "propose_not_eligible",
                "confirm_not_eligible",
                "send_back_not_eligible",
            )
        ),
    )
    def stage_move(self, actor, index, action) -> None:
        app = self.app(index, CASEWORK)

        def call(user):
            if action == "propose_not_eligible":
                return review_stages.propose_not_eligible(
                    actor=user, application_id=app.pk, reasons="Not a financial service."
                )
            if action == "send_back_not_eligible":
                return review_stages.send_back_not_eligible(
                    actor=user, application_id=app.pk, comment="It is."
                )
            return getattr(review_stages, action)(actor=user, application_id=app.pk)

        self.act(action, actor, may(action, self.users[actor], app), call)

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes)
    def submit_review(self, actor, index) -> None:
        app = self.app(index, (S.EVALUATION,))
        self.act(
            "submit_review",
            actor,
            may("submit_review", self.users[actor], app),
            lambda u: self.review(u, app.pk),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, outcome=OUTCOMES)
    def propose_decision(self, actor, index, outcome) -> None:
        app = self.app(index, (S.DECISION_PENDING, S.WAITLISTED))
        self.act(
            "propose_decision",
            actor,
            may("propose_decision", self.users[actor], app),
            lambda u: self.propose(u, app.pk, outcome),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, confirm=st.booleans())
    def check_decision(self, actor, index, confirm) -> None:
        app = self.app(index, (S.DECISION_PENDING, S.WAITLISTED))
        decision = self.proposed(app.pk)
        if decision is None:
            return
        action = "confirm_decision" if confirm else "send_back_decision"
        self.act(
            action,
            actor,
            may(action, self.users[actor], app, decision),
            lambda u: self.check(u, app.pk, confirm=confirm),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes)
    def release_decision(self, actor, index) -> None:
        app = self.app(index, DECIDED_STATES)
        self.act(
            "release_decision",
            actor,
            may("release_decision", self.users[actor], app),
            lambda u: self.release(u, app.pk),
        )

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes)
    def decline_offer(self, actor, index) -> None:
        app = self.app(index, (S.APPROVED,))
        self.act(
            "decline_offer",
            actor,
            may("decline_offer", self.users[actor], app),
            lambda u: decisions.decline_offer(
                actor=u, application_id=app.pk, reason="We could not raise the capital."
            ),
        )

    @precondition(lambda self: self.apps)
    @rule(
        actor=actors,
        index=indexes,
        action=st.sampled_from(
            (
                "start_onboarding",
                "confirm_condition",
                "start_testing",
                "suspend",
                "reinstate",
                "terminate",
                "start_exit",
                "complete_exit",
            )
        ),
    )
    def supervise(self, actor, index, action) -> None:
        app = self.app(index, (S.APPROVED, S.ONBOARDING, S.TESTING, S.SUSPENDED, S.EXITING))
        reason = "Client funds were mixed with company funds."
        calls = {
            "start_onboarding": lambda u: participations.start_onboarding(actor=u, application_id=app.pk),
            "start_testing": lambda u: participations.start_testing(actor=u, application_id=app.pk),
            "suspend": lambda u: participations.suspend_testing(actor=u, application_id=app.pk, reason=reason),
            "reinstate": lambda u: participations.reinstate_testing(actor=u, application_id=app.pk, reason=reason),
            "terminate": lambda u: participations.terminate_participation(actor=u, application_id=app.pk, reason=reason),
            "start_exit": lambda u: participations.start_exit(actor=u, application_id=app.pk, route=ExitRoute.CEASED, trigger="Funding ended."),
            "complete_exit": lambda u: participations.complete_exit(actor=u, application_id=app.pk),
        }  # fmt: skip
        if action == "confirm_condition":
            condition = m.OnboardingCondition.objects.filter(
                participation__application=app, met_at__isnull=True
            ).first()
            if condition is None:
                return
            calls[action] = lambda u: participations.confirm_condition(
                actor=u, condition_id=condition.pk, evidence_note="Seen the signed agreement."
            )
        self.act(action, actor, may(action, self.users[actor], app), calls[action])

    @precondition(lambda self: self.apps)
    @rule(actor=actors, index=indexes, accept=st.booleans())
    def final_report(self, actor, index, accept) -> None:
        app = self.app(index, (S.EXITING,))
        action = "accept_report" if accept else "file_report"
        call = self.accept_final if accept else self.file_final
        self.act(action, actor, may(action, self.users[actor], app), lambda u: call(u, app.pk))

    # --- What always holds ----------------------------------------------------------------------------

    @invariant()
    def states_are_nodes_and_applicants_see_only_what_was_released(self) -> None:
        applications_ = list(
            m.Application.objects.filter(pk__in=self.apps).select_related(
                "cohort__programme", "organisation"
            )
        )
        for application in applications_:
            assert application.state in NODES, application.state
        # The view of an application nothing was written to since the last check is unchanged.
        applications_ = [app for app in applications_ if app.pk in self.touched]
        self.touched = set()
        if not applications_:
            return
        marks = unreleased_marks([app.pk for app in applications_])
        for name in APPLICANTS:
            user = self.users[name]
            visible = set(
                applications_visible_to(user)
                .filter(pk__in=[app.pk for app in applications_])
                .values_list("pk", flat=True)
            )
            notes = list(notifications_of(user).filter(application__in=applications_))
            for application in applications_:
                member = is_member(user, application)
                assert (application.pk in visible) == member, (name, application.pk)
                mine = [note for note in notes if note.application_id == application.pk]
                if not member:
                    assert mine == [], "an applicant told of another organisation's application"
                elif name == "owner":  # the co-member sees the same pages, with their own notes
                    self.check_applicant_view(application, mine, marks[application.pk])
                else:
                    text = as_text([(note.kind, note.context, note.link) for note in mine])
                    assert_hidden(text, never_shown(self.world) + marks[application.pk], name)

    def check_applicant_view(self, application: m.Application, notes, marks) -> None:
        released = application.decision_released_at is not None
        shown = application.state_for_applicant
        if released:
            assert shown == application.state
        else:
            assert shown not in DECIDED_STATES, f"{shown} shown before its release"
        decision = released_decision(application)
        assert (decision is not None) == released
        timeline = timeline_entries(application)
        events = [entry["event"] for entry in timeline]
        assert decided_moves_shown(events) == [], "the history tells an unreleased decision"
        text = as_text(
            str(NEXT_STEPS[shown]),
            [str(entry["sentence"]) for entry in timeline],
            [event.data for event in events],
            [(note.kind, note.context, note.link) for note in notes],
        )
        assert_hidden(text, never_shown(self.world) + marks, "a view")

    def read_applicant_pages(self) -> None:
        """The owner's pages, rendered, read the same way: the notification centre, and the
        application and participation pages of every application a decision was written for."""
        client = Client()
        owner = self.users["owner"]
        client.force_login(owner)
        mine = [
            app for app in m.Application.objects.filter(pk__in=self.apps) if is_member(owner, app)
        ]
        marks = unreleased_marks(self.apps)
        decided = set(
            m.Decision.objects.filter(application__in=mine).values_list("application_id", flat=True)
        )
        forbidden = never_shown(self.world) + [text for app in mine for text in marks[app.pk]]
        response = client.get(reverse("applications:notification-list"))
        assert response.status_code == 200
        assert_hidden(response.content.decode(), forbidden, "the notification centre")
        for app in mine:
            if app.pk not in decided:
                continue
            detail = client.get(reverse("applications:application-detail", args=[app.pk]))
            html = detail.content.decode()
            assert_hidden(html, forbidden, "the application page")
            badge = f'id="application-state">{app.get_state_for_applicant_display()}<'
            assert badge in html, badge
            page = client.get(reverse("participations:detail", args=[app.pk]))
            assert page.status_code == 200
            assert_hidden(page.content.decode(), forbidden, "the participation page")


@pytest.mark.django_db
def test_lifecycle_holds_under_random_actions_by_every_role():
    LifecycleMachine.world = make_world()
    LifecycleMachine.seen_states = set()
    LifecycleMachine.outcomes = Counter()
    run_state_machine_as_test(LifecycleMachine, settings=PROFILE)
    # The run went deep and wide, so the properties above held for something.
    assert {S.SUBMITTED, S.EVALUATION, S.DECISION_PENDING, S.APPROVED, S.TESTING} <= (
        LifecycleMachine.seen_states
    ), LifecycleMachine.seen_states
    refused = sum(n for k, n in LifecycleMachine.outcomes.items() if k.startswith("refused"))
    done = sum(n for k, n in LifecycleMachine.outcomes.items() if k.startswith("done"))
    assert refused > 0
    assert done > 0
