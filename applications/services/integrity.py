"""Stored files checked against the SHA-256 recorded at upload."""

import hashlib
import logging
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction

from applications.enums import EventKind
from applications.models import DocumentVersion
from applications.services.audit import record_event

logger = logging.getLogger(__name__)


@dataclass
class IntegrityReport:
    checked: int = 0
    missing: list[DocumentVersion] = field(default_factory=list)
    mismatched: list[DocumentVersion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def stored_sha256(key: str) -> str | None:
    """The SHA-256 of a stored file, read in chunks; None when it is not there."""
    hasher = hashlib.sha256()
    try:
        with default_storage.open(key, "rb") as stream:
            while chunk := stream.read(1024 * 1024):
                hasher.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return hasher.hexdigest()


def verify_stored_versions() -> IntegrityReport:
    """Re-hash every stored version. A missing or changed file is logged and recorded as an
    audit event on its application; the check carries on with the next file."""
    report = IntegrityReport()
    versions = DocumentVersion.objects.select_related("document__application").order_by("id")
    for version in versions.iterator(chunk_size=500):
        report.checked += 1
        found = stored_sha256(version.storage_key)
        if found == version.sha256:
            continue
        problem = "missing" if found is None else "mismatch"
        (report.missing if found is None else report.mismatched).append(version)
        logger.error("Document version %s: stored file %s", version.pk, problem)
        with transaction.atomic():
            record_event(
                kind=EventKind.DOCUMENT_INTEGRITY_FAILED,
                application=version.document.application,
                subject=f"document_version:{version.pk}",
                data={"problem": problem, "expected": version.sha256, "found": found or ""},
            )
    return report
