"""Virus scanning of stored versions: PENDING → CLEAN or QUARANTINED, failing closed."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from applications.enums import EventKind, ScanStatus
from applications.models import DocumentVersion, ReportAttachment
from applications.scanning import ScannerUnavailable, get_scanner
from applications.services.audit import record_event

logger = logging.getLogger(__name__)


def scan_version(*, version_id: int) -> str:
    """Scan one PENDING version and record the verdict.

    With no scanner configured the file has passed only the structural checks at upload: it is
    marked clean with no scanner named, and pages say so. When the scanner is down or gives no
    verdict the version stays PENDING (never shown to staff, blocks submission) until
    `pending_version_ids` hands it to a new scan.
    """
    version = DocumentVersion.objects.get(pk=version_id)
    if version.scan_status != ScanStatus.PENDING:
        return version.scan_status
    verdict = _scan_stored(version.storage_key, f"Document version {version_id}")
    if verdict is None:
        return ScanStatus.PENDING
    return _record_verdict(version_id, *verdict)


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


def _record_verdict(version_id: int, signature: str, scanned_by: str) -> str:
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update(of=("self",))
            .select_related("document__application")
            .get(pk=version_id)
        )
        if version.scan_status != ScanStatus.PENDING:  # another worker finished first
            return version.scan_status
        version.scan_status = ScanStatus.QUARANTINED if signature else ScanStatus.CLEAN
        version.scanned_by = scanned_by
        version.scanned_at = timezone.now()
        version.save(update_fields=["scan_status", "scanned_by", "scanned_at"])
        data = {"result": version.scan_status, "scanner": scanned_by or "structural checks only"}
        if signature:
            data["signature"] = signature
        record_event(
            kind=EventKind.DOCUMENT_SCANNED,
            application=version.document.application,
            subject=f"document_version:{version.pk}",
            data=data,
            applicant_visible=bool(signature),
        )
    return version.scan_status


def pending_version_ids(limit: int = 500) -> list[int]:
    """Versions still waiting for a verdict, oldest first."""
    return list(
        DocumentVersion.objects.filter(scan_status=ScanStatus.PENDING)
        .order_by("uploaded_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def scan_attachment(*, attachment_id: int) -> str:
    """As scan_version, for a file attached to a participant's report."""
    attachment = ReportAttachment.objects.get(pk=attachment_id)
    if attachment.scan_status != ScanStatus.PENDING:
        return attachment.scan_status
    verdict = _scan_stored(attachment.storage_key, f"Report attachment {attachment_id}")
    if verdict is None:
        return ScanStatus.PENDING
    signature, scanned_by = verdict
    with transaction.atomic():
        attachment = (
            ReportAttachment.objects.select_for_update(of=("self",))
            .select_related("report__participation__application__organisation")
            .get(pk=attachment_id)
        )
        if attachment.scan_status != ScanStatus.PENDING:  # another worker finished first
            return attachment.scan_status
        attachment.scan_status = ScanStatus.QUARANTINED if signature else ScanStatus.CLEAN
        attachment.scanned_by = scanned_by
        attachment.scanned_at = timezone.now()
        attachment.save(update_fields=["scan_status", "scanned_by", "scanned_at"])
        data = {
            "result": attachment.scan_status,
            "scanner": scanned_by or "structural checks only",
        }
        if signature:
            data["signature"] = signature
        record_event(
            kind=EventKind.DOCUMENT_SCANNED,
            application=attachment.report.participation.application,
            subject=f"report_attachment:{attachment.pk}",
            data=data,
        )
    return attachment.scan_status


def pending_attachment_ids(limit: int = 500) -> list[int]:
    """Report attachments still waiting for a verdict, oldest first."""
    return list(
        ReportAttachment.objects.filter(scan_status=ScanStatus.PENDING)
        .order_by("uploaded_at", "id")
        .values_list("id", flat=True)[:limit]
    )
