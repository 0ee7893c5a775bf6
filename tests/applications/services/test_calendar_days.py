"""services/calendar_days.py refuses what the form would also refuse, for any other caller."""

from datetime import date

import pytest

from applications.exceptions import NotAllowed, WorkflowError
from applications.models import AuditEvent, CalendarDay
from applications.services.calendar_days import add_calendar_day, remove_calendar_day

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["applicant", "reviewer"])
def test_only_programme_admins_change_the_calendar(request, role):
    actor = request.getfixturevalue(role)
    day = CalendarDay.objects.create(date=date(2026, 12, 18), kind="day_off")

    with pytest.raises(NotAllowed, match="Only programme admins"):
        add_calendar_day(actor=actor, day=date(2026, 12, 21), kind="day_off")
    with pytest.raises(NotAllowed, match="Only programme admins"):
        remove_calendar_day(actor=actor, calendar_day_id=day.pk)

    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2026, 12, 18)]
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("kind", "note", "message"),
    [
        ("holiday", "", "Choose whether the day is a day off or a working day."),
        ("day_off", "x" * 201, "Keep the note under 200 characters."),
    ],
)
def test_add_refuses_an_unknown_kind_or_a_long_note(programme_admin, kind, note, message):
    with pytest.raises(WorkflowError, match=message):
        add_calendar_day(actor=programme_admin, day=date(2026, 12, 21), kind=kind, note=note)

    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.exists()
