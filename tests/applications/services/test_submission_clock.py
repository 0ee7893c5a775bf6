"""Submitting starts the completeness-screening clock; withdrawing stops it (DESIGN.md §3)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from applications.enums import CalendarDayKind, ClockStage
from applications.models import Application, CalendarDay
from applications.services.applications import submit_application, withdraw_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_on(monkeypatch):
    """Submit at 10:00 Almaty time on the given day (the process clock is the edge we mock)."""

    def at(day: date):
        moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return at


def test_submit_starts_the_screening_clock_in_working_days(ready_draft, applicant, submitted_on):
    # Fri 27 Nov 2026: 5 working days skip the weekend and Independence Day (Wed 16 Dec is later).
    submitted_on(date(2026, 11, 27))

    submit_application(actor=applicant, application_id=ready_draft.pk)

    saved = Application.objects.get(pk=ready_draft.pk)
    assert saved.clock_stage == ClockStage.SCREENING
    assert saved.clock_started_on == date(2026, 11, 27)
    assert saved.clock_due_on == date(2026, 12, 4)
    assert (saved.clock_paused_on, saved.clock_paused_days) == (None, 0)


def test_submit_clock_uses_the_programme_setting_and_public_holidays(
    ready_draft, applicant, submitted_on
):
    programme = ready_draft.cohort.programme
    programme.screening_days = 3
    programme.save()
    # Mon 14 Dec 2026: Tue 15, then Independence Day Wed 16 is skipped, Thu 17, Fri 18.
    submitted_on(date(2026, 12, 14))

    submit_application(actor=applicant, application_id=ready_draft.pk)

    assert Application.objects.get(pk=ready_draft.pk).clock_due_on == date(2026, 12, 18)


def test_submit_clock_counts_admin_bridge_days(ready_draft, applicant, submitted_on):
    CalendarDay.objects.create(date=date(2026, 11, 30), kind=CalendarDayKind.DAY_OFF)
    submitted_on(date(2026, 11, 27))

    submit_application(actor=applicant, application_id=ready_draft.pk)

    # Mon 30 Nov is a bridge day off: the five days are 1-4 Dec and Mon 7 Dec.
    assert Application.objects.get(pk=ready_draft.pk).clock_due_on == date(2026, 12, 7)


def test_withdraw_stops_the_clock(ready_draft, applicant, submitted_on):
    submitted_on(date(2026, 11, 27))
    submit_application(actor=applicant, application_id=ready_draft.pk)

    withdraw_application(actor=applicant, application_id=ready_draft.pk, reason="Pivoted")

    saved = Application.objects.get(pk=ready_draft.pk)
    assert saved.clock_stage == ""
    assert (saved.clock_started_on, saved.clock_due_on, saved.clock_paused_on) == (None, None, None)


def test_withdraw_of_a_paused_clock_clears_the_pause(ready_draft, applicant, submitted_on):
    submitted_on(date(2026, 11, 27))
    submit_application(actor=applicant, application_id=ready_draft.pk)
    Application.objects.filter(pk=ready_draft.pk).update(
        clock_paused_on=date(2026, 11, 30), clock_paused_days=2
    )

    withdraw_application(actor=applicant, application_id=ready_draft.pk, reason="Pivoted")

    saved = Application.objects.get(pk=ready_draft.pk)
    assert (saved.clock_paused_on, saved.clock_paused_days, saved.clock_stage) == (None, 0, "")


def test_refused_submission_starts_no_clock(draft, applicant):
    from applications.exceptions import WorkflowError
    from tests.factories import DocumentRequirementFactory

    DocumentRequirementFactory(programme=draft.cohort.programme)  # mandatory, not uploaded
    with pytest.raises(WorkflowError):
        submit_application(actor=applicant, application_id=draft.pk)

    saved = Application.objects.get(pk=draft.pk)
    assert (saved.clock_stage, saved.clock_due_on) == ("", None)
