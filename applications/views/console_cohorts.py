"""Programme admin console: create and change cohorts, see one, open or close it now."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from applications.exceptions import WorkflowError
from applications.forms.cohorts import CloseNowForm, CohortForm, OpenNowForm
from applications.models import Cohort
from applications.queries import programmes as programme_queries
from applications.services import cohorts as cohort_services
from applications.views.console import ConsoleMixin, decorate_cohorts
from applications.views.console_programmes import ProgrammeMixin


class CohortMixin(ConsoleMixin):
    def load(self, **kwargs) -> None:
        try:
            self.cohort = programme_queries.cohort_detail(kwargs["pk"])
        except Cohort.DoesNotExist:
            raise Http404("No such cohort.") from None

    def to_detail(self):
        return redirect("console:cohort-detail", pk=self.cohort.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cohort=self.cohort, programme=self.cohort.programme, **kwargs
        )


class CohortCreateView(ProgrammeMixin, FormView):
    template_name = "console/cohort_form.html"
    form_class = CohortForm

    def get_initial(self):
        return {"kind": "window", "capacity": 20}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def form_valid(self, form):
        try:
            cohort = cohort_services.create_cohort(
                actor=self.request.user,
                programme_id=self.programme.pk,
                fields=form.service_fields(),
                panel_ids=[user.pk for user in form.cleaned_data["panel"]],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Cohort created."))
        return redirect("console:cohort-detail", pk=cohort.pk)


class CohortDetailView(CohortMixin, TemplateView):
    """The cohort, its applications per state, its panel, and open now / close now."""

    template_name = "console/cohort_detail.html"

    def get_context_data(self, **kwargs):
        cohort = self.cohort
        decorate_cohorts([cohort], programme_queries.cohort_state_counts([cohort.pk]))
        now = timezone.now()
        is_open = cohort.is_open(now)
        # Opening early keeps the planned closing time; a past one must be replaced or cleared.
        planned = cohort.closes_at if cohort.closes_at and cohort.closes_at > now else None
        return super().get_context_data(
            panel=list(cohort.panel.all()),
            events=programme_queries.console_events(f"cohort:{cohort.pk}"),
            is_open=is_open,
            action_form=CloseNowForm() if is_open else OpenNowForm(initial={"closes_at": planned}),
            **kwargs,
        )


class CohortEditView(CohortMixin, FormView):
    template_name = "console/cohort_form.html"
    form_class = CohortForm

    def get_initial(self):
        return CohortForm.initial_for(self.cohort)

    def form_valid(self, form):
        try:
            changed = cohort_services.update_cohort(
                actor=self.request.user,
                cohort_id=self.cohort.pk,
                fields=form.service_fields(),
                panel_ids=[user.pk for user in form.cleaned_data["panel"]],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Cohort saved.") if changed else _("Nothing changed."))
        return self.to_detail()


class CohortOpenView(CohortMixin, FormView):
    """POST only: the confirmation form lives on the cohort page."""

    form_class = OpenNowForm
    http_method_names = ["post"]

    def form_valid(self, form):
        closes_at = form.cleaned_data["closes_at"]
        if closes_at is not None and closes_at <= timezone.now():
            messages.error(self.request, _("The new closing time must be in the future."))
            return self.to_detail()
        try:
            cohort_services.open_cohort_now(
                actor=self.request.user, cohort_id=self.cohort.pk, closes_at=closes_at
            )
        except WorkflowError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The cohort is open to applications."))
        return self.to_detail()

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return self.to_detail()


class CohortCloseView(CohortOpenView):
    form_class = CloseNowForm

    def form_valid(self, form):
        try:
            cohort_services.close_cohort_now(actor=self.request.user, cohort_id=self.cohort.pk)
        except WorkflowError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The cohort is closed to new submissions."))
        return self.to_detail()
