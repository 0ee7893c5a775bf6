"""Virus scanning of stored versions: PENDING → CLEAN or QUARANTINED, failing closed."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from applications.enums import EventKind, ScanStatus
from applications.models import DocumentVersion
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
    scanner = get_scanner()
    signature, scanned_by = "", ""
    if scanner is not None:
        try:
            # The scan runs before the row is locked: no lock is held while clamd reads the file.
            with default_storage.open(version.storage_key, "rb") as stream:
                result = scanner.scan(stream)
        except (ScannerUnavailable, OSError) as error:
            logger.warning("Document version %s stays pending: %s", version_id, error)
            return ScanStatus.PENDING
        signature, scanned_by = result.signature, scanner.name
    return _record_verdict(version_id, signature, scanned_by)


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
