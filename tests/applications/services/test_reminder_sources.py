"""The reminder sources built on the workspace's clocks, requests for information and reports:
who hears, when, and only once per due date however often the beat runs."""

from datetime import date

import pytest

from applications.enums import Declaration, NotificationKind
from applications.models import Notification
from applications.reminders import (
    reports_due_and_overdue,
    reviewer_deadlines,
    rfis_due_and_overdue,
    stage_clock_breaches,
)
from applications.services.reminders import send_due_reminders
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)  # two working days later: Wednesday 9 December


def _case(due_on, **fields):
    return factories.SubmittedApplicationFactory(
        state="evaluation", clock_stage="evaluation", clock_started_on=date(2026, 11, 2),
        clock_due_on=due_on, **fields,
    )  # fmt: skip


def _sent(kind):
    return Notification.objects.filter(kind=kind)


def test_reviewers_hear_two_working_days_before_and_on_the_day(programme_admin):
    application = _case(date(2026, 12, 9))
    cleared = factories.ReviewerAssignmentFactory(
        application=application, declaration=Declaration.NO_CONFLICT
    ).reviewer
    pending = factories.ReviewerAssignmentFactory(application=application).reviewer
    factories.ReviewerAssignmentFactory(
        application=application, declaration=Declaration.RECUSED, recusal_reason="Former employer"
    )

    runs = [send_due_reminders(today=MONDAY, sources=[reviewer_deadlines]) for _ in range(3)]
    runs.append(send_due_reminders(today=date(2026, 12, 8), sources=[reviewer_deadlines]))
    runs.append(send_due_reminders(today=date(2026, 12, 9), sources=[reviewer_deadlines]))
    runs.append(send_due_reminders(today=date(2026, 12, 9), sources=[reviewer_deadlines]))

    assert runs == [2, 0, 0, 0, 2, 0]
    rows = _sent(NotificationKind.REVIEWER_DEADLINE_REMINDER).order_by("pk")
    assert {row.recipient_id for row in rows} == {cleared.pk, pending.pk}
    assert [row.context["days_left"] for row in rows] == [2, 2, 0, 0]
    assert rows[0].link == f"/applications/staff/{application.pk}/"
    assert application.organisation.legal_name_en not in str(rows[0].context)


def test_a_paused_clock_sends_no_reviewer_reminder():
    application = _case(date(2026, 12, 9), clock_paused_on=date(2026, 12, 1))
    factories.ReviewerAssignmentFactory(application=application)

    assert list(reviewer_deadlines(MONDAY)) == []


def test_members_hear_once_when_a_request_for_information_is_late(applicant, co_member):
    application = factories.SubmittedApplicationFactory(
        organisation=applicant.organisation, created_by=applicant, state="screening"
    )
    rfi = factories.RequestForInformationFactory(
        application=application,
        due_on=date(2026, 12, 4),
        questions="Send the custody deed.\nAnd more.",
    )
    factories.RequestForInformationFactory(application=application, due_on=MONDAY)  # not late yet
    factories.ApplicantFactory(organisation=applicant.organisation, is_active=False)

    runs = [send_due_reminders(today=MONDAY, sources=[rfis_due_and_overdue]) for _ in range(2)]

    assert runs == [2, 0]
    rows = _sent(NotificationKind.RFI_OVERDUE)
    assert {row.recipient_id for row in rows} == {applicant.pk, co_member.pk}
    assert rows.first().context["rfi_subject"] == "Send the custody deed."
    assert rows.first().context["due_date"] == rfi.due_on.isoformat()


def test_participants_hear_before_a_report_is_due_and_once_when_it_is_late():
    def monthly(participation, month, due_on):
        return factories.ReportFactory(
            participation=participation,
            period_start=date(2026, month, 1),
            period_end=date(2026, month, 28),
            due_on=due_on,
        )

    report = monthly(factories.ParticipationFactory(), 11, date(2026, 12, 11))  # in 4 working days
    later = monthly(report.participation, 12, date(2026, 12, 31))  # beyond the notice
    late = monthly(report.participation, 10, date(2026, 12, 1))
    member = report.participation.application.created_by  # the firm's only member

    runs = [send_due_reminders(today=MONDAY, sources=[reports_due_and_overdue]) for _ in range(2)]

    assert runs == [2, 0]
    due = _sent(NotificationKind.REPORT_DUE).get(recipient=member)
    overdue = _sent(NotificationKind.REPORT_OVERDUE).get(recipient=member)
    assert due.context["report"] == str(report)
    assert overdue.context["report"] == str(late)
    assert not _sent(NotificationKind.REPORT_DUE).filter(context__report=str(later)).exists()


def test_admins_hear_once_of_a_stage_clock_past_its_due_date(programme_admin):
    late = _case(date(2026, 12, 4))
    _case(date(2026, 12, 4), clock_paused_on=date(2026, 12, 1))  # waiting for the applicant
    _case(MONDAY)  # due today: not late yet

    runs = [send_due_reminders(today=MONDAY, sources=[stage_clock_breaches]) for _ in range(2)]

    assert runs == [1, 0]
    row = _sent(NotificationKind.CLOCK_BREACHED).get()
    assert (row.recipient_id, row.application_id) == (programme_admin.pk, late.pk)
    assert row.context["stage"] == "Evaluation"


def test_members_hear_two_working_days_before_an_answer_is_due(applicant):
    application = factories.SubmittedApplicationFactory(
        organisation=applicant.organisation, created_by=applicant, state="evaluation"
    )
    soon = factories.RequestForInformationFactory(application=application, due_on=date(2026, 12, 9))
    factories.RequestForInformationFactory(application=application, due_on=date(2026, 12, 10))

    runs = [send_due_reminders(today=MONDAY, sources=[rfis_due_and_overdue]) for _ in range(2)]

    assert runs == [1, 0]
    row = _sent(NotificationKind.RFI_DUE).get()
    assert (row.recipient_id, row.context["due_date"]) == (applicant.pk, soon.due_on.isoformat())
