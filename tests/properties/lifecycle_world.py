"""The world the stateful lifecycle test acts in, and what it checks after every action.

Kept apart from the state machine so that each piece reads on its own: the people and the
programme (`make_world`), the lifecycle graph as the model declares it (`GRAPH`), who may do what
in the test's own words (`may`), a fingerprint of everything a refused action must leave alone,
and the checks of one action's audit events and notifications.
"""

import json
from dataclasses import dataclass, field
from itertools import pairwise

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from applications import models as m
from applications.enums import ApplicationState, Declaration, NotificationKind
from applications.models.application import DECIDED_STATES
from portal.accounts.models import Role, User
from tests import factories

S = ApplicationState

# The lifecycle graph, read from the model's django-fsm transitions: never a copy of DESIGN.md.
GRAPH: dict[tuple[str, str], str] = {
    (str(t.source), str(t.target)): t.name
    for t in m.Application._meta.get_field("state").get_all_transitions(m.Application)
}
NODES = {state for edge in GRAPH for state in edge}
STATE_VALUES = set(S.values)

# Which audit events cause which notification (services write both in one transaction). The
# notification kinds share their names with the event kinds that cause them; a case officer is
# told of the assignment with the reviewer's notification.
CAUSES = {kind: {kind} for kind in NotificationKind.values}
CAUSES[NotificationKind.REVIEWER_ASSIGNED] = {"reviewer_assigned", "case_officer_assigned"}

# The people, by the name the state machine draws: the roles of the security matrix.
ROLES = ("owner", "co_member", "outsider", "r1", "r2", "r3", "r4", "maker", "checker")
# Strings that mark what an applicant must never read (reviewer identities, review contents) or
# must not read before the decision is released (markers written into every decision).
REVIEWER_NAME = "Zhanibek Reviewerov {}"
REVIEW_SUMMARY = "PANEL-ONLY review summary"
REVIEW_RATIONALE = "PANEL-ONLY rationale"
DECISION_MARK = "UNRELEASED-DECISION-{}"


@dataclass
class World:
    """Made once per test; every example rolls back to it."""

    cohort_id: int
    requirement_id: int
    criteria_ids: list[int]
    user_ids: dict[str, int]
    reviewer_texts: list[str] = field(default_factory=list)


def make_world() -> World:
    programme = factories.ProgrammeFactory(reviews_required=2)
    criteria = [factories.CriterionFactory(programme=programme) for _ in range(2)]
    requirement = factories.DocumentRequirementFactory(programme=programme)
    # Two places: approvals compete for them, waitlisting and promotion get exercised.
    cohort = factories.CohortFactory(programme=programme, capacity=2)
    owner = factories.ApplicantFactory()
    users = {
        "owner": owner,
        "co_member": factories.ApplicantFactory(
            organisation=owner.organisation, is_organisation_admin=False
        ),
        "outsider": factories.ApplicantFactory(),
        "maker": factories.ProgrammeAdminFactory(),
        "checker": factories.ProgrammeAdminFactory(),
    }
    texts = []
    for number in range(1, 5):
        name = REVIEWER_NAME.format(number)
        reviewer = factories.ReviewerFactory(full_name=name)
        cohort.panel.add(reviewer)
        users[f"r{number}"] = reviewer
        texts += [name, reviewer.email]
    return World(
        cohort_id=cohort.pk,
        requirement_id=requirement.pk,
        criteria_ids=[criterion.pk for criterion in criteria],
        user_ids={name: user.pk for name, user in users.items()},
        reviewer_texts=texts,
    )


# --- Who may do what, in the test's own words (DESIGN.md §4) -----------------------------------


def is_member(user: User, application) -> bool:
    return user.role == Role.APPLICANT and user.organisation_id == application.organisation_id


def is_admin(user: User) -> bool:
    return user.role == Role.PROGRAMME_ADMIN


def is_cleared(user: User, application) -> bool:
    return (
        user.role == Role.REVIEWER
        and m.ReviewerAssignment.objects.filter(
            application_id=application.pk, reviewer=user, declaration=Declaration.NO_CONFLICT
        ).exists()
    )


def is_assigned(user: User, application) -> bool:
    return m.ReviewerAssignment.objects.filter(
        application_id=application.pk, reviewer=user
    ).exists()


MEMBER_ACTIONS = {"save_draft", "submit", "withdraw", "answer_rfi", "decline_offer", "file_report"}
STAFF_ON_CASE_ACTIONS = {
    "accept_document",
    "mark_document_to_correct",
    "raise_rfi",
    "cancel_rfi",
    "accept_as_complete",
    "find_eligible",
    "propose_not_eligible",
    "complete_evaluation",
}
ADMIN_ACTIONS = {
    "assign_case_officer",
    "assign_reviewer",
    "unassign_reviewer",
    "confirm_not_eligible",
    "send_back_not_eligible",
    "propose_decision",
    "release_decision",
    "start_onboarding",
    "confirm_condition",
    "start_testing",
    "suspend",
    "reinstate",
    "terminate",
    "start_exit",
    "accept_report",
    "complete_exit",
}
# Permissions that also name the state (rules.py): reviewing only in EVALUATION, assigning only
# while the application is open for assignment.
STATE_IN_PERMISSION = {
    "submit_review",
    "assign_reviewer",
    "unassign_reviewer",
    "assign_case_officer",
}


def may(action: str, user: User, application, decision=None) -> bool:
    """Whether the role may attempt `action` at all (the state may still refuse it)."""
    if action in MEMBER_ACTIONS:
        return is_member(user, application)
    if action in STAFF_ON_CASE_ACTIONS:
        return is_admin(user) or is_cleared(user, application)
    if action in ADMIN_ACTIONS:
        return is_admin(user)
    if action in ("confirm_decision", "send_back_decision"):
        # Four eyes: a second programme admin, never the maker.
        return is_admin(user) and decision is not None and decision.made_by_id != user.pk
    if action == "submit_review":
        return is_cleared(user, application)
    if action in ("declare_no_conflict", "recuse"):
        return user.role == Role.REVIEWER and is_assigned(user, application)
    raise AssertionError(f"no permission oracle for {action}")


# --- What a refused action must leave alone ------------------------------------------------------

FINGERPRINTED = (
    m.Application,
    m.Decision,
    m.DecisionReason,
    m.Review,
    m.CriterionScore,
    m.ReviewerAssignment,
    m.RequestForInformation,
    m.Document,
    m.DocumentVersion,
    m.DraftRevision,
    m.Participation,
    m.OnboardingCondition,
    m.Report,
)
# Written only by appending: their count and newest id say whether anything was written.
APPEND_ONLY = (m.AuditEvent, m.Notification)


def fingerprint() -> list:
    """Every row of the workflow tables (raw SQL: it runs twice per action, so it must be cheap)."""
    rows = []
    with connection.cursor() as cursor:
        for model in FINGERPRINTED:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - our own table names
            rows.append(cursor.fetchall())
        for model in APPEND_ONLY:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")  # noqa: S608 - as above
            rows.append(cursor.fetchall())
    return rows


# --- One action's audit events and notifications ---------------------------------------------------


def transition_events(events) -> list:
    """Events that record a state move: their data names a from-state and a to-state."""
    return [
        event
        for event in events
        if event.data.get("from") in STATE_VALUES and event.data.get("to") in STATE_VALUES
    ]


def check_transitions(before: dict[int, str], after: dict[int, str], events, actor) -> None:
    """Each state move is a path of graph edges, each edge with exactly one transition event
    written by the actor, and no transition event without a move."""
    moves = transition_events(events)
    assert {event.application_id for event in moves} <= set(after), "a move of nothing"
    for application_id in after:
        mine = [event for event in moves if event.application_id == application_id]
        # An application started by the action begins as a draft, without a transition event.
        start, end = before.get(application_id, S.DRAFT), after[application_id]
        path = [(event.data["from"], event.data["to"]) for event in mine]
        if start == end:
            assert path == [], f"application {application_id}: events {path} but no move"
            continue
        assert path, f"application {application_id}: {start} → {end} left no transition event"
        assert path[0][0] == start, (start, end, path)
        assert path[-1][1] == end, (start, end, path)
        assert all(a[1] == b[0] for a, b in pairwise(path)), path
        for edge, event in zip(path, mine, strict=True):
            assert edge in GRAPH, f"{edge} is not an edge of the lifecycle graph"
            assert event.actor_id == actor.pk, (edge, event.actor_id, actor.pk)


def check_notifications(notifications, events) -> None:
    """Every outbox row written by the action has its cause among the action's audit events."""
    for notification in notifications:
        causes = [
            event
            for event in events
            if event.kind in CAUSES[notification.kind]
            and (notification.application_id in (None, event.application_id))
        ]
        assert causes, f"notification {notification.kind} without its cause"
        recipient = notification.recipient
        if recipient is not None and recipient.role == Role.APPLICANT:
            assert notification.application.organisation_id == recipient.organisation_id, (
                "an applicant notified about another organisation's application"
            )
        if notification.kind == NotificationKind.REVIEWER_ASSIGNED:
            named = {event.data.get("reviewer") for event in causes}
            named |= {event.data.get("to") for event in causes}
            assert recipient.pk in named, "a reviewer notified of someone else's assignment"
    # Causes that must reach every active member of the applicant organisation.
    for event in events:
        if event.kind in ("decision_released", "rfi_raised", "application_submitted"):
            members = User.objects.filter(
                organisation_id=event.application.organisation_id, is_active=True
            ).count()
            sent = [
                notification
                for notification in notifications
                if notification.kind == event.kind
                and notification.application_id == event.application_id
            ]
            assert len(sent) == members, (event.kind, len(sent), members)


# --- What an applicant can see ----------------------------------------------------------------------


def as_text(*values) -> str:
    return json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False, default=str)


def unreleased_marks(application_ids) -> dict[int, list[str]]:
    """Texts of the decisions not released (yet), by application (two queries)."""
    marks: dict[int, list[str]] = {pk: [] for pk in application_ids}
    unreleased = m.Decision.objects.filter(
        application_id__in=application_ids, released_at__isnull=True
    ).prefetch_related("reasons")
    for decision in unreleased:
        texts = [decision.summary, *decision.condition_lines]
        texts += [reason.text for reason in decision.reasons.all()]
        marks[decision.application_id] += [text for text in texts if text]
    return marks


def never_shown(world: World) -> list[str]:
    return [*world.reviewer_texts, REVIEW_SUMMARY, REVIEW_RATIONALE]


def assert_hidden(text: str, forbidden: list[str], where: str) -> None:
    for mark in forbidden:
        assert mark not in text, f"{where} shows {mark!r} to the applicant"


def decided_moves_shown(events) -> list:
    """Applicant-visible events that would tell a decision: a move into a decided state."""
    return [event for event in events if event.data.get("to") in DECIDED_STATES]
