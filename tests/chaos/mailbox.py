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
            path.write_text("\n".join(message.to) + "\n", encoding="utf-8")
        return len(email_messages)


def delivered(folder: Path) -> list[str]:
    """Every recipient of every delivered message (one entry per message)."""
    return [
        line for path in folder.glob("*.eml") for line in path.read_text(encoding="utf-8").split()
    ]
