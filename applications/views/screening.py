"""Completeness screening on the staff page: accept a document, or mark it to be corrected."""

from django.utils.translation import gettext as _

from applications import queries
from applications.enums import ApplicationState, ScanStatus
from applications.forms.casework import ToCorrectForm
from applications.rules import identity_hidden_from
from applications.services.screening import accept_document, mark_document_to_correct
from applications.views.casework import StaffActionView
from applications.views.workspace_sections import neutral_name


class DocumentAcceptView(StaffActionView):
    permission = "applications.screen_application"
    section = "screening"

    def act(self, form) -> str:
        document = accept_document(
            actor=self.request.user,
            application_id=self.application.pk,
            requirement_id=self.kwargs["requirement_id"],
            ip_address=self.client_ip(),
        )
        return _("“%(name)s” accepted.") % {"name": document.requirement.name}


class DocumentToCorrectView(StaffActionView):
    permission = "applications.screen_application"
    section = "screening"
    form_class = ToCorrectForm

    def act(self, form) -> str:
        document = mark_document_to_correct(
            actor=self.request.user,
            application_id=self.application.pk,
            requirement_id=self.kwargs["requirement_id"],
            note=form.cleaned_data["note"],
            ip_address=self.client_ip(),
        )
        return _("“%(name)s” marked to be corrected; the applicant has been told.") % {
            "name": document.requirement.name
        }


def screening_context(user, application) -> dict:
    """One row per application-stage requirement: its latest version, the latest clean one, and
    the screening verdict on it."""
    rows = []
    documents = {document.requirement_id: document for document in application.documents.all()}
    hidden = identity_hidden_from(user, application)
    for slot in queries.document_slots(application):
        latest = slot["latest"]
        clean = next((v for v in slot["versions"] if v.scan_status == ScanStatus.CLEAN), None)
        document = documents.get(slot["requirement"].pk)
        if clean is not None:
            # Blind review: the applicant's own file name may name the firm.
            clean.shown_name = (
                neutral_name(application, slot["requirement"], clean)
                if hidden
                else clean.original_name
            )
        rows.append(
            {
                "requirement": slot["requirement"],
                "latest": latest,
                "latest_clean": clean,
                "document": document,
                "can_accept": latest is not None and latest.scan_status == ScanStatus.CLEAN,
            }
        )
    return {
        "screening_rows": rows,
        "can_screen": application.state == ApplicationState.SCREENING
        and user.has_perm("applications.screen_application", application),
        "to_correct_form": ToCorrectForm(),
    }
