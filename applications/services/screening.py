"""Completeness screening: staff accept each application document or send it back to be
corrected with a note the applicant reads (DESIGN.md §2, §5).

A verdict concerns the document's latest version; a new version uploaded by the applicant
clears it again (services/documents.py), and the older versions stay as they were.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications import conditions
from applications.enums import (
    ApplicationState,
    DocumentCheck,
    DocumentStage,
    EventKind,
    NotificationKind,
    ScanStatus,
)
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, Document, DocumentRequirement
from applications.services.audit import record_event
from applications.services.notifications import queue_notification

SCREEN_PERMISSION = "applications.screen_application"


def accept_document(
    *, actor, application_id: int, requirement_id: int, ip_address: str | None = None
) -> Document:
    """Accept the latest version of one document as complete. Only a clean version counts."""
    with transaction.atomic():
        application, requirement = _lock_for_screening(actor, application_id, requirement_id)
        version = conditions.latest_versions_by_requirement(application).get(requirement.pk)
        if version is None or version.scan_status != ScanStatus.CLEAN:
            raise WorkflowError(
                _("“%(name)s” has no clean version to accept.") % {"name": requirement.name}
            )
        document = _set_check(application, requirement, actor, DocumentCheck.ACCEPTED, "")
        record_event(
            kind=EventKind.DOCUMENT_ACCEPTED,
            actor=actor,
            application=application,
            subject=f"document:{document.pk}",
            data={"requirement": requirement.code, "version": version.number},
            applicant_visible=True,
            ip_address=ip_address,
        )
    return document


def mark_document_to_correct(
    *,
    actor,
    application_id: int,
    requirement_id: int,
    note: str,
    ip_address: str | None = None,
) -> Document:
    """Send one document back with a note; the applicant may then upload a new version of it."""
    note = note.strip()
    if not note:
        raise WorkflowError(_("Write what the applicant must correct."))
    with transaction.atomic():
        application, requirement = _lock_for_screening(actor, application_id, requirement_id)
        version = conditions.latest_versions_by_requirement(application).get(requirement.pk)
        document = _set_check(application, requirement, actor, DocumentCheck.TO_CORRECT, note)
        record_event(
            kind=EventKind.DOCUMENT_TO_CORRECT,
            actor=actor,
            application=application,
            subject=f"document:{document.pk}",
            data={
                "requirement": requirement.code,
                "version": version.number if version else None,
                "note": note,
            },
            applicant_visible=True,
            ip_address=ip_address,
        )
        _notify_members(application, requirement, note)
    return document


def _lock_for_screening(actor, application_id: int, requirement_id: int):
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "organisation")
        .get(pk=application_id)
    )
    if not actor.has_perm(SCREEN_PERMISSION, application):
        raise NotAllowed(_("You are not allowed to screen this application."))
    if application.state != ApplicationState.SCREENING:
        raise WorkflowError(
            _(
                "Documents are screened only during completeness screening; this application is now “%(state)s”."
            )
            % {"state": application.get_state_display()}
        )
    try:
        requirement = DocumentRequirement.objects.get(
            pk=requirement_id,
            programme_id=application.cohort.programme_id,
            stage=DocumentStage.APPLICATION,
        )
    except DocumentRequirement.DoesNotExist:
        raise WorkflowError(_("This document is not asked for by this programme.")) from None
    return application, requirement


def _set_check(application, requirement, actor, check: str, note: str) -> Document:
    document, _created = Document.objects.get_or_create(
        application=application, requirement=requirement
    )
    document.screening = check
    document.screening_note = note
    document.screened_by = actor
    document.screened_at = timezone.now()
    document.save(update_fields=["screening", "screening_note", "screened_by", "screened_at"])
    return document


def _notify_members(application, requirement, note: str) -> None:
    url = reverse("applications:document-list", kwargs={"pk": application.pk})
    for member in application.organisation.members.filter(is_active=True):
        with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
            name = requirement.name  # in the language the email is written in
        context = {
            "reference": application.reference,
            "title": application.title,
            "document": name,
            "note": note,
            "url": url,
        }
        queue_notification(
            kind=NotificationKind.DOCUMENT_TO_CORRECT,
            recipient=member,
            application=application,
            context=context,
        )
