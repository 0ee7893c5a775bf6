"""One small world with a person in every role the security matrix asks about, and the objects
the URL patterns point at (DESIGN.md §4; issue "Proof at scale", security matrix)."""

import re
from dataclasses import dataclass, field
from datetime import date

from applications.enums import CalendarDayKind, Declaration, NotificationKind, NotificationState
from applications.models import CalendarDay, Notification
from tests import factories

ROLES = (
    "anonymous",
    "owner",  # the applicant organisation's admin, who started the application
    "co_member",  # a member of the same organisation, not its admin
    "stranger",  # an applicant of another organisation
    "reviewer_assigned",  # on the panel, assigned, declared no conflict
    "reviewer_unassigned",  # on the panel, not assigned
    "reviewer_recused",  # assigned, then recused
    "admin",  # a programme admin with two-factor
    "deactivated",  # a former member of the applicant organisation, deactivated
    "staff_without_2fa",  # a programme admin who has not set up two-factor yet
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    world = World()
    cohort = factories.CohortFactory()
    owner = factories.ApplicantFactory()
    organisation = owner.organisation
    submitted = factories.SubmittedApplicationFactory(
        organisation=organisation, cohort=cohort, created_by=owner, state="evaluation"
    )
    draft = factories.ApplicationFactory(organisation=organisation, cohort=cohort, created_by=owner)
    requirement = factories.DocumentRequirementFactory(programme=cohort.programme)
    version = factories.DocumentVersionFactory(
        document=factories.DocumentFactory(application=submitted, requirement=requirement)
    )
    factories.DocumentVersionFactory(
        document=factories.DocumentFactory(application=draft, requirement=requirement)
    )
    reviewers = {
        role: factories.ReviewerFactory()
        for role in ("reviewer_assigned", "reviewer_unassigned", "reviewer_recused")
    }
    cohort.panel.add(*reviewers.values())
    admin = factories.ProgrammeAdminFactory()
    factories.ReviewerAssignmentFactory(
        application=submitted,
        reviewer=reviewers["reviewer_assigned"],
        assigned_by=admin,
        declaration=Declaration.NO_CONFLICT,
    )
    factories.ReviewerAssignmentFactory(
        application=submitted,
        reviewer=reviewers["reviewer_recused"],
        assigned_by=admin,
        declaration=Declaration.RECUSED,
        recusal_reason="My brother is the firm's CTO.",
    )
    invitation, token = _invitation(owner)
    world.users = {
        "anonymous": None,
        "owner": owner,
        "co_member": factories.ApplicantFactory(
            organisation=organisation, is_organisation_admin=False
        ),
        "stranger": factories.ApplicantFactory(),
        **reviewers,
        "admin": admin,
        "deactivated": factories.ApplicantFactory(organisation=organisation, is_active=False),
        "staff_without_2fa": factories.ProgrammeAdminFactory(totp=False),
    }
    conflict = factories.ConflictOfInterestFactory(
        reviewer=reviewers["reviewer_assigned"],
        organisation=world.users["stranger"].organisation,
    )
    calendar_day = CalendarDay.objects.create(
        date=date(2026, 12, 31), kind=CalendarDayKind.DAY_OFF, note="Bridge day"
    )
    rfi = factories.RequestForInformationFactory(application=submitted, raised_by=admin)
    notification = Notification.objects.create(
        recipient=owner,
        recipient_email=owner.email,
        kind=NotificationKind.RFI_RAISED,
        language="en",
        application=submitted,
        context={"reference": submitted.reference, "title": submitted.title},
        link="/",
        state=NotificationState.FAILED,
    )
    world.objects = {
        "notification": notification,
        "rfi": rfi,
        "calendar_day": calendar_day,
        "conflict": conflict,
        "cohort": cohort,
        "submitted": submitted,
        "draft": draft,
        "requirement": requirement,
        "version": version,
        "invitation": invitation,
        "invitation_token": token,
    }
    return world


def _invitation(owner):
    from portal.accounts.services import invite_member

    invitation = invite_member(
        actor=owner, organisation=owner.organisation, email="new.member@example.kz"
    )
    return invitation, invitation.token


# How each URL parameter is filled in. A route may override (ROUTE_ARGUMENTS in the test).
_PARAMETER = re.compile(
    r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>[^)]*\)"
)


def fill_route(route: str, values: dict) -> str:
    """A concrete path for a route pattern, its parameters replaced by `values`."""

    def substitute(match: re.Match) -> str:
        name = match.group("name") or match.group("regex_name")
        return str(values[name])

    path = _PARAMETER.sub(substitute, route)
    return "/" + path.replace("^", "").replace("$", "")
