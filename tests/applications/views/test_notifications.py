import pytest
from django.urls import reverse

from applications.enums import (
    NotificationCategory,
    NotificationDelivery,
    NotificationKind,
    NotificationState,
)
from applications.models import Notification
from applications.services.notifications import queue_notification
from portal.accounts.models import NotificationPreference
from tests import factories
from tests.applications.notification_examples import EXAMPLE_CONTEXTS

pytestmark = pytest.mark.django_db

LIST_URL = reverse("applications:notification-list")
READ_ALL_URL = reverse("applications:notification-read-all")
PREFERENCES_URL = reverse("applications:notification-preferences")
STAFF_URL = reverse("applications:staff-notification-list")


def _notify(user, kind=NotificationKind.APPLICATION_SUBMITTED):
    return queue_notification(kind=kind, recipient=user, context=EXAMPLE_CONTEXTS[kind])


def read_url(notification):
    return reverse("applications:notification-read", args=[notification.pk])


def retry_url(notification):
    return reverse("applications:staff-notification-retry", args=[notification.pk])


@pytest.mark.parametrize("rows", [1, 30])
def test_notification_centre_lists_own_notifications_in_constant_queries(
    client, applicant, other_applicant, rows, django_assert_num_queries
):
    for _ in range(rows):
        _notify(applicant)
    _notify(other_applicant)
    client.force_login(applicant)

    # user (session from the cache), the pager's count, the page's rows
    with django_assert_num_queries(3):
        response = client.get(LIST_URL)

    listed = response.context["notifications"]
    assert len(listed) == min(rows, 25)
    assert {notification.recipient_id for notification in listed} == {applicant.pk}
    assert response.context["paginator"].count == rows
    assert f'id="unread-count">{rows}<' in response.content.decode()


def test_notification_centre_hides_the_digest_email_itself(client, applicant):
    _notify(applicant)
    factories.NotificationFactory(recipient=applicant, kind=NotificationKind.DAILY_DIGEST)
    client.force_login(applicant)

    response = client.get(LIST_URL)

    assert [n.kind for n in response.context["notifications"]] == [
        NotificationKind.APPLICATION_SUBMITTED
    ]


def test_notification_centre_needs_a_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, applicant):
    notification = _notify(applicant)
    client.force_login(applicant)

    response = client.post(read_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/applications/7/receipt/"
    notification.refresh_from_db()
    applicant.refresh_from_db()
    assert notification.read_at is not None
    assert applicant.unread_notifications == 0
    client.post(read_url(notification))  # twice: the count does not go below what is unread
    applicant.refresh_from_db()
    assert applicant.unread_notifications == 0


def test_opening_someone_elses_notification_answers_404(client, applicant, other_applicant):
    notification = _notify(other_applicant)
    client.force_login(applicant)

    response = client.post(read_url(notification))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_needs_post(client, applicant):
    notification = _notify(applicant)
    client.force_login(applicant)

    assert client.get(read_url(notification)).status_code == 405


def test_a_link_to_another_site_is_never_followed(client, applicant):
    notification = factories.NotificationFactory(recipient=applicant, link="https://evil.example/")
    client.force_login(applicant)

    response = client.post(read_url(notification))

    assert response["Location"] == LIST_URL


def test_mark_all_read_touches_only_own_notifications(client, applicant, other_applicant):
    mine = [_notify(applicant) for _ in range(3)]
    theirs = _notify(other_applicant)
    client.force_login(applicant)

    response = client.post(READ_ALL_URL, follow=True)

    assert (
        Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    )
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    applicant.refresh_from_db()
    other_applicant.refresh_from_db()
    assert (applicant.unread_notifications, other_applicant.unread_notifications) == (0, 1)
    assert "3 notifications marked as read." in response.content.decode()
    assert 'id="unread-count"' not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "categories"),
    [
        ("applicant", ["application_updates", "reporting"]),
        ("reviewer", ["review_work"]),
        ("programme_admin", ["review_work", "oversight"]),
    ],
)
def test_preferences_offer_the_categories_of_the_role(client, request, role, categories):
    client.force_login(request.getfixturevalue(role))

    response = client.get(PREFERENCES_URL)

    assert list(response.context["form"].fields) == categories


def test_preferences_are_saved_and_shown_again(client, applicant):
    client.force_login(applicant)

    response = client.post(
        PREFERENCES_URL, {"application_updates": "digest", "reporting": "off"}, follow=True
    )

    assert dict(
        NotificationPreference.objects.filter(user=applicant).values_list("category", "delivery")
    ) == {
        NotificationCategory.APPLICATION_UPDATES: NotificationDelivery.DIGEST,
        NotificationCategory.REPORTING: NotificationDelivery.OFF,
    }
    assert "Your email preferences have been saved." in response.content.decode()
    assert response.context["form"]["reporting"].initial == "off"


def test_preferences_refuse_an_unknown_choice(client, applicant):
    client.force_login(applicant)

    response = client.post(PREFERENCES_URL, {"application_updates": "hourly", "reporting": "off"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "application_updates": ["Choose one of the options shown."]
    }
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("applicant", 403), ("reviewer", 403), ("programme_admin", 200)]
)
def test_only_programme_admins_see_the_outbox_screen(client, request, role, status):
    client.force_login(request.getfixturevalue(role))

    assert client.get(STAFF_URL).status_code == status


@pytest.mark.parametrize("rows", [1, 20])
def test_outbox_screen_lists_failed_rows_with_their_error_in_constant_queries(
    client, programme_admin, rows, django_assert_num_queries
):
    for _ in range(rows):
        factories.NotificationFactory(
            state=NotificationState.FAILED, last_error="SMTPServerDisconnected: gone"
        )
    factories.NotificationFactory(state=NotificationState.SENT)
    client.force_login(programme_admin)

    # user, the two-factor check for staff, the pager's count, the page's rows (recipient and
    # application joined)
    with django_assert_num_queries(4):
        response = client.get(STAFF_URL)

    assert len(response.context["notifications"]) == rows
    assert response.content.decode().count("SMTPServerDisconnected: gone") == rows


@pytest.mark.parametrize(("role", "status"), [("applicant", 403), ("reviewer", 403)])
def test_retry_is_refused_to_others(client, request, role, status):
    row = factories.NotificationFactory(state=NotificationState.FAILED)
    client.force_login(request.getfixturevalue(role))

    assert client.post(retry_url(row)).status_code == status
    row.refresh_from_db()
    assert row.state == NotificationState.FAILED


def test_retry_by_an_admin_queues_the_row_again(client, programme_admin):
    row = factories.NotificationFactory(state=NotificationState.FAILED, attempts=6)
    client.force_login(programme_admin)

    response = client.post(retry_url(row), follow=True)

    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.PENDING, 0)
    assert (
        f"The notification to {row.recipient_email} will be sent again."
        in response.content.decode()
    )


def test_retry_of_a_sent_row_explains_why_not(client, programme_admin):
    row = factories.NotificationFactory(state=NotificationState.SENT)
    client.force_login(programme_admin)

    response = client.post(retry_url(row), follow=True)

    assert "there is nothing to retry" in response.content.decode()
