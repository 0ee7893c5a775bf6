"""Admin-entered exceptions to the Kazakh working-day calendar: bridge days off and transferred
working days (DESIGN.md §3). Each change is one audit event, and the cached calendar
(queries.working_calendar) is cleared once the change is committed.

Clocks already running keep the due dates they were given; days entered here count for clocks
started, resumed or read after the change (working days left are always counted afresh).
"""

from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.calendar import WorkingCalendar
from applications.enums import CalendarDayKind, EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import CalendarDay
from applications.queries import WORKING_CALENDAR_CACHE_KEY
from applications.services.audit import record_event

NOTE_MAX_LENGTH = 200
# The public-holiday calendar alone: what an admin day is an exception to.
_STATUTORY = WorkingCalendar()


def _check_permission(actor) -> None:
    if not actor.has_perm("applications.manage_calendar"):
        raise NotAllowed(_("Only programme admins may change the working-day calendar."))


def _check_day(day: date, kind: str) -> None:
    worked_by_statute = _STATUTORY.is_working_day(day)
    if kind == CalendarDayKind.DAY_OFF and not worked_by_statute:
        raise WorkflowError(
            _("%(day)s is already a day off (a weekend or a public holiday).")
            % {"day": date_format(day)}
        )
    if kind == CalendarDayKind.WORKING_DAY and worked_by_statute:
        raise WorkflowError(
            _(
                "%(day)s is already a working day. A transferred working day is a weekend day or "
                "a public holiday that is worked."
            )
            % {"day": date_format(day)}
        )


def _clear_cache_on_commit() -> None:
    transaction.on_commit(lambda: cache.delete(WORKING_CALENDAR_CACHE_KEY))


def add_calendar_day(*, actor, day: date, kind: str, note: str = "") -> CalendarDay:
    _check_permission(actor)
    if kind not in CalendarDayKind.values:
        raise WorkflowError(_("Choose whether the day is a day off or a working day."))
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise WorkflowError(
            _("Keep the note under %(count)d characters.") % {"count": NOTE_MAX_LENGTH}
        )
    _check_day(day, kind)
    try:
        with transaction.atomic():
            calendar_day = CalendarDay.objects.create(
                date=day, kind=kind, note=note, created_by=actor
            )
            record_event(
                kind=EventKind.CALENDAR_CHANGED,
                actor=actor,
                subject=day.isoformat(),
                data={"change": "added", "date": day.isoformat(), "kind": kind, "note": note},
            )
            _clear_cache_on_commit()
    except IntegrityError:
        raise WorkflowError(
            _("%(day)s is already in the calendar. Remove it first to change it.")
            % {"day": date_format(day)}
        ) from None
    return calendar_day


def remove_calendar_day(*, actor, calendar_day_id: int) -> None:
    _check_permission(actor)
    with transaction.atomic():
        calendar_day = CalendarDay.objects.select_for_update().filter(pk=calendar_day_id).first()
        if calendar_day is None:
            raise WorkflowError(_("This day was already removed from the calendar."))
        record_event(
            kind=EventKind.CALENDAR_CHANGED,
            actor=actor,
            subject=calendar_day.date.isoformat(),
            data={
                "change": "removed",
                "date": calendar_day.date.isoformat(),
                "kind": calendar_day.kind,
                "note": calendar_day.note,
            },
        )
        calendar_day.delete()
        _clear_cache_on_commit()
