"""The system starts the exit of a test once its period (extensions included) is over."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from applications.enums import EventKind, NotificationKind, ReportKind
from applications.models import Application, AuditEvent, Notification, Report
from applications.services.extensions import decide_extension, request_extension
from applications.services.participations import start_exits_at_test_end
from applications.tasks import start_exits_at_test_end_task
from portal.beat import BEAT_SCHEDULE
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2028, 2, 1)  # a Tuesday


def running(applicant, ends_on: date, **extra):
    return factories.ParticipationFactory(
        application__organisation=applicant.organisation,
        application__created_by=applicant,
        starts_on=ends_on - timedelta(days=365),
        ends_on=ends_on,
        **extra,
    )


def state_of(participation) -> str:
    return Application.objects.get(pk=participation.application_id).state


def test_a_test_that_ended_yesterday_starts_its_exit(applicant, co_member):
    factories.ApplicantFactory(organisation=applicant.organisation, is_active=False)
    participation = running(applicant, ends_on=TODAY - timedelta(days=1))

    assert start_exits_at_test_end(today=TODAY) == [participation.application_id]

    assert state_of(participation) == "exiting"
    participation.refresh_from_db()
    assert participation.exit_route == ""  # the admin chooses it when closing
    assert participation.exit_trigger == "The test period ended on Jan. 31, 2028."
    final = Report.objects.get(participation=participation, kind=ReportKind.FINAL)
    assert final.state == "due"
    assert final.due_on > timezone.localdate()
    event = AuditEvent.objects.get(kind=EventKind.EXIT_STARTED)
    assert event.actor is None
    assert event.applicant_visible is True
    assert event.data == {
        "from": "testing",
        "to": "exiting",
        "automatic": True,
        "ends_on": "2028-01-31",
        "final_report_due": final.due_on.isoformat(),
    }
    notifications = Notification.objects.filter(kind=NotificationKind.REPORT_DUE)
    assert sorted(n.recipient_id for n in notifications) == sorted([applicant.pk, co_member.pk])
    context = notifications.first().context
    assert context["report"] == "Final report"
    assert context["due_on"] == final.due_on.isoformat()
    assert context["url"] == f"/participations/{participation.application_id}/"


def test_a_test_ending_today_runs_on(applicant):
    participation = running(applicant, ends_on=TODAY)
    assert start_exits_at_test_end(today=TODAY) == []
    assert state_of(participation) == "testing"
    assert not Report.objects.filter(kind=ReportKind.FINAL).exists()
    assert not AuditEvent.objects.filter(kind=EventKind.EXIT_STARTED).exists()
    assert not Notification.objects.exists()
    # The day after its last day, it exits.
    assert start_exits_at_test_end(today=TODAY + timedelta(days=1)) == [
        participation.application_id
    ]


def test_a_granted_extension_moves_the_day_the_exit_starts(applicant, programme_admin):
    today = timezone.localdate()
    participation = running(applicant, ends_on=today + timedelta(days=120))
    original_end = participation.ends_on
    extension = request_extension(
        actor=applicant,
        application_id=participation.application_id,
        months=2,
        reason="The stablecoin pilot needs a second quarter.",
    )
    decide_extension(actor=programme_admin, extension_id=extension.pk, approve=True, note="")
    participation.refresh_from_db()
    assert participation.ends_on > original_end + timedelta(days=55)

    assert start_exits_at_test_end(today=original_end + timedelta(days=1)) == []
    assert state_of(participation) == "testing"
    assert start_exits_at_test_end(today=participation.ends_on) == []
    assert start_exits_at_test_end(today=participation.ends_on + timedelta(days=1)) == [
        participation.application_id
    ]
    assert state_of(participation) == "exiting"


def test_running_twice_moves_announces_and_reports_once(applicant):
    participation = running(applicant, ends_on=TODAY - timedelta(days=10))
    assert start_exits_at_test_end(today=TODAY) == [participation.application_id]
    assert start_exits_at_test_end(today=TODAY) == []
    assert start_exits_at_test_end(today=TODAY + timedelta(days=1)) == []
    assert AuditEvent.objects.filter(kind=EventKind.EXIT_STARTED).count() == 1
    assert Report.objects.filter(kind=ReportKind.FINAL).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.REPORT_DUE).count() == 1


@pytest.mark.parametrize("state", ["suspended", "exiting", "terminated", "onboarding"])
def test_only_running_tests_are_moved(applicant, state):
    participation = running(applicant, ends_on=TODAY - timedelta(days=3), application__state=state)
    assert start_exits_at_test_end(today=TODAY) == []
    assert state_of(participation) == state
    assert not AuditEvent.objects.exists()


def test_several_tests_each_move_once_oldest_first(applicant):
    later = running(applicant, ends_on=TODAY - timedelta(days=1))
    earlier = running(factories.ApplicantFactory(), ends_on=TODAY - timedelta(days=30))
    running(factories.ApplicantFactory(), ends_on=TODAY + timedelta(days=30))
    assert start_exits_at_test_end(today=TODAY) == [earlier.application_id, later.application_id]


def test_task_calls_the_service_and_beat_runs_it_hourly(applicant):
    participation = running(applicant, ends_on=timezone.localdate() - timedelta(days=1))
    assert start_exits_at_test_end_task.delay().get() == [participation.application_id]
    entry = BEAT_SCHEDULE["start-exits-at-test-end"]
    assert entry["task"] == "applications.start_exits_at_test_end"
    assert entry["schedule"].minute == {20}
    assert len(entry["schedule"].hour) == 24


@pytest.mark.django_db(transaction=True)
def test_an_application_locked_by_another_worker_is_skipped(applicant):
    """SKIP LOCKED: a worker holding the row keeps it; the other run leaves it alone."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are tested on PostgreSQL (set DATABASE_URL); SQLite locks the file.")
    participation = running(applicant, ends_on=TODAY - timedelta(days=1))
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=participation.application_id)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert locked.wait(timeout=30)
    try:
        assert start_exits_at_test_end(today=TODAY) == []
    finally:
        release.set()
        holder.join(timeout=30)
    assert state_of(participation) == "testing"
    assert start_exits_at_test_end(today=TODAY) == [participation.application_id]
