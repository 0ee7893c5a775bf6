"""Cohorts: audited creation and changes, open now / close now, and the schedule recorded once."""

from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from applications.enums import EventKind, NotificationKind
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import AuditEvent, Cohort, Notification
from applications.services import cohorts as services
from applications.tasks import record_cohort_schedule_task
from tests import factories

pytestmark = pytest.mark.django_db


def window(opens_in_days=1, closes_in_days=30, **fields):
    now = timezone.now()
    return {
        "name": "2027-1",
        "zone_tag": "CryptoCity / Alatau",
        "opens_at": now + timedelta(days=opens_in_days),
        "closes_at": now + timedelta(days=closes_in_days) if closes_in_days is not None else None,
        "capacity": 15,
        **fields,
    }


def test_create_cohort_with_a_panel_is_audited(programme_admin, reviewer):
    programme = factories.ProgrammeFactory()
    fields = window()

    cohort = services.create_cohort(
        actor=programme_admin, programme_id=programme.pk, fields=fields, panel_ids=[reviewer.pk]
    )

    assert list(cohort.panel.all()) == [reviewer]
    assert (cohort.capacity, cohort.zone_tag) == (15, "CryptoCity / Alatau")
    event = AuditEvent.objects.get(kind=EventKind.COHORT_CREATED)
    assert event.subject == f"cohort:{cohort.pk}"
    assert event.data["after"]["panel"] == [reviewer.email]
    assert event.data["after"]["capacity"] == 15


@pytest.mark.parametrize("who", ["programme_admin", "applicant", "inactive_reviewer"])
def test_panel_takes_only_active_reviewers(who, programme_admin, request):
    if who == "inactive_reviewer":
        member = factories.ReviewerFactory(is_active=False)
    else:
        member = request.getfixturevalue(who)
    programme = factories.ProgrammeFactory()

    with pytest.raises(WorkflowError, match="only include active reviewers"):
        services.create_cohort(
            actor=programme_admin, programme_id=programme.pk, fields=window(), panel_ids=[member.pk]
        )
    assert not Cohort.objects.exists()


def test_create_refuses_a_window_that_closes_before_it_opens(programme_admin):
    programme = factories.ProgrammeFactory()

    with pytest.raises(WorkflowError, match="close after it opens"):
        services.create_cohort(
            actor=programme_admin,
            programme_id=programme.pk,
            fields=window(opens_in_days=5, closes_in_days=4),
        )


def test_create_refuses_a_name_taken_in_the_programme(programme_admin, cohort):
    with pytest.raises(WorkflowError, match="already has a cohort of that name"):
        services.create_cohort(
            actor=programme_admin,
            programme_id=cohort.programme_id,
            fields=window(name=cohort.name),
        )


def test_reviewer_may_not_create_cohorts(reviewer):
    with pytest.raises(NotAllowed):
        services.create_cohort(
            actor=reviewer, programme_id=factories.ProgrammeFactory().pk, fields=window()
        )


def test_update_records_what_changed_including_the_panel(programme_admin, cohort, reviewer):
    other = factories.ReviewerFactory()
    cohort.panel.add(other)
    fields = {name: getattr(cohort, name) for name in services.COHORT_FIELDS}

    changed = services.update_cohort(
        actor=programme_admin,
        cohort_id=cohort.pk,
        fields={**fields, "capacity": 30},
        panel_ids=[reviewer.pk],
    )

    assert changed == ["capacity", "panel"]
    assert list(cohort.panel.all()) == [reviewer]
    event = AuditEvent.objects.get(kind=EventKind.COHORT_UPDATED)
    assert event.data == {
        "before": {"capacity": 20, "panel": [other.email]},
        "after": {"capacity": 30, "panel": [reviewer.email]},
    }


def test_update_without_changes_records_nothing(programme_admin, cohort):
    fields = {name: getattr(cohort, name) for name in services.COHORT_FIELDS}

    assert services.update_cohort(actor=programme_admin, cohort_id=cohort.pk, fields=fields) == []
    assert not AuditEvent.objects.exists()


def test_moving_an_opened_window_into_the_future_records_the_opening_again(programme_admin):
    cohort = factories.CohortFactory(opening_recorded_at=timezone.now())
    fields = {name: getattr(cohort, name) for name in services.COHORT_FIELDS}
    later = timezone.now() + timedelta(days=3)

    services.update_cohort(
        actor=programme_admin,
        cohort_id=cohort.pk,
        fields={**fields, "opens_at": later, "closes_at": later + timedelta(days=30)},
    )

    cohort.refresh_from_db()
    assert cohort.opening_recorded_at is None


def test_open_now_opens_an_upcoming_cohort_and_tells_the_panel(programme_admin, reviewer):
    cohort = factories.CohortFactory(
        opens_at=timezone.now() + timedelta(days=10), closes_at=timezone.now() + timedelta(days=40)
    )
    cohort.panel.add(reviewer)
    closes_at = timezone.now() + timedelta(days=20)

    services.open_cohort_now(actor=programme_admin, cohort_id=cohort.pk, closes_at=closes_at)

    cohort.refresh_from_db()
    assert cohort.is_open()
    assert cohort.closes_at == closes_at
    assert cohort.opening_recorded_at is not None
    event = AuditEvent.objects.get(kind=EventKind.COHORT_OPENED)
    assert event.actor == programme_admin
    assert event.data["after"]["closes_at"] == DjangoJSONEncoder().default(closes_at)
    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient) == (NotificationKind.COHORT_OPENED, reviewer)
    assert notification.context["cohort"] == cohort.name


def test_open_now_reopens_a_closed_cohort_as_rolling(programme_admin):
    cohort = factories.CohortFactory(
        opens_at=timezone.now() - timedelta(days=40),
        closes_at=timezone.now() - timedelta(days=10),
        closing_recorded_at=timezone.now() - timedelta(days=10),
    )

    services.open_cohort_now(actor=programme_admin, cohort_id=cohort.pk)

    cohort.refresh_from_db()
    assert cohort.is_open()
    assert cohort.is_rolling
    assert cohort.closing_recorded_at is None


def test_open_now_refuses_an_open_cohort_and_a_past_closing(programme_admin, cohort):
    with pytest.raises(StaleState, match="already open"):
        services.open_cohort_now(actor=programme_admin, cohort_id=cohort.pk)
    with pytest.raises(WorkflowError, match="in the future"):
        services.open_cohort_now(
            actor=programme_admin,
            cohort_id=cohort.pk,
            closes_at=timezone.now() - timedelta(minutes=1),
        )
    assert not AuditEvent.objects.exists()


def test_close_now_stops_submissions_at_once(programme_admin, cohort, reviewer):
    cohort.panel.add(reviewer)
    factories.SubmittedApplicationFactory(cohort=cohort)

    services.close_cohort_now(actor=programme_admin, cohort_id=cohort.pk)

    cohort.refresh_from_db()
    assert not cohort.is_open()
    assert cohort.closing_recorded_at == cohort.closes_at
    assert AuditEvent.objects.filter(kind=EventKind.COHORT_CLOSED).count() == 1
    notification = Notification.objects.get()
    assert notification.kind == NotificationKind.COHORT_CLOSED
    assert notification.context["submitted"] == 1


def test_close_now_refuses_a_cohort_that_is_not_open(programme_admin):
    upcoming = factories.CohortFactory(opens_at=timezone.now() + timedelta(days=2))

    with pytest.raises(StaleState, match="not open"):
        services.close_cohort_now(actor=programme_admin, cohort_id=upcoming.pk)


def test_schedule_records_each_opening_and_closing_once(reviewer):
    now = timezone.now()
    opened = factories.CohortFactory(opens_at=now - timedelta(hours=1))
    opened.panel.add(reviewer)
    closed = factories.CohortFactory(
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(minutes=5),
        opening_recorded_at=now - timedelta(days=30),
    )
    factories.CohortFactory(opens_at=now + timedelta(days=1))  # upcoming: nothing yet
    factories.CohortFactory(opens_at=now - timedelta(days=3), closes_at=None)  # rolling

    first = services.record_cohort_schedule(now=now)
    second = record_cohort_schedule_task.delay().get()

    assert sorted(first["opened"]) == sorted([opened.pk, Cohort.objects.get(closes_at=None).pk])
    assert first["closed"] == [closed.pk]
    assert second == {"opened": [], "closed": []}
    assert AuditEvent.objects.filter(kind=EventKind.COHORT_OPENED).count() == 2
    assert AuditEvent.objects.filter(kind=EventKind.COHORT_CLOSED).count() == 1
    event = AuditEvent.objects.get(kind=EventKind.COHORT_CLOSED)
    assert event.actor is None
    assert event.data["scheduled"] is True
    assert Notification.objects.filter(recipient=reviewer).count() == 1


def test_schedule_skips_what_an_admin_recorded_by_hand(programme_admin):
    cohort = factories.CohortFactory(opens_at=timezone.now() + timedelta(days=1))
    services.open_cohort_now(actor=programme_admin, cohort_id=cohort.pk)

    result = services.record_cohort_schedule()

    assert cohort.pk not in result["opened"]
    assert AuditEvent.objects.filter(kind=EventKind.COHORT_OPENED).count() == 1


def test_beat_schedule_runs_the_cohort_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["record-cohort-schedule"]

    assert entry["task"] == record_cohort_schedule_task.name


def test_panel_emails_say_what_happened(
    programme_admin, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = factories.CohortFactory(
        name="2027-1 Alatau", opens_at=timezone.now() + timedelta(days=1), closes_at=None
    )
    cohort.panel.add(reviewer)
    factories.SubmittedApplicationFactory.create_batch(2, cohort=cohort)

    with django_capture_on_commit_callbacks(execute=True):
        services.open_cohort_now(actor=programme_admin, cohort_id=cohort.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_cohort_now(actor=programme_admin, cohort_id=cohort.pk)

    opened, closed = mailoutbox
    assert opened.to == closed.to == [reviewer.email]
    assert opened.subject.endswith("Cohort 2027-1 Alatau is open")
    assert "is now open to applications. You sit on its reviewer panel." in opened.body
    assert "It closes at" not in opened.body  # opened as rolling
    assert closed.subject.endswith("Cohort 2027-1 Alatau has closed")
    assert "2 applications were submitted." in closed.body
    assert closed.body.rstrip().endswith("/applications/staff/")


def test_update_refuses_a_name_taken_in_the_programme(programme_admin, cohort):
    other = factories.CohortFactory(programme=cohort.programme, name="2026-9")
    fields = {name: getattr(cohort, name) for name in services.COHORT_FIELDS}

    with pytest.raises(WorkflowError, match="already has a cohort of that name"):
        services.update_cohort(
            actor=programme_admin, cohort_id=cohort.pk, fields={**fields, "name": other.name}
        )
    assert Cohort.objects.get(pk=cohort.pk).name == cohort.name


def test_closing_tells_members_of_firms_with_an_unsubmitted_draft(
    programme_admin, cohort, applicant, co_member, mailoutbox, django_capture_on_commit_callbacks
):
    draft = factories.ApplicationFactory(
        cohort=cohort, organisation=applicant.organisation, created_by=applicant, title="Tenge QR"
    )
    factories.ApplicantFactory(organisation=applicant.organisation, is_active=False)
    factories.SubmittedApplicationFactory(cohort=cohort)  # submitted in time: not told
    factories.ApplicationFactory()  # a draft in another cohort: not told

    with django_capture_on_commit_callbacks(execute=True):
        services.record_cohort_schedule(now=timezone.now())  # records the opening only
        services.close_cohort_now(actor=programme_admin, cohort_id=cohort.pk)

    notices = Notification.objects.filter(kind=NotificationKind.COHORT_CLOSED_DRAFT)
    assert sorted(n.recipient_id for n in notices) == sorted([applicant.pk, co_member.pk])
    assert {n.application_id for n in notices} == {draft.pk}
    message = next(m for m in mailoutbox if m.to == [applicant.email])
    assert message.subject.endswith(
        f"Cohort {cohort.name} closed before your application was submitted"
    )
    assert "Your draft application “Tenge QR” was not submitted in time" in message.body
