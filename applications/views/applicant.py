"""The applicant's face of an application: status page, review and submit, receipt, withdrawal."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_fsm import can_proceed

from applications import queries
from applications.exceptions import WorkflowError
from applications.forms.submission import DeclarationsForm, WithdrawalForm
from applications.services.applications import submit_application, withdraw_application
from applications.steps import STEPS
from applications.views.presentation import (
    NEXT_STEPS,
    answer_sections,
    documents_at,
    linked_problems,
    submission_checklist,
    timeline_entries,
)
from applications.views.rfi_sections import applicant_rfi_context


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ApplicationMixin(LoginRequiredMixin):
    """Loads `self.application` through the user's scope (404) and checks `permission` (403)."""

    permission = "applications.view_application"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = get_object_or_404(
            queries.applications_visible_to(request.user), pk=kwargs["pk"]
        )
        if not request.user.has_perm(self.permission, self.application):
            raise PermissionDenied
        if request.user.is_regulator_staff and request.method in ("GET", "HEAD"):
            # The applicant's face names the firm and speaks to it; staff work on their own
            # page, which applies blind review (and never shows drafts).
            return redirect("applications:staff-application-detail", pk=self.application.pk)
        return self.refuse_for_state() or super().dispatch(request, *args, **kwargs)

    def refuse_for_state(self):
        """A response when the application's state rules this page out; None to carry on."""
        return None

    def to_detail(self):
        return redirect("applications:application-detail", pk=self.application.pk)


class ApplicationDetailView(ApplicationMixin, TemplateView):
    template_name = "applications/application/detail.html"

    def get_context_data(self, **kwargs):
        application, user = self.application, self.request.user
        can_edit = application.is_draft and user.has_perm(
            "applications.edit_application", application
        )
        checklist = submission_checklist(application) if can_edit else []
        return super().get_context_data(
            application=application,
            next_steps=NEXT_STEPS.get(application.state_for_applicant, ""),
            checklist=checklist,
            timeline=timeline_entries(application),
            edit_url=_first_step_url(application, checklist) if can_edit else None,
            can_submit=can_edit and user.has_perm("applications.submit_application", application),
            can_withdraw=user.has_perm("applications.withdraw_application", application)
            and can_proceed(application.withdraw),
            **applicant_rfi_context(user, application),
            **kwargs,
        )


class ApplicationSubmitView(ApplicationMixin, FormView):
    """GET: everything that will be sent, what still stops it, and the declarations. POST: submit."""

    permission = "applications.submit_application"
    template_name = "applications/application/submit.html"
    form_class = DeclarationsForm

    def refuse_for_state(self):
        if not self.application.is_draft:
            messages.info(self.request, _("This application has already been submitted."))
            return self.to_detail()
        return None

    def get_context_data(self, **kwargs):
        checklist = submission_checklist(self.application)
        # The declarations are the form on this very page, so they are not listed as a problem.
        kwargs.setdefault(
            "problems", [item for item in checklist if item["kind"] != "declarations"]
        )
        return super().get_context_data(
            application=self.application,
            sections=answer_sections(self.application, editable=True),
            slots=queries.document_slots(self.application),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            application = submit_application(
                actor=self.request.user,
                application_id=self.application.pk,
                ip_address=client_ip(self.request),
            )
        except WorkflowError as error:
            messages.error(self.request, str(error))
            if not error.problems:
                return self.to_detail()
            problems = linked_problems(error.problems, submission_checklist(self.application))
            return self.render_to_response(self.get_context_data(form=form, problems=problems))
        messages.success(
            self.request,
            _("Your application has been submitted. Its reference is %(reference)s.")
            % {"reference": application.reference},
        )
        return redirect("applications:application-receipt", pk=application.pk)


class ApplicationReceiptView(ApplicationMixin, TemplateView):
    """Proof of what was submitted and when; exists only once the application was submitted."""

    template_name = "applications/application/receipt.html"

    def refuse_for_state(self):
        if self.application.submitted_at is None:
            raise Http404("A draft has no receipt.")
        return None

    def get_context_data(self, **kwargs):
        application = self.application
        return super().get_context_data(
            application=application,
            organisation=application.organisation,
            submitted_by=application.declarations_accepted_by,
            sections=answer_sections(application),
            documents=documents_at(application, application.submitted_at),
            **kwargs,
        )


class ApplicationWithdrawView(ApplicationMixin, FormView):
    permission = "applications.withdraw_application"
    template_name = "applications/application/withdraw.html"
    form_class = WithdrawalForm

    def refuse_for_state(self):
        if not can_proceed(self.application.withdraw):
            messages.info(self.request, _("This application can no longer be withdrawn."))
            return self.to_detail()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def form_valid(self, form):
        try:
            withdraw_application(
                actor=self.request.user,
                application_id=self.application.pk,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(self.request),
            )
        except WorkflowError as error:
            messages.error(self.request, str(error))
            return self.to_detail()
        messages.success(self.request, _("Your application has been withdrawn."))
        return self.to_detail()


def _first_step_url(application, checklist) -> str:
    """Where "continue editing" goes: the first step with something missing, else the first step."""
    for item in checklist:
        if item["kind"] == "answer":
            return item["url"]
    return reverse(
        "applications:application-step", kwargs={"pk": application.pk, "step": STEPS[0].slug}
    )
