"""Staff screening of an application's documents: clean versions, correction requests, access log."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications import queries
from applications.exceptions import WorkflowError
from applications.forms.corrections import CorrectionRequestForm
from applications.models import Document
from applications.rules import identity_hidden_from
from applications.views.workspace_sections import neutral_name


class StaffDocumentListView(LoginRequiredMixin, TemplateView):
    """Every document of a submitted application, clean versions only, with what staff may do."""

    template_name = "applications/staff/documents.html"

    def get_context_data(self, **kwargs):
        application = get_object_or_404(
            queries.applications_visible_to(self.request.user), pk=kwargs["pk"]
        )
        if not self.request.user.has_perm("applications.screen_documents", application):
            raise Http404
        slots = queries.document_slots(application, clean_only=True)
        may_request = not application.is_draft
        for slot in slots:
            slot["correction_form"] = (
                CorrectionRequestForm(auto_id=f"id_correction_{slot['document'].pk}_%s")
                if may_request and slot["document"]
                else None
            )
        # Blind review: the applicant's own file name may name the firm.
        hidden = identity_hidden_from(self.request.user, application)
        for slot in slots:
            for version in slot["versions"]:
                version.shown_name = (
                    neutral_name(application, slot["requirement"], version)
                    if hidden
                    else version.original_name
                )
        return super().get_context_data(application=application, slots=slots, **kwargs)


def _document_for_screening(user, document_id: int, permission: str) -> Document:
    try:
        document = queries.document_visible_to(user, document_id)
    except Document.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(permission, document.application):
        raise Http404
    return document


class DocumentCorrectionRequestView(LoginRequiredMixin, View):
    def post(self, request, document_id):
        from applications.services.documents import request_correction

        document = _document_for_screening(
            request.user, document_id, "applications.screen_documents"
        )
        form = CorrectionRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["note"]))
        else:
            try:
                request_correction(
                    actor=request.user, document_id=document.pk, note=form.cleaned_data["note"]
                )
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("The applicant is asked to correct “%(document)s”.")
                    % {"document": document.requirement.name},
                )
        return redirect("applications:staff-document-list", pk=document.application_id)


class DocumentAccessLogView(LoginRequiredMixin, TemplateView):
    """Who uploaded, checked, downloaded or asked to correct each version of one document."""

    template_name = "applications/staff/document_access.html"

    def get_context_data(self, **kwargs):
        document = _document_for_screening(
            self.request.user, kwargs["document_id"], "applications.view_document_access_log"
        )
        events = list(queries.document_access_log(document)[:500])
        numbers = dict(document.versions.values_list("pk", "number"))
        for event in events:
            kind, _sep, pk = event.subject.partition(":")
            event.version_number = numbers.get(int(pk)) if kind == "document_version" else None
        return super().get_context_data(document=document, events=events, **kwargs)
