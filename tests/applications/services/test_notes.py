import pytest

from applications.enums import EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import AuditEvent, InternalNote
from applications.services.notes import add_note
from tests import factories
from tests.applications.workspace import cleared_reviewer, pending_reviewer

pytestmark = pytest.mark.django_db


def test_add_note_stores_it_and_audits_without_the_text(programme_admin):
    application = factories.SubmittedApplicationFactory()

    note = add_note(actor=programme_admin, application_id=application.pk, body="  Call the CEO. ")

    assert (note.body, note.author, note.application) == (
        "Call the CEO.",
        programme_admin,
        application,
    )
    event = AuditEvent.objects.get()
    assert (event.kind, event.applicant_visible, event.data) == (
        EventKind.NOTE_ADDED,
        False,
        {"note": note.pk},
    )


def test_cleared_reviewers_may_add_notes_but_not_others(applicant):
    application = factories.SubmittedApplicationFactory(
        organisation=applicant.organisation, created_by=applicant
    )
    cleared = cleared_reviewer(application)
    pending = pending_reviewer(application)

    add_note(actor=cleared, application_id=application.pk, body="Checked the licence.")
    for actor in (pending, applicant, factories.ReviewerFactory()):
        with pytest.raises(NotAllowed):
            add_note(actor=actor, application_id=application.pk, body="Nope")

    assert InternalNote.objects.count() == 1


def test_notes_are_not_added_to_drafts_nor_empty_or_too_long(programme_admin):
    draft = factories.ApplicationFactory()
    submitted = factories.SubmittedApplicationFactory()

    with pytest.raises(NotAllowed):
        add_note(actor=programme_admin, application_id=draft.pk, body="Early")
    with pytest.raises(WorkflowError, match=r"Write the note first\."):
        add_note(actor=programme_admin, application_id=submitted.pk, body="   ")
    with pytest.raises(WorkflowError, match="at most 5000 characters"):
        add_note(actor=programme_admin, application_id=submitted.pk, body="x" * 5001)
    assert not InternalNote.objects.exists()
