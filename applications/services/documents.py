"""Storing uploaded documents as new versions, asking for corrections, and recording access."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from applications import conditions
from applications.enums import DocumentCheck, DocumentStage, EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, Document, DocumentRequirement, DocumentVersion
from applications.services.audit import record_event
from applications.services.stored_files import stored_upload


def upload_document(
    *, actor, application_id: int, requirement_id: int, upload, ip_address: str | None = None
) -> DocumentVersion:
    """Store `upload` as the next version of the application's document for that requirement.

    A draft takes new versions of any document; a submitted application only of a document staff
    marked to be corrected or an open request for information names. Images are stored re-encoded; the SHA-256 recorded is of the bytes
    stored (for other files, as HashingUploadHandler computed it while the file streamed in).
    """
    application = Application.objects.select_related("cohort").get(pk=application_id)
    if not actor.has_perm("applications.edit_application", application):
        raise NotAllowed(_("You are not allowed to add documents to this application."))
    _refuse_locked_document(application, requirement_id)
    try:
        requirement = DocumentRequirement.objects.get(
            pk=requirement_id,
            programme_id=application.cohort.programme_id,
            stage=DocumentStage.APPLICATION,
            retired_at__isnull=True,
        )
    except DocumentRequirement.DoesNotExist:
        raise WorkflowError(_("This document is not asked for by this programme.")) from None
    with stored_upload(upload, requirement, folder="documents") as stored:
        return _record_version(actor, application, requirement, stored, ip_address)


def _check_total(application, size: int) -> None:
    used = (
        DocumentVersion.objects.filter(document__application=application).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
    if used + size > settings.APPLICATION_MAX_TOTAL_MB * 1024 * 1024:
        raise ValidationError(
            _(
                "This application already holds %(used)s MB of documents; this file would take it past the %(limit)s MB allowed in total."
            )
            % {"used": round(used / 1024 / 1024, 1), "limit": settings.APPLICATION_MAX_TOTAL_MB},
            code="application_total",
        )


def _record_version(actor, application, requirement, stored: dict, ip_address):
    from applications.tasks import scan_document_version_task

    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        _refuse_locked_document(locked, requirement.pk)
        document, _created = Document.objects.get_or_create(
            application=locked, requirement=requirement
        )
        _check_total(locked, stored["size"])
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        version = DocumentVersion.objects.create(
            document=document, number=last + 1, uploaded_by=actor, **stored
        )
        data = {
            "requirement": requirement.code,
            "version": version.number,
            "sha256": version.sha256,
            "size": version.size,
        }
        if document.awaiting_correction:
            data["correction"] = document.screening_note
        if document.screening:
            # A new version is screened afresh.
            document.screening = DocumentCheck.UNCHECKED
            document.screened_at = None
            document.screened_by = None
            document.screening_note = ""
            document.save(
                update_fields=[
                    "screening",
                    "screened_at",
                    "screened_by",
                    "screening_note",
                ]
            )
        record_event(
            kind=EventKind.DOCUMENT_UPLOADED,
            actor=actor,
            application=locked,
            subject=f"document_version:{version.pk}",
            data=data,
            applicant_visible=True,
            ip_address=ip_address,
        )
        transaction.on_commit(lambda: scan_document_version_task.delay(version_id=version.pk))
    return version


def _refuse_locked_document(application, requirement_id: int) -> None:
    """A draft takes any document; a submitted application only a new version of a document
    screening marked to be corrected or an open request for information names."""
    if application.is_draft:
        return
    if requirement_id in conditions.replaceable_requirement_ids(application):
        return
    raise WorkflowError(
        _("This application has been submitted; its documents can no longer be changed.")
    )


def request_correction(*, actor, document_id: int, note: str) -> Document:
    """Staff ask the applicant for a corrected file of one document: the screening verdict
    "to be corrected" (services/screening.py), reached from the document rather than the slot."""
    from applications.services.screening import mark_document_to_correct

    try:
        document = Document.objects.only("application_id", "requirement_id").get(pk=document_id)
    except Document.DoesNotExist:
        raise NotAllowed(_("You are not allowed to ask for corrections to documents.")) from None
    return mark_document_to_correct(
        actor=actor,
        application_id=document.application_id,
        requirement_id=document.requirement_id,
        note=note,
    )


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


def open_version(version: DocumentVersion):
    """The stored bytes of a version, as a file object to stream."""
    return default_storage.open(version.storage_key, "rb")
