"""Storing uploaded documents as new versions, recording access, and checking them."""

import hashlib
import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import DocumentStage, EventKind, ScanStatus
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, Document, DocumentRequirement, DocumentVersion
from applications.services.audit import record_event
from applications.validators import clean_file_name, validate_upload


def upload_document(
    *, actor, application_id: int, requirement_id: int, upload, ip_address: str | None = None
) -> DocumentVersion:
    """Store `upload` as the next version of the application's document for that requirement.

    `upload.sha256` is set by HashingUploadHandler while the file streamed in; a file that did not
    come through it is hashed here.
    """
    application = Application.objects.select_related("cohort").get(pk=application_id)
    if not actor.has_perm("applications.edit_application", application):
        raise NotAllowed(_("You are not allowed to add documents to this application."))
    if not application.is_draft:
        raise WorkflowError(
            _("This application has been submitted; its documents can no longer be changed.")
        )
    try:
        requirement = DocumentRequirement.objects.get(
            pk=requirement_id,
            programme_id=application.cohort.programme_id,
            stage=DocumentStage.APPLICATION,
            retired_at__isnull=True,
        )
    except DocumentRequirement.DoesNotExist:
        raise WorkflowError(_("This document is not asked for by this programme.")) from None
    content_type = validate_upload(upload, requirement)
    sha256 = getattr(upload, "sha256", None) or _hash(upload)
    key = default_storage.save(f"documents/{uuid.uuid4().hex}", upload)
    try:
        version = _record_version(
            actor, application, requirement, upload, key, content_type, sha256, ip_address
        )
    except BaseException:
        default_storage.delete(key)  # nothing half-saved: no row, so no file either
        raise
    return version


def _record_version(actor, application, requirement, upload, key, content_type, sha256, ip_address):
    from applications.tasks import scan_document_version_task

    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if not locked.is_draft:
            raise WorkflowError(
                _("This application has been submitted; its documents can no longer be changed.")
            )
        document, _created = Document.objects.get_or_create(
            application=locked, requirement=requirement
        )
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        version = DocumentVersion.objects.create(
            document=document,
            number=last + 1,
            storage_key=key,
            original_name=clean_file_name(upload.name),
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
        )
        record_event(
            kind=EventKind.DOCUMENT_UPLOADED,
            actor=actor,
            application=locked,
            subject=f"document_version:{version.pk}",
            data={
                "requirement": requirement.code,
                "version": version.number,
                "sha256": sha256,
                "size": upload.size,
            },
            applicant_visible=True,
            ip_address=ip_address,
        )
        transaction.on_commit(lambda: scan_document_version_task.delay(version_id=version.pk))
    return version


def _hash(upload) -> str:
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()


def record_download(*, actor, version: DocumentVersion, ip_address: str | None = None) -> None:
    with transaction.atomic():
        record_event(
            kind=EventKind.DOCUMENT_DOWNLOADED,
            actor=actor,
            application=version.document.application,
            subject=f"document_version:{version.pk}",
            data={"version": version.number, "sha256": version.sha256},
            ip_address=ip_address,
        )


def scan_version(*, version_id: int) -> str:
    """Move a PENDING version to CLEAN or QUARANTINED. With no virus scanner configured the file
    has passed only the structural checks at upload: it is marked clean with no scanner named,
    and pages say so."""
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update()
            .select_related("document__application")
            .get(pk=version_id)
        )
        if version.scan_status != ScanStatus.PENDING:
            return version.scan_status
        version.scan_status = ScanStatus.CLEAN
        version.scanned_by = ""
        version.scanned_at = timezone.now()
        version.save(update_fields=["scan_status", "scanned_by", "scanned_at"])
        record_event(
            kind=EventKind.DOCUMENT_SCANNED,
            application=version.document.application,
            subject=f"document_version:{version.pk}",
            data={
                "result": version.scan_status,
                "scanner": version.scanned_by or "structural checks only",
            },
        )
    return version.scan_status


def open_version(version: DocumentVersion):
    """The stored bytes of a version, as a file object to stream."""
    return default_storage.open(version.storage_key, "rb")
