"""An email backend for the chaos test's workers: one file per message, named uniquely, so the
test can count what was delivered to whom across processes."""

import os
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileMailbox(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["CHAOS_MAIL_DIR"])
        for message in email_messages:
            path = folder / f"{uuid.uuid4().hex}.eml"
            # The first line names the outbox row the message came from (its
            # X-Portal-Notification header), the others its recipients.
            notification = message.extra_headers.get("X-Portal-Notification", "-")
            path.write_text("\n".join([notification, *message.to]) + "\n", encoding="utf-8")
        return len(email_messages)


def delivered(folder: Path) -> list[str]:
    """Every recipient of every delivered message (one entry per message)."""
    return [address for _notification, address in _messages(folder)]


def delivered_notifications(folder: Path) -> dict[str, set[str]]:
    """Each recipient's outbox rows, as their X-Portal-Notification headers name them."""
    rows: dict[str, set[str]] = {}
    for notification, address in _messages(folder):
        rows.setdefault(address, set()).add(notification)
    return rows


def _messages(folder: Path) -> list[tuple[str, str]]:
    messages = []
    for path in folder.glob("*.eml"):
        notification, *recipients = path.read_text(encoding="utf-8").split()
        messages.extend((notification, address) for address in recipients)
    return messages
