"""Permission matrix for decisions and supervision: role × state × action, through the views."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(application):
    return type(application).objects.get(pk=application.pk)


def participation_in(state, applicant, **extra):
    return factories.ParticipationFactory(
        application__state=state,
        application__organisation=applicant.organisation,
        application__created_by=applicant,
        **extra,
    )


def onboarding_with_condition(applicant, state="onboarding"):
    participation = participation_in(state, applicant)
    return participation.onboarding_conditions.create(kind="agreement", text="Agreement signed")


# action: (url name, state it is allowed in, how to build (url args, data), state after)
def setup_action(action, state, applicant):
    if action == "confirm" or action == "send-back":
        application = factories.SubmittedApplicationFactory(
            state=state, organisation=applicant.organisation, created_by=applicant
        )
        decision = factories.DecisionFactory(application=application)
        return application, [decision.pk], {"comment": "Check the dates"}
    if action == "condition-confirm":
        condition = onboarding_with_condition(applicant, state)
        return condition.participation.application, [condition.pk], {"evidence_note": "Signed copy"}
    if action in ("report-accept", "report-return"):
        participation = participation_in(state, applicant)
        report = factories.ReportFactory(
            participation=participation, state="filed", filed_at=timezone.now()
        )
        return participation.application, [report.pk], {"comment": "Wrong volume"}
    if action in ("extension-approve", "extension-refuse"):
        participation = participation_in(state, applicant)
        extension = participation.extension_requests.create(
            months=2, reason="Pilot", requested_by=applicant
        )
        if state != "testing":
            extension.state = "refused"
            extension.save()
        return participation.application, [extension.pk], {"note": "Not needed"}
    participation = participation_in(state, applicant)
    if action == "exit-complete":
        factories.ReportFactory(
            participation=participation,
            kind="final",
            state="accepted",
            filed_at=timezone.now(),
            period_start=None,
        )
    data = {"reason": "Breach of the limits", "route": "ceased", "trigger": "End of test"}
    return participation.application, [participation.application_id], data


STAFF_ACTIONS = {
    # action: (allowed state, state after, a state where it cannot happen)
    "confirm": ("decision_pending", "approved", "evaluation"),
    "send-back": ("decision_pending", "decision_pending", "decision_pending"),
    "onboarding": ("approved", "onboarding", "testing"),
    "condition-confirm": ("onboarding", "onboarding", "testing"),
    "suspend": ("testing", "suspended", "exiting"),
    "reinstate": ("suspended", "testing", "testing"),
    "terminate": ("testing", "terminated", "approved"),
    "exit": ("testing", "exiting", "onboarding"),
    "exit-complete": ("exiting", "exited", "testing"),
    "report-accept": ("testing", "testing", "testing"),
    "report-return": ("testing", "testing", "testing"),
    "extension-approve": ("testing", "testing", "exited"),
    "extension-refuse": ("testing", "testing", "exited"),
}
NAMESPACE = {"confirm": "decisions", "send-back": "decisions"}
ROLES = {
    "anonymous": 302,
    "member": 403,
    "other_applicant": 404,
    "reviewer": 404,
    "programme_admin": 302,
}


def actor_for(role, applicant):
    return {
        "anonymous": None,
        "member": applicant,
        "other_applicant": factories.ApplicantFactory(),
        "reviewer": factories.ReviewerFactory(),
        "programme_admin": factories.ProgrammeAdminFactory(),
    }[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_staff_actions_by_role(client, applicant, role, action):
    state, after, _wrong = STAFF_ACTIONS[action]
    application, args, data = setup_action(action, state, applicant)
    user = actor_for(role, applicant)
    if user is not None:
        client.force_login(user)
    url = reverse(f"{NAMESPACE.get(action, 'participations')}:{action}", args=args)
    events_before = AuditEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == ROLES[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    if role == "programme_admin":
        assert fresh(application).state == after
        assert AuditEvent.objects.count() == events_before + 1
    else:
        assert fresh(application).state == state
        assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_staff_actions_in_the_wrong_state_change_nothing(client, applicant, action):
    _state, _after, wrong = STAFF_ACTIONS[action]
    application, args, data = setup_action(action, wrong, applicant)
    if action in ("send-back", "report-accept", "report-return", "reinstate"):
        # Same application state, but the object itself is no longer waiting for this action.
        if action == "send-back":
            application.decisions.update(state="sent_back")
        elif action == "reinstate":
            pass
        else:
            application.participation.reports.update(state="accepted")
    client.force_login(factories.ProgrammeAdminFactory())
    events_before = AuditEvent.objects.count()
    response = client.post(
        reverse(f"{NAMESPACE.get(action, 'participations')}:{action}", args=args), data, follow=True
    )
    assert response.status_code == 200
    assert {message.level_tag for message in response.context["messages"]} == {"error"}
    assert fresh(application).state == wrong
    assert AuditEvent.objects.count() == events_before


APPLICANT_ACTIONS = {
    # action: (state, url builder, data)
    "decline": ("approved", {"reason": "No funding"}),
    "extension": ("testing", {"months": 2, "reason": "Pilot"}),
    "incident": ("testing", {"narrative": "Outage", "active_clients": 3}),
    "report-file": ("testing", None),
}
APPLICANT_ROLES = {
    "anonymous": 302,
    "member": 302,
    "other_applicant": 404,
    "reviewer": 404,
    "programme_admin": 403,
}
REPORT_DATA = {
    "active_clients": 10,
    "transactions_count": 5,
    "transactions_volume": "100.50",
    "complaints": 0,
    "incidents": 0,
    "limit_breaches": 0,
    "narrative": "Quiet month.",
}


@pytest.mark.parametrize("role", APPLICANT_ROLES)
@pytest.mark.parametrize("action", APPLICANT_ACTIONS)
def test_participant_actions_by_role(client, applicant, role, action, settings):
    state, data = APPLICANT_ACTIONS[action]
    participation = participation_in(state, applicant, ends_on=date(2099, 1, 31))
    application = participation.application
    args = [application.pk]
    if action == "report-file":
        report = factories.ReportFactory(participation=participation)
        args.append(report.pk)
        data = REPORT_DATA
    user = actor_for(role, applicant)
    if user is not None:
        client.force_login(user)
    events_before = AuditEvent.objects.count()
    response = client.post(reverse(f"participations:{action}", args=args), data)
    assert response.status_code == APPLICANT_ROLES[role]
    if role == "member":
        assert response["Location"] == reverse("participations:detail", args=[application.pk])
        assert AuditEvent.objects.count() == events_before + 1
    else:
        assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("action", APPLICANT_ACTIONS)
def test_participant_actions_in_the_wrong_state_change_nothing(client, applicant, action):
    _state, data = APPLICANT_ACTIONS[action]
    participation = participation_in("exited", applicant)
    args = [participation.application_id]
    if action == "report-file":
        args.append(factories.ReportFactory(participation=participation).pk)
        data = REPORT_DATA
    client.force_login(applicant)
    events_before = AuditEvent.objects.count()
    response = client.post(reverse(f"participations:{action}", args=args), data, follow=True)
    assert {message.level_tag for message in response.context["messages"]} == {"error"}
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize(
    "name", ["participations:suspend", "participations:decline", "participations:onboarding"]
)
def test_actions_are_post_only(client, applicant, name):
    participation = participation_in("testing", applicant)
    client.force_login(applicant)
    response = client.get(reverse(name, args=[participation.application_id]))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("name", "role", "status"),
    [
        ("decisions:index", "member", 403),
        ("decisions:index", "reviewer", 403),
        ("decisions:index", "programme_admin", 200),
        ("decisions:overdue-reports", "reviewer", 403),
        ("participations:staff-list", "member", 403),
        ("participations:staff-list", "programme_admin", 200),
    ],
)
def test_console_pages_are_for_programme_admins(client, applicant, name, role, status):
    client.force_login(actor_for(role, applicant))
    assert client.get(reverse(name)).status_code == status
