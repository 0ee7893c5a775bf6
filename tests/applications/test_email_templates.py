"""Every kind of email renders, subject, text and HTML, in every language, from its documented
context, with a link to its page."""

import pytest
from django.core import mail

from applications.enums import NotificationKind
from applications.notification_kinds import KINDS, link_for
from applications.services.notifications import queue_notification, send_notification
from tests.applications.notification_examples import EXAMPLE_CONTEXTS

pytestmark = pytest.mark.django_db


def test_every_kind_has_an_example_context_and_a_spec():
    assert set(EXAMPLE_CONTEXTS) == set(NotificationKind.values)
    assert set(KINDS) == set(NotificationKind.values)


@pytest.mark.parametrize("kind", NotificationKind.values)
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_email_renders_in_every_language(kind, language):
    context = EXAMPLE_CONTEXTS[kind]
    notification = queue_notification(
        kind=kind, email="someone@example.kz", context=context, language=language
    )

    assert send_notification(notification_id=notification.pk) is True

    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    assert message.subject.startswith("[Sandbox Portal] ")
    assert len(message.subject) > len("[Sandbox Portal] ") + 5
    assert "{{" not in message.body
    assert "{{" not in html
    link = "http://127.0.0.1:8000" + link_for(kind, context)
    if kind == NotificationKind.DAILY_DIGEST:
        assert all(item["link"] in message.body for item in context["items"])
    assert link in message.body
    assert link in html.replace("&amp;", "&")
    assert html.count("<a ") >= 1


def test_extension_refused_reads_differently_from_granted():
    refused = {
        **EXAMPLE_CONTEXTS[NotificationKind.EXTENSION_DECIDED],
        "granted": False,
        "new_end_date": "",
    }
    notification = queue_notification(
        kind=NotificationKind.EXTENSION_DECIDED, email="someone@example.kz", context=refused
    )
    send_notification(notification_id=notification.pk)

    assert "has been refused" in mail.outbox[-1].body
    assert "Testing now ends" not in mail.outbox[-1].body


def test_reviewer_reminder_counts_days_in_the_singular_and_plural():
    base = EXAMPLE_CONTEXTS[NotificationKind.REVIEWER_DEADLINE_REMINDER]
    for days, phrase in [(1, "in 1 working day,"), (2, "in 2 working days,")]:
        notification = queue_notification(
            kind=NotificationKind.REVIEWER_DEADLINE_REMINDER,
            email="reviewer@example.kz",
            context={**base, "days_left": days},
        )
        send_notification(notification_id=notification.pk)
        assert phrase in mail.outbox[-1].body
