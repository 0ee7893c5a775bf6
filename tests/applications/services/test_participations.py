"""Onboarding, testing, reports, extensions, suspension, termination and exit."""

from datetime import date, timedelta

import pytest

from applications.enums import EventKind, ExtensionState, ReportKind, ReportState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import AuditEvent, CalendarDay, Report
from applications.services import participations as service
from applications.services.extensions import decide_extension, request_extension
from applications.services.reports import (
    ReportContent,
    accept_report,
    file_incident,
    file_report,
    return_report,
)
from tests import factories

pytestmark = pytest.mark.django_db

FIGURES = ReportContent(
    active_clients=120,
    transactions_count=900,
    transactions_volume=45000,
    complaints=1,
    incidents=0,
    limit_breaches=0,
    narrative="Steady growth; one complaint about fees, answered in 3 days.",
)


def fresh(application):
    return type(application).objects.get(pk=application.pk)


def kinds(application):
    return list(
        AuditEvent.objects.filter(application=application)
        .order_by("id")
        .values_list("kind", flat=True)
    )


@pytest.fixture
def approved(applicant):
    """Approved and released, with one condition in the decision."""
    participation = factories.ParticipationFactory(
        application__state="approved",
        application__organisation=applicant.organisation,
        application__created_by=applicant,
        decision__conditions="Appoint a compliance officer\nOpen a segregated account",
    )
    return participation.application


@pytest.fixture
def testing(applicant):
    participation = factories.ParticipationFactory(
        application__organisation=applicant.organisation, application__created_by=applicant
    )
    return participation.application


def test_onboarding_writes_the_standard_and_decision_conditions(approved, programme_admin):
    service.start_onboarding(actor=programme_admin, application_id=approved.pk)
    assert fresh(approved).state == "onboarding"
    conditions = list(approved.participation.onboarding_conditions.all())
    assert [c.kind for c in conditions] == [
        "agreement",
        "disclosure",
        "aml",
        "key_appointments",
        "decision_condition",
        "decision_condition",
    ]
    assert [c.text for c in conditions[-2:]] == [
        "Appoint a compliance officer",
        "Open a segregated account",
    ]
    assert kinds(approved) == [EventKind.ONBOARDING_STARTED]


def test_onboarding_waits_for_the_release(programme_admin):
    participation = factories.ParticipationFactory(
        application__state="approved", application__decision_released_at=None
    )
    with pytest.raises(WorkflowError) as error:
        service.start_onboarding(actor=programme_admin, application_id=participation.application_id)
    assert error.value.problems == ["The decision has not been released to the applicant yet."]


def test_testing_starts_only_when_every_condition_is_met(approved, programme_admin):
    service.start_onboarding(actor=programme_admin, application_id=approved.pk)
    conditions = list(approved.participation.onboarding_conditions.all())
    with pytest.raises(WorkflowError, match="Record the evidence"):
        service.confirm_condition(
            actor=programme_admin, condition_id=conditions[0].pk, evidence_note=" "
        )
    for condition in conditions[:-1]:
        service.confirm_condition(
            actor=programme_admin, condition_id=condition.pk, evidence_note="Seen the signed copy."
        )
    with pytest.raises(WorkflowError) as error:
        service.start_testing(actor=programme_admin, application_id=approved.pk)
    assert error.value.problems == ["Not yet met: Open a segregated account"]
    document = factories.DocumentFactory(application=approved)
    service.confirm_condition(
        actor=programme_admin,
        condition_id=conditions[-1].pk,
        evidence_note="",
        evidence_document_id=document.pk,
    )
    service.start_testing(actor=programme_admin, application_id=approved.pk)
    assert fresh(approved).state == "testing"
    reports = Report.objects.filter(participation=approved.participation)
    assert reports.filter(kind=ReportKind.MONTHLY).count() == 12
    assert reports.filter(kind=ReportKind.QUARTERLY).count() == 4
    first = reports.order_by("due_on").first()
    assert (first.period_end, first.due_on) == (date(2027, 2, 28), date(2027, 3, 16))
    assert kinds(approved).count(EventKind.CONDITION_MET) == 6


def test_schedule_follows_admin_bridge_days(approved, programme_admin):
    CalendarDay.objects.create(date=date(2027, 3, 16), kind="day_off", note="Bridge")
    service.start_onboarding(actor=programme_admin, application_id=approved.pk)
    for condition in approved.participation.onboarding_conditions.all():
        service.confirm_condition(
            actor=programme_admin, condition_id=condition.pk, evidence_note="OK"
        )
    service.start_testing(actor=programme_admin, application_id=approved.pk)
    first = Report.objects.filter(participation=approved.participation).order_by("due_on").first()
    assert first.due_on == date(2027, 3, 17)


def test_evidence_document_must_belong_to_the_application(approved, programme_admin):
    service.start_onboarding(actor=programme_admin, application_id=approved.pk)
    condition = approved.participation.onboarding_conditions.first()
    stranger = factories.DocumentFactory()
    with pytest.raises(WorkflowError, match="must be one of this application's"):
        service.confirm_condition(
            actor=programme_admin,
            condition_id=condition.pk,
            evidence_note="",
            evidence_document_id=stranger.pk,
        )
    service.confirm_condition(actor=programme_admin, condition_id=condition.pk, evidence_note="OK")
    with pytest.raises(StaleState):
        service.confirm_condition(
            actor=programme_admin, condition_id=condition.pk, evidence_note="OK"
        )


def test_applicant_cannot_supervise(approved, applicant):
    with pytest.raises(NotAllowed):
        service.start_onboarding(actor=applicant, application_id=approved.pk)


def test_suspend_reinstate_terminate_with_reasons(testing, programme_admin):
    with pytest.raises(WorkflowError, match="Give the reason for the suspension"):
        service.suspend_testing(actor=programme_admin, application_id=testing.pk, reason="")
    service.suspend_testing(
        actor=programme_admin, application_id=testing.pk, reason="Breach of limits"
    )
    assert fresh(testing).state == "suspended"
    testing.participation.refresh_from_db()
    assert testing.participation.suspension_reason == "Breach of limits"
    service.reinstate_testing(actor=programme_admin, application_id=testing.pk, reason="Fixed")
    assert fresh(testing).state == "testing"
    service.terminate_participation(
        actor=programme_admin, application_id=testing.pk, reason="Fraud"
    )
    assert fresh(testing).state == "terminated"
    testing.participation.refresh_from_db()
    assert (testing.participation.exit_route, testing.participation.termination_reason) == (
        "terminated",
        "Fraud",
    )
    assert kinds(testing) == [
        EventKind.TESTING_SUSPENDED,
        EventKind.TESTING_REINSTATED,
        EventKind.PARTICIPATION_TERMINATED,
    ]


@pytest.mark.parametrize(
    ("route", "final_state"), [("graduated", "graduated"), ("ceased", "exited")]
)
def test_exit_needs_an_accepted_final_report(
    testing, programme_admin, applicant, route, final_state
):
    with pytest.raises(WorkflowError, match="Choose the exit route"):
        service.start_exit(
            actor=programme_admin, application_id=testing.pk, route="terminated", trigger="x"
        )
    service.start_exit(
        actor=programme_admin, application_id=testing.pk, route=route, trigger="End of test"
    )
    assert fresh(testing).state == "exiting"
    final = Report.objects.get(participation=testing.participation, kind=ReportKind.FINAL)
    with pytest.raises(WorkflowError) as error:
        service.complete_exit(actor=programme_admin, application_id=testing.pk)
    assert error.value.problems == ["The final report must be filed and accepted first."]
    file_report(actor=applicant, report_id=final.pk, content=FIGURES)
    accept_report(actor=programme_admin, report_id=final.pk)
    service.complete_exit(actor=programme_admin, application_id=testing.pk)
    assert fresh(testing).state == final_state


@pytest.mark.parametrize(
    ("route", "final_state"), [("graduated", "graduated"), ("voluntary", "exited")]
)
def test_an_exit_started_by_the_portal_takes_its_route_when_closed(
    testing, programme_admin, applicant, route, final_state
):
    ended = testing.participation.ends_on
    service.start_exits_at_test_end(today=ended + timedelta(days=1))
    final = Report.objects.get(participation=testing.participation, kind=ReportKind.FINAL)
    file_report(actor=applicant, report_id=final.pk, content=FIGURES)
    accept_report(actor=programme_admin, report_id=final.pk)

    for refused in ("", "terminated"):
        with pytest.raises(WorkflowError, match="Choose the exit route"):
            service.complete_exit(actor=programme_admin, application_id=testing.pk, route=refused)
    assert fresh(testing).state == "exiting"

    service.complete_exit(actor=programme_admin, application_id=testing.pk, route=route)

    assert fresh(testing).state == final_state
    testing.participation.refresh_from_db()
    assert testing.participation.exit_route == route


def test_a_route_chosen_at_the_start_of_the_exit_is_kept_at_its_close(
    testing, programme_admin, applicant
):
    service.start_exit(
        actor=programme_admin, application_id=testing.pk, route="graduated", trigger="Licence"
    )
    final = Report.objects.get(participation=testing.participation, kind=ReportKind.FINAL)
    file_report(actor=applicant, report_id=final.pk, content=FIGURES)
    accept_report(actor=programme_admin, report_id=final.pk)

    service.complete_exit(actor=programme_admin, application_id=testing.pk, route="voluntary")

    assert fresh(testing).state == "graduated"


def test_final_report_only_while_exiting(testing, applicant):
    final = factories.ReportFactory(
        participation=testing.participation, kind="final", period_start=None, period_end=None
    )
    with pytest.raises(StaleState, match="Reports cannot be filed while"):
        file_report(actor=applicant, report_id=final.pk, content=FIGURES)


def test_report_filed_returned_refiled_accepted(
    testing, applicant, programme_admin, other_applicant
):
    report = factories.ReportFactory(participation=testing.participation)
    with pytest.raises(NotAllowed):
        file_report(actor=other_applicant, report_id=report.pk, content=FIGURES)
    with pytest.raises(WorkflowError, match="narrative"):
        file_report(actor=applicant, report_id=report.pk, content=ReportContent(narrative=""))
    file_report(actor=applicant, report_id=report.pk, content=FIGURES)
    report.refresh_from_db()
    assert (report.state, report.active_clients, report.filed_by) == (
        ReportState.FILED,
        120,
        applicant,
    )
    with pytest.raises(StaleState):
        file_report(actor=applicant, report_id=report.pk, content=FIGURES)
    with pytest.raises(WorkflowError, match="Say what the participant must correct"):
        return_report(actor=programme_admin, report_id=report.pk, comment="")
    return_report(actor=programme_admin, report_id=report.pk, comment="Volume is in KZT, not USD.")
    report.refresh_from_db()
    assert (report.state, report.review_comment) == (
        ReportState.RETURNED,
        "Volume is in KZT, not USD.",
    )
    file_report(actor=applicant, report_id=report.pk, content=FIGURES)
    accept_report(actor=programme_admin, report_id=report.pk)
    report.refresh_from_db()
    assert (report.state, report.reviewed_by, report.review_comment) == (
        ReportState.ACCEPTED,
        programme_admin,
        "",
    )
    with pytest.raises(StaleState):
        accept_report(actor=programme_admin, report_id=report.pk)
    assert kinds(testing) == [
        EventKind.REPORT_FILED,
        EventKind.REPORT_RETURNED,
        EventKind.REPORT_FILED,
        EventKind.REPORT_ACCEPTED,
    ]


def test_incident_report_any_time_while_testing(testing, applicant):
    incident = file_incident(
        actor=applicant,
        application_id=testing.pk,
        content=ReportContent(incidents=1, narrative="Outage 2h"),
    )
    assert (incident.kind, incident.state, incident.due_on) == ("incident", "filed", None)
    assert kinds(testing) == [EventKind.INCIDENT_REPORTED]


# --- Extensions: each rule with its exact message ---

ENDS = date(2028, 1, 31)  # ParticipationFactory's end of testing


def test_extension_must_be_asked_sixty_days_before_the_end(testing, applicant):
    last_day = ENDS - timedelta(days=60)
    request_extension(
        actor=applicant, application_id=testing.pk, months=3, reason="More data", on=last_day
    )
    assert testing.participation.extension_requests.get().state == ExtensionState.PENDING


def test_extension_asked_too_late_is_refused(testing, applicant):
    with pytest.raises(WorkflowError) as error:
        request_extension(
            actor=applicant,
            application_id=testing.pk,
            months=3,
            reason="More data",
            on=ENDS - timedelta(days=59),
        )
    assert error.value.problems == [
        "An extension must be asked at least 60 days before the test ends: "
        "the last day to ask was Dec. 2, 2027."
    ]


def test_extension_longer_than_allowed_is_refused(testing, applicant):
    with pytest.raises(WorkflowError) as error:
        request_extension(
            actor=applicant, application_id=testing.pk, months=7, reason="More", on=date(2027, 6, 1)
        )
    assert error.value.problems == ["An extension may be from 1 to 6 months."]


def test_second_extension_is_refused(testing, applicant, programme_admin):
    extension = request_extension(
        actor=applicant, application_id=testing.pk, months=6, reason="More", on=date(2027, 6, 1)
    )
    with pytest.raises(
        WorkflowError, match="An extension request is already waiting for a decision"
    ):
        request_extension(
            actor=applicant, application_id=testing.pk, months=1, reason="x", on=date(2027, 6, 1)
        )
    decide_extension(actor=programme_admin, extension_id=extension.pk, approve=True, note="")
    with pytest.raises(WorkflowError) as error:
        request_extension(
            actor=applicant, application_id=testing.pk, months=1, reason="More", on=date(2027, 6, 1)
        )
    assert error.value.problems == [
        "This test has already used the 1 extension the programme allows."
    ]


def test_programme_settings_drive_the_extension_rules(testing, applicant):
    programme = testing.cohort.programme
    programme.max_extensions, programme.max_extension_months = 2, 3
    programme.extension_notice_days = 90
    programme.save()
    with pytest.raises(WorkflowError) as error:
        request_extension(
            actor=applicant,
            application_id=testing.pk,
            months=4,
            reason="x",
            on=ENDS - timedelta(days=89),
        )
    assert error.value.problems == [
        "An extension may be from 1 to 3 months.",
        "An extension must be asked at least 90 days before the test ends: "
        "the last day to ask was Nov. 2, 2027.",
    ]


def test_approved_extension_moves_the_end_and_schedules_new_reports(
    testing, applicant, programme_admin
):
    from applications.services.reports import schedule_reports

    schedule_reports(testing.participation)
    assert testing.participation.reports.count() == 16
    extension = request_extension(
        actor=applicant, application_id=testing.pk, months=6, reason="Pilot", on=date(2027, 6, 1)
    )
    decide_extension(actor=programme_admin, extension_id=extension.pk, approve=True, note="Agreed")
    testing.participation.refresh_from_db()
    assert testing.participation.ends_on == date(2028, 7, 31)
    assert testing.participation.reports.filter(kind="monthly").count() == 18
    assert testing.participation.reports.filter(kind="quarterly").count() == 6
    with pytest.raises(StaleState):
        decide_extension(actor=programme_admin, extension_id=extension.pk, approve=False, note="x")


def test_refused_extension_needs_a_reason_and_keeps_the_end(testing, applicant, programme_admin):
    extension = request_extension(
        actor=applicant, application_id=testing.pk, months=2, reason="Pilot", on=date(2027, 6, 1)
    )
    with pytest.raises(WorkflowError, match="Give the reason for refusing the extension"):
        decide_extension(actor=programme_admin, extension_id=extension.pk, approve=False, note="")
    decide_extension(
        actor=programme_admin, extension_id=extension.pk, approve=False, note="Not needed"
    )
    testing.participation.refresh_from_db()
    assert testing.participation.ends_on == ENDS
    # A refused request does not use up the allowance.
    request_extension(
        actor=applicant, application_id=testing.pk, months=2, reason="Again", on=date(2027, 6, 2)
    )


def test_extension_only_while_testing_and_by_members(
    testing, applicant, other_applicant, programme_admin
):
    with pytest.raises(WorkflowError, match="Explain why the test needs longer"):
        request_extension(actor=applicant, application_id=testing.pk, months=1, reason=" ")
    with pytest.raises(NotAllowed):
        request_extension(actor=other_applicant, application_id=testing.pk, months=1, reason="x")
    service.suspend_testing(actor=programme_admin, application_id=testing.pk, reason="Breach")
    with pytest.raises(StaleState, match="only while testing"):
        request_extension(actor=applicant, application_id=testing.pk, months=1, reason="x")


def test_extension_decisions_are_for_admins(testing, applicant):
    extension = request_extension(
        actor=applicant, application_id=testing.pk, months=2, reason="Pilot", on=date(2027, 6, 1)
    )
    with pytest.raises(NotAllowed):
        decide_extension(actor=applicant, extension_id=extension.pk, approve=True, note="")
    extension.refresh_from_db()
    assert extension.state == ExtensionState.PENDING


def test_extension_stretches_a_still_due_last_period(testing, applicant, programme_admin):
    from applications.services.reports import schedule_reports

    participation = testing.participation
    participation.ends_on = date(2027, 11, 30)  # ten months: the last quarter is one month
    participation.save()
    schedule_reports(participation)
    last_quarter = participation.reports.get(kind="quarterly", period_start=date(2027, 11, 1))
    assert last_quarter.period_end == date(2027, 11, 30)
    extension = request_extension(
        actor=applicant, application_id=testing.pk, months=2, reason="Pilot", on=date(2027, 6, 1)
    )
    decide_extension(actor=programme_admin, extension_id=extension.pk, approve=True, note="")
    last_quarter.refresh_from_db()
    assert (last_quarter.period_end, last_quarter.due_on) == (date(2028, 1, 31), date(2028, 2, 21))
    assert participation.reports.filter(kind="quarterly").count() == 4


def test_a_report_is_filed_only_once_its_period_is_over(testing, applicant):
    report = factories.ReportFactory(
        participation=testing.participation,
        period_start=date(2099, 1, 1),
        period_end=date(2099, 1, 31),
        due_on=date(2099, 2, 13),
    )
    with pytest.raises(WorkflowError) as error:
        file_report(actor=applicant, report_id=report.pk, content=FIGURES)
    assert str(error.value) == (
        "This report covers the period to Jan. 31, 2099: file it once that period is over."
    )
    report.refresh_from_db()
    assert report.state == ReportState.DUE
