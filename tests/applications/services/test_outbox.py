from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from applications.enums import EventKind, NotificationKind, NotificationState
from applications.exceptions import WorkflowError
from applications.models import AuditEvent, Notification, ReminderLog
from applications.services.outbox import (
    needs_attention,
    retry_notification,
    send_daily_digests,
    sweep_outbox,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _row(**fields):
    return factories.NotificationFactory(**fields)


def test_sweeper_sends_pending_rows_whose_time_has_come(settings):
    now = timezone.now()
    due = _row(next_attempt_at=now - timedelta(seconds=1))
    waiting = _row(next_attempt_at=now + timedelta(seconds=30))
    legacy = _row(next_attempt_at=None)  # written before the sweeper existed, long ago
    Notification.objects.filter(pk=legacy.pk).update(created_at=now - timedelta(hours=1))
    sent = _row(state=NotificationState.SENT, next_attempt_at=now - timedelta(hours=1))

    result = sweep_outbox(now=now)

    assert result == {"requeued": 2, "reclaimed": 0, "failed": 0}
    states = dict(Notification.objects.values_list("pk", "state"))
    assert states == {
        due.pk: NotificationState.SENT,
        waiting.pk: NotificationState.PENDING,
        legacy.pk: NotificationState.SENT,
        sent.pk: NotificationState.SENT,
    }
    assert len(mail.outbox) == 2


def test_sweeper_pushes_rows_forward_when_the_broker_is_down(monkeypatch, settings):
    now = timezone.now()
    rows = [_row(next_attempt_at=now - timedelta(seconds=5)) for _ in range(3)]
    monkeypatch.setattr("applications.services.outbox.enqueue", lambda notification_id: False)

    result = sweep_outbox(now=now)

    assert result["requeued"] == 0
    for row in rows:
        row.refresh_from_db()
        assert row.state == NotificationState.PENDING
        assert row.next_attempt_at == now + timedelta(
            seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS
        )


def test_sweeper_takes_back_rows_a_dead_worker_held_past_the_lease(settings):
    now = timezone.now()
    lease = timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    stuck = _row(
        state=NotificationState.SENDING, attempts=1, claimed_at=now - lease - timedelta(seconds=1)
    )
    exhausted = _row(
        state=NotificationState.SENDING,
        attempts=settings.NOTIFICATION_MAX_ATTEMPTS,
        claimed_at=now - lease - timedelta(seconds=1),
    )
    busy = _row(state=NotificationState.SENDING, attempts=1, claimed_at=now - timedelta(seconds=5))

    result = sweep_outbox(now=now)

    assert result == {"requeued": 1, "reclaimed": 1, "failed": 1}
    stuck.refresh_from_db()
    exhausted.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.state, stuck.attempts) == (NotificationState.SENT, 2)
    assert (exhausted.state, exhausted.last_error) == (
        NotificationState.FAILED,
        "The worker stopped while sending.",
    )
    assert busy.state == NotificationState.SENDING
    assert [message.to for message in mail.outbox] == [[stuck.recipient_email]]


def test_needs_attention_lists_failed_retrying_overdue_and_stuck_rows(settings):
    now = timezone.now()
    failed = _row(state=NotificationState.FAILED)
    retrying = _row(attempts=1)
    overdue = _row()
    Notification.objects.filter(pk=overdue.pk).update(created_at=now - timedelta(hours=1))
    stuck = _row(state=NotificationState.SENDING, claimed_at=now - timedelta(hours=1))
    _row()  # fresh and pending: on its way
    _row(state=NotificationState.SENT)
    _row(state=NotificationState.SENDING, claimed_at=now)

    assert set(needs_attention(now=now).values_list("pk", flat=True)) == {
        failed.pk,
        retrying.pk,
        overdue.pk,
        stuck.pk,
    }


def test_admin_retry_sends_a_failed_row_again_and_records_it(
    programme_admin, django_capture_on_commit_callbacks
):
    row = _row(
        state=NotificationState.FAILED, attempts=6, last_error="SMTPServerDisconnected: gone"
    )

    with django_capture_on_commit_callbacks(execute=True):
        retry_notification(actor=programme_admin, notification_id=row.pk)

    row.refresh_from_db()
    assert row.state == NotificationState.SENT
    assert row.attempts == 1
    event = AuditEvent.objects.get(kind=EventKind.NOTIFICATION_RETRIED)
    assert event.actor == programme_admin
    assert event.data == {"notification": row.pk, "kind": row.kind, "previous_state": "failed"}
    assert len(mail.outbox) == 1


def test_admin_retry_refuses_a_sent_row(programme_admin):
    row = _row(state=NotificationState.SENT)

    with pytest.raises(WorkflowError, match="nothing to retry"):
        retry_notification(actor=programme_admin, notification_id=row.pk)

    assert not AuditEvent.objects.filter(kind=EventKind.NOTIFICATION_RETRIED).exists()


@pytest.mark.parametrize("role", ["applicant", "reviewer"])
def test_only_programme_admins_may_retry(request, role):
    row = _row(state=NotificationState.FAILED)

    with pytest.raises(WorkflowError, match="Only programme admins"):
        retry_notification(actor=request.getfixturevalue(role), notification_id=row.pk)

    row.refresh_from_db()
    assert row.state == NotificationState.FAILED


def _digest_row(user, reference, **fields):
    return _row(
        recipient=user,
        kind=NotificationKind.APPLICATION_SUBMITTED,
        state=NotificationState.DIGEST,
        context={
            "reference": reference,
            "title": "T",
            "application_id": 7,
            "cohort": "C",
            "programme": "P",
        },
        link="/applications/7/receipt/",
        **fields,
    )


def test_daily_digest_groups_each_persons_rows_into_one_email_in_their_language(
    applicant, co_member, django_capture_on_commit_callbacks
):
    co_member.preferred_language = "ru"
    co_member.save()
    first = _digest_row(applicant, "SBX-2026-00001")
    second = _digest_row(applicant, "SBX-2026-00002")
    third = _digest_row(co_member, "SBX-2026-00003")
    _row(recipient=applicant, state=NotificationState.PENDING)  # not a digest row

    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 2

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {applicant.email, co_member.email}
    body = by_recipient[applicant.email].body
    assert "Application SBX-2026-00001 received" in body
    assert "Application SBX-2026-00002 received" in body
    assert "SBX-2026-00003" not in body
    assert "http://127.0.0.1:8000/applications/7/receipt/" in body
    digest = Notification.objects.get(kind=NotificationKind.DAILY_DIGEST, recipient=applicant)
    for row in (first, second):
        row.refresh_from_db()
        assert (row.state, row.digest_id) == (NotificationState.SENT, digest.pk)
    third.refresh_from_db()
    russian = Notification.objects.get(kind=NotificationKind.DAILY_DIGEST, recipient=co_member)
    assert (third.digest_id, russian.language) == (russian.pk, "ru")
    with translation.override("ru"):
        assert russian.get_kind_display() == str(NotificationKind.DAILY_DIGEST.label)


def test_daily_digest_goes_once_a_day_however_often_it_runs(
    applicant, django_capture_on_commit_callbacks
):
    _digest_row(applicant, "SBX-2026-00001")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 1
    late = _digest_row(applicant, "SBX-2026-00002")

    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 0
        assert send_daily_digests(now=timezone.now() + timedelta(days=1)) == 1

    late.refresh_from_db()
    assert late.state == NotificationState.SENT
    assert (
        ReminderLog.objects.filter(kind=NotificationKind.DAILY_DIGEST, recipient=applicant).count()
        == 2
    )
    assert len(mail.outbox) == 2


def test_daily_digest_is_not_counted_as_unread(applicant):
    _digest_row(applicant, "SBX-2026-00001")
    send_daily_digests()

    applicant.refresh_from_db()
    assert applicant.unread_notifications == 0


def test_periodic_tasks_call_their_services(applicant, draft, programme_admin):
    from applications.tasks import (
        send_daily_digests_task,
        send_due_reminders_task,
        sweep_outbox_task,
    )
    from portal.beat import BEAT_SCHEDULE

    _row(next_attempt_at=timezone.now() - timedelta(seconds=1))
    _digest_row(applicant, "SBX-2026-00001")

    assert sweep_outbox_task.apply().get() == {"requeued": 1, "reclaimed": 0, "failed": 0}
    assert send_daily_digests_task.apply().get() == 1
    assert send_due_reminders_task.apply().get() == 0  # nothing is late
    from portal.celery_app import app

    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {
        "applications.sweep_outbox",
        "applications.send_daily_digests",
        "applications.send_due_reminders",
        "portal.worker_heartbeat",
    } <= scheduled
    app.loader.import_default_modules()
    assert sorted(scheduled - set(app.tasks)) == []  # every scheduled name is a real task
