"""Internal notes on an application (section _notes.html of the staff page)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from applications import queries
from applications.exceptions import WorkflowError
from applications.forms.reviews import NoteForm
from applications.services.notes import add_note


class NoteAddView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        if not request.user.is_regulator_staff:
            raise Http404  # applicants never learn that notes exist
        application = get_object_or_404(
            queries.applications_visible_to(request.user).exclude(state="draft"), pk=pk
        )
        form = NoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["body"]))
        else:
            try:
                add_note(
                    actor=request.user,
                    application_id=application.pk,
                    body=form.cleaned_data["body"],
                )
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The note is added."))
        return redirect(f"{application_url(application)}#notes-heading")


def application_url(application):
    from django.urls import reverse

    return reverse("applications:staff-application-detail", args=[application.pk])
