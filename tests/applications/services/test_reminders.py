from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from applications.calendar import WorkingCalendar
from applications.enums import ApplicationState, NotificationKind, NotificationState
from applications.models import Application, Notification, ReminderLog
from applications.reminders import Reminder, screening_clock_breaches
from applications.services.reminders import send_due_reminders
from tests import factories

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=ALMATY)  # 5 working days later: Monday 9 November


def _submitted(draft, *, at=MONDAY, state=ApplicationState.SUBMITTED):
    Application.objects.filter(pk=draft.pk).update(
        state=state, submitted_at=at, reference="SBX-2026-00042"
    )
    return Application.objects.get(pk=draft.pk)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 6), 1, date(2026, 11, 9)),  # Friday: the weekend is skipped
        (date(2026, 3, 20), 1, date(2026, 3, 26)),  # Nauryz holidays are skipped
        (date(2026, 11, 2), 5, date(2026, 11, 9)),
        (date(2026, 11, 2), 0, date(2026, 11, 2)),
    ],
)
def test_add_working_days_skips_weekends_and_kazakh_holidays(start, days, expected):
    assert WorkingCalendar().add_working_days(start, days) == expected


def test_screening_breach_reminds_every_active_admin_once_however_often_the_beat_runs(
    draft, programme_admin
):
    other_admin = factories.ProgrammeAdminFactory()
    factories.ProgrammeAdminFactory(is_active=False)
    application = _submitted(draft)

    runs = [send_due_reminders(today=date(2026, 11, 10)) for _ in range(3)]
    runs.append(send_due_reminders(today=date(2026, 11, 11)))

    assert runs == [2, 0, 0, 0]
    rows = Notification.objects.filter(kind=NotificationKind.CLOCK_BREACHED)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        [programme_admin.pk, other_admin.pk]
    )
    row = rows.first()
    assert row.context == {
        "reference": "SBX-2026-00042",
        "title": application.title,
        "application_id": application.pk,
        "stage": "Completeness screening",
        "due_date": "2026-11-09",
    }
    assert row.application == application
    log = ReminderLog.objects.get(recipient=programme_admin)
    assert (log.subject, log.due_date, log.notification_id) == (
        f"application:{application.pk}:screening",
        date(2026, 11, 9),
        Notification.objects.get(recipient=programme_admin).pk,
    )


@pytest.mark.parametrize(
    ("today", "state", "expected"),
    [
        (date(2026, 11, 9), ApplicationState.SUBMITTED, 0),  # due today: not late yet
        (date(2026, 11, 10), ApplicationState.SCREENING, 0),  # screening started: the clock stopped
        (date(2026, 11, 10), ApplicationState.SUBMITTED, 1),
    ],
)
def test_screening_breach_only_for_late_unscreened_applications(
    draft, programme_admin, today, state, expected
):
    _submitted(draft, state=state)

    assert len(list(screening_clock_breaches(today))) == expected


def test_screening_breach_needs_someone_to_tell(draft):
    _submitted(draft)

    assert list(screening_clock_breaches(date(2026, 11, 10))) == []


def test_a_registered_source_is_sent_once_per_due_date(
    applicant, django_capture_on_commit_callbacks
):
    due = date(2026, 12, 1)

    def report_due(today):
        yield Reminder(
            kind=NotificationKind.REPORT_DUE,
            subject="report:1",
            recipient=applicant,
            due_date=due if today < due + timedelta(days=30) else due + timedelta(days=30),
            context={
                "reference": "R",
                "title": "T",
                "application_id": 7,
                "period": "2026-11",
                "due_date": "2026-12-01",
            },
        )

    with django_capture_on_commit_callbacks(execute=True):
        counts = [
            send_due_reminders(today=date(2026, 11, 28), sources=[report_due]) for _ in range(2)
        ]
        counts.append(
            send_due_reminders(today=date(2027, 1, 5), sources=[report_due])
        )  # the next period

    assert counts == [1, 0, 1]
    assert len(mail.outbox) == 2
    assert (
        Notification.objects.filter(
            kind=NotificationKind.REPORT_DUE, state=NotificationState.SENT
        ).count()
        == 2
    )
