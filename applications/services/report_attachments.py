"""Files attached to a participant's report, through the document pipeline (DESIGN.md §5).

The same gate as application documents: extension and content must agree
(validators.validate_upload, applications/content), the name is cleaned, the file is stored under
a random key with its SHA-256, and a background scan moves it from PENDING to CLEAN or
QUARANTINED (services/scans.py). Files can be added while the report is still owed (due, or
returned for correction); once filed they are part of the record and never removed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import EventKind, ReportKind, ReportState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Report, ReportAttachment
from applications.services.audit import record_event
from applications.services.reports import REPORTING_STATES
from applications.services.stored_files import stored_upload
from applications.validators import CONTENT_TYPES

MAX_ATTACHMENTS_PER_REPORT = 10


@dataclass(frozen=True)
class AttachmentRules:
    """What validate_upload reads from a document requirement: the allowed types and the limit.
    Every type the content checks recognise is allowed; the limit is the portal's default
    document limit (PORTAL_DOCUMENT_DEFAULT_MAX_MB)."""

    extensions: tuple[str, ...]
    max_size_mb: int

    @property
    def max_size_bytes(self) -> int:
        return self.max_size_mb * 1024 * 1024


def attachment_rules() -> AttachmentRules:
    return AttachmentRules(
        extensions=tuple(CONTENT_TYPES), max_size_mb=settings.DOCUMENT_DEFAULT_MAX_MB
    )


def attach_file(
    *, actor, report_id: int, upload, ip_address: str | None = None
) -> ReportAttachment:
    """Store `upload` as an attachment of a report still owed. Raises ValidationError for a file
    the pipeline refuses (nothing is stored) and WorkflowError when the report takes no files."""
    report = _report_for(actor, report_id)
    _check_open(report)
    with stored_upload(upload, attachment_rules(), folder="reports") as stored:
        return _record(actor, report.pk, stored, ip_address)


def _report_for(actor, report_id: int) -> Report:
    report = Report.objects.select_related("participation__application__organisation").get(
        pk=report_id
    )
    if not actor.has_perm("applications.report_application", report.participation.application):
        raise NotAllowed(_("You are not allowed to do this."))
    return report


def _check_open(report: Report) -> None:
    if report.kind == ReportKind.INCIDENT or report.state not in (
        ReportState.DUE,
        ReportState.RETURNED,
    ):
        raise StaleState(
            _("Files can be attached only to a report not yet filed (or returned to you).")
        )
    application = report.participation.application
    if application.state not in REPORTING_STATES:
        raise StaleState(
            _("Reports cannot be filed while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _record(actor, report_id: int, stored: dict, ip_address) -> ReportAttachment:
    from applications.tasks import scan_report_attachment_task

    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("participation__application__organisation")
            .get(pk=report_id)
        )
        _check_open(report)  # filed meanwhile: the file is refused, not slipped in after
        if report.attachments.count() >= MAX_ATTACHMENTS_PER_REPORT:
            raise WorkflowError(
                _("A report takes at most %(count)s files.") % {"count": MAX_ATTACHMENTS_PER_REPORT}
            )
        attachment = ReportAttachment.objects.create(report=report, uploaded_by=actor, **stored)
        record_event(
            kind=EventKind.DOCUMENT_UPLOADED,
            actor=actor,
            application=report.participation.application,
            subject=f"report_attachment:{attachment.pk}",
            data={
                "report": report.pk,
                "attachment": attachment.pk,
                "name": attachment.original_name,
                "sha256": attachment.sha256,
                "size": attachment.size,
            },
            ip_address=ip_address,
        )
        transaction.on_commit(
            lambda: scan_report_attachment_task.delay(attachment_id=attachment.pk)
        )
    return attachment


def record_download(*, actor, attachment: ReportAttachment, ip_address: str | None = None) -> None:
    with transaction.atomic():
        record_event(
            kind=EventKind.DOCUMENT_DOWNLOADED,
            actor=actor,
            application=attachment.report.participation.application,
            subject=f"report_attachment:{attachment.pk}",
            data={"report": attachment.report_id, "sha256": attachment.sha256},
            ip_address=ip_address,
        )


def open_attachment(attachment: ReportAttachment):
    """The stored bytes, as a file object to stream."""
    return default_storage.open(attachment.storage_key, "rb")
