"""Virus scanning of stored files (document versions and report attachments): PENDING → CLEAN or
QUARANTINED, failing closed."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from applications.enums import EventKind, ScanStatus
from applications.models import DocumentVersion, ReportAttachment
from applications.scanning import ScannerUnavailable, get_scanner
from applications.services.audit import record_event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScannedKind:
    """What differs between the kinds of stored file: where the row is, which application its
    audit event belongs to, and whether the applicant is told of a quarantine."""

    model: type[models.Model]
    related: str
    application_of: Callable
    subject: str
    label: str
    applicant_hears_of_quarantine: bool


VERSIONS = ScannedKind(
    model=DocumentVersion,
    related="document__application",
    application_of=lambda version: version.document.application,
    subject="document_version",
    label="Document version",
    # A quarantined document blocks the submission: the applicant must know why.
    applicant_hears_of_quarantine=True,
)
ATTACHMENTS = ScannedKind(
    model=ReportAttachment,
    related="report__participation__application",
    application_of=lambda attachment: attachment.report.participation.application,
    subject="report_attachment",
    label="Report attachment",
    applicant_hears_of_quarantine=False,
)


def scan_version(*, version_id: int) -> str:
    """Scan one PENDING version and record the verdict.

    With no scanner configured the file has passed only the structural checks at upload: it is
    marked clean with no scanner named, and pages say so. When the scanner is down or gives no
    verdict the version stays PENDING (never shown to staff, blocks submission) until
    `pending_version_ids` hands it to a new scan.
    """
    return _scan(VERSIONS, version_id)


def scan_attachment(*, attachment_id: int) -> str:
    """As scan_version, for a file attached to a participant's report."""
    return _scan(ATTACHMENTS, attachment_id)


def pending_version_ids(limit: int = 500) -> list[int]:
    """Versions still waiting for a verdict, oldest first."""
    return _pending(DocumentVersion, limit)


def pending_attachment_ids(limit: int = 500) -> list[int]:
    """Report attachments still waiting for a verdict, oldest first."""
    return _pending(ReportAttachment, limit)


def _scan(kind: ScannedKind, pk: int) -> str:
    stored = kind.model.objects.get(pk=pk)
    if stored.scan_status != ScanStatus.PENDING:
        return stored.scan_status
    verdict = _scan_stored(stored.storage_key, f"{kind.label} {pk}")
    if verdict is None:
        return ScanStatus.PENDING
    return _record_verdict(kind, pk, *verdict)


def _scan_stored(storage_key: str, label: str) -> tuple[str, str] | None:
    """(signature, scanner name) for a stored file; ("", "") with no scanner configured; None
    when the scanner is down or gives no verdict (the file stays PENDING)."""
    scanner = get_scanner()
    if scanner is None:
        return "", ""
    try:
        # The scan runs before the row is locked: no lock is held while clamd reads the file.
        with default_storage.open(storage_key, "rb") as stream:
            result = scanner.scan(stream)
    except (ScannerUnavailable, OSError) as error:
        logger.warning("%s stays pending: %s", label, error)
        return None
    return result.signature, scanner.name


def _record_verdict(kind: ScannedKind, pk: int, signature: str, scanned_by: str) -> str:
    """The verdict on a PENDING file, under its row lock, with its audit event; a file another
    worker has already decided is left as it is."""
    with transaction.atomic():
        stored = (
            kind.model.objects.select_for_update(of=("self",))
            .select_related(kind.related)
            .get(pk=pk)
        )
        if stored.scan_status != ScanStatus.PENDING:  # another worker finished first
            return stored.scan_status
        stored.scan_status = ScanStatus.QUARANTINED if signature else ScanStatus.CLEAN
        stored.scanned_by = scanned_by
        stored.scanned_at = timezone.now()
        stored.save(update_fields=["scan_status", "scanned_by", "scanned_at"])
        data = {"result": stored.scan_status, "scanner": scanned_by or "structural checks only"}
        if signature:
            data["signature"] = signature
        record_event(
            kind=EventKind.DOCUMENT_SCANNED,
            application=kind.application_of(stored),
            subject=f"{kind.subject}:{stored.pk}",
            data=data,
            applicant_visible=bool(signature) and kind.applicant_hears_of_quarantine,
        )
    return stored.scan_status


def _pending(model: type[models.Model], limit: int) -> list[int]:
    return list(
        model.objects.filter(scan_status=ScanStatus.PENDING)
        .order_by("uploaded_at", "id")
        .values_list("id", flat=True)[:limit]
    )
