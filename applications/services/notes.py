"""Internal notes among staff on an application; never shown to the applicant."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, InternalNote
from applications.services.audit import record_event

MAX_NOTE_LENGTH = 5000


def add_note(*, actor, application_id: int, body: str) -> InternalNote:
    body = body.strip()
    if not body:
        raise WorkflowError(_("Write the note first."))
    if len(body) > MAX_NOTE_LENGTH:
        raise WorkflowError(
            _("A note may be at most %(limit)s characters long.") % {"limit": MAX_NOTE_LENGTH}
        )
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=application_id)
        )
        if application.is_draft or not actor.has_perm(
            "applications.add_note_application", application
        ):
            raise NotAllowed(_("You are not allowed to do this."))
        note = InternalNote.objects.create(application=application, author=actor, body=body)
        # The event records that a note was written, not what it says; never applicant-visible.
        record_event(
            kind=EventKind.NOTE_ADDED,
            actor=actor,
            application=application,
            data={"note": note.pk},
            applicant_visible=False,
        )
    return note
