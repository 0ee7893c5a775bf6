import pytest
from django.core import mail

from applications.enums import NotificationKind
from applications.services.notifications import queue_notification, send_notification

pytestmark = pytest.mark.django_db
BASE = {"reference": "SBX-2026-00042", "title": "KZT stablecoin", "url": "/applications/7/"}


@pytest.mark.parametrize(
    ("kind", "context", "subject", "body"),
    [
        (
            NotificationKind.RFI_RAISED,
            {**BASE, "due_on": "2026-12-14"},
            "Application SBX-2026-00042: the regulator asks for more information",
            "Please answer by 2026-12-14.",
        ),
        (
            NotificationKind.RFI_ANSWERED,
            {**BASE, "url": "/applications/staff/7/"},
            "Application SBX-2026-00042: request for information answered",
            "The applicant has answered the request for information on SBX-2026-00042",
        ),
        (
            NotificationKind.DOCUMENT_TO_CORRECT,
            {**BASE, "document": "Business plan", "note": "Sign page 3."},
            "Application SBX-2026-00042: a document to correct",
            "Sign page 3.",
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_casework_emails_render_with_their_link(kind, context, subject, body, language):
    notification = queue_notification(
        kind=kind, email="someone@example.kz", context=context, language=language
    )

    assert send_notification(notification_id=notification.pk) is True
    message = mail.outbox[-1]
    assert f"{context['url']}" in message.body
    if language == "en":
        assert message.subject == f"[Sandbox Portal] {subject}"
        assert body in message.body
