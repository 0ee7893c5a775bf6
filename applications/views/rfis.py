"""Requests for information: staff raise and cancel them; the applicant reads and answers them."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import FormView

from applications import queries
from applications.enums import RfiState
from applications.exceptions import WorkflowError
from applications.forms.casework import RfiAnswerForm, RfiCancelForm, RfiRaiseForm
from applications.services import clocks
from applications.services.rfis import answer_rfi, cancel_rfi, raise_rfi
from applications.steps import STEP_BY_SLUG
from applications.views.applicant import ApplicationMixin, client_ip
from applications.views.casework import StaffActionView, report, staff_application, staff_page


class RfiRaiseView(LoginRequiredMixin, FormView):
    """Staff: the questions, which sections and documents the applicant may change."""

    template_name = "applications/staff/rfi_raise.html"
    form_class = RfiRaiseForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = staff_application(
            request.user, kwargs["pk"], "applications.raise_rfi_application"
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.application}

    def get_context_data(self, **kwargs):
        due_on = queries.working_calendar().add_working_days(
            clocks.today(), self.application.programme.rfi_answer_days
        )
        return super().get_context_data(application=self.application, due_on=due_on, **kwargs)

    def form_valid(self, form):
        try:
            raise_rfi(
                actor=self.request.user,
                application_id=self.application.pk,
                questions=form.cleaned_data["questions"],
                steps=form.cleaned_data["steps"],
                requirement_ids=[r.pk for r in form.cleaned_data["requirements"]],
                ip_address=client_ip(self.request),
            )
        except WorkflowError as error:
            report(self.request, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            self.request, _("The request for information has been sent to the applicant.")
        )
        return staff_page(self.application, "rfis")


class RfiCancelView(StaffActionView):
    permission = "applications.cancel_rfi_application"
    section = "rfis"
    form_class = RfiCancelForm

    def act(self, form) -> str:
        rfi = get_object_or_404(self.application.rfis, pk=self.kwargs["rfi_id"])
        cancel_rfi(
            actor=self.request.user,
            rfi_id=rfi.pk,
            reason=form.cleaned_data["reason"],
            ip_address=self.client_ip(),
        )
        return _("The request for information has been cancelled.")


class RfiAnswerView(ApplicationMixin, FormView):
    """The applicant: the questions, links to what is unlocked, and the answer."""

    permission = "applications.answer_rfi_application"
    template_name = "applications/application/rfi_answer.html"
    form_class = RfiAnswerForm

    def refuse_for_state(self):
        self.rfi = get_object_or_404(self.application.rfis, pk=self.kwargs["rfi_id"])
        if self.rfi.state != RfiState.OPEN:
            messages.info(self.request, _("This request for information is no longer open."))
            return self.to_detail()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application,
            rfi=self.rfi,
            steps=[STEP_BY_SLUG[s] for s in self.rfi.editable_steps if s in STEP_BY_SLUG],
            requirements=self.rfi.editable_requirements.order_by("position", "id"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            answer_rfi(
                actor=self.request.user,
                rfi_id=self.rfi.pk,
                answer=form.cleaned_data["answer"],
                ip_address=client_ip(self.request),
            )
        except WorkflowError as error:
            report(self.request, error)
            return self.to_detail()
        messages.success(self.request, _("Your answer has been sent to the regulator."))
        return self.to_detail()
