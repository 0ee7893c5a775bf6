"""Writes for exports: every export of applications leaves one audit event."""

from django.db import transaction

from applications.enums import EventKind
from applications.services.audit import record_event

EXPORT_SUBJECT = "export:applications"


def record_export(*, actor, file_format: str, filters: dict, ip_address: str | None = None) -> None:
    """Who exported the applications, in which format, under which filters (as asked in the
    URL). Recorded before the first byte leaves, so an export cut short is recorded too."""
    with transaction.atomic():
        record_event(
            kind=EventKind.APPLICATIONS_EXPORTED,
            actor=actor,
            subject=EXPORT_SUBJECT,
            data={"format": file_format, "filters": filters},
            ip_address=ip_address,
        )
