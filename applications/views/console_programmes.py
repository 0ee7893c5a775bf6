"""Programme admin console: create a programme, see it, edit its settings, criteria and
document requirements. Each save is one service call and one audit event."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from applications.exceptions import WorkflowError
from applications.forms.programmes import (
    CRITERION_HELPER,
    REQUIREMENT_HELPER,
    ProgrammeForm,
    criteria_formset,
    requirements_formset,
)
from applications.models import Criterion, DocumentRequirement, Programme
from applications.queries import programmes as programme_queries
from applications.services import programmes as programme_services
from applications.views.console import ConsoleMixin, decorate_cohorts


class ProgrammeMixin(ConsoleMixin):
    def load(self, **kwargs) -> None:
        try:
            self.programme = Programme.objects.get(pk=kwargs["pk"])
        except Programme.DoesNotExist:
            raise Http404("No such programme.") from None

    def to_detail(self):
        return redirect("console:programme-detail", pk=self.programme.pk)


class ProgrammeCreateView(ConsoleMixin, FormView):
    template_name = "console/programme_form.html"
    form_class = ProgrammeForm

    def form_valid(self, form):
        try:
            programme = programme_services.create_programme(
                actor=self.request.user, fields=form.cleaned_data
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Programme created. Add its criteria and document requirements next."),
        )
        return redirect("console:programme-detail", pk=programme.pk)


class ProgrammeDetailView(ProgrammeMixin, TemplateView):
    template_name = "console/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = programme_queries.programme_detail(self.programme.pk)
        cohorts = list(programme.cohorts.all())
        decorate_cohorts(cohorts, programme_queries.cohort_state_counts([c.pk for c in cohorts]))
        criteria = list(programme.criteria.all())
        return super().get_context_data(
            programme=programme,
            cohorts=cohorts,
            criteria=criteria,
            weight_total=sum(criterion.weight for criterion in criteria),
            requirements=list(programme.document_requirements.all()),
            versions=list(programme.versions.all()),
            events=programme_queries.console_events(f"programme:{programme.pk}"),
            **kwargs,
        )


class ProgrammeEditView(ProgrammeMixin, FormView):
    template_name = "console/programme_form.html"
    form_class = ProgrammeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def form_valid(self, form):
        try:
            changed = programme_services.update_programme(
                actor=self.request.user, programme_id=self.programme.pk, fields=form.cleaned_data
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, _("Programme settings saved."))
        else:
            messages.info(self.request, _("Nothing changed."))
        return self.to_detail()


class RowsView(ProgrammeMixin, TemplateView):
    """A formset over the programme's rows in force (criteria or document requirements)."""

    template_name = "console/programme_rows.html"
    model = Criterion
    make_formset = staticmethod(criteria_formset)
    helper = CRITERION_HELPER
    save = staticmethod(programme_services.save_criteria)
    title = ""
    saved_message = ""

    def formset(self, data=None):
        queryset = self.model.objects.filter(programme=self.programme).active()
        return self.make_formset(data, queryset=queryset.order_by("position", "id"))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset())
        return super().get_context_data(
            programme=self.programme, helper=self.helper, title=self.title, **kwargs
        )

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset))
        try:
            changed = self.save(
                actor=request.user, programme_id=self.programme.pk, rows=formset.rows()
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(formset=formset))
        if changed:
            messages.success(request, self.saved_message)
        else:
            messages.info(request, _("Nothing changed."))
        return self.to_detail()


class ProgrammeCriteriaView(RowsView):
    title = _("Evaluation criteria")
    saved_message = _(
        "Criteria saved. Applications already submitted keep the criteria they were submitted under."
    )


class ProgrammeRequirementsView(RowsView):
    model = DocumentRequirement
    make_formset = staticmethod(requirements_formset)
    helper = REQUIREMENT_HELPER
    save = staticmethod(programme_services.save_requirements)
    title = _("Document requirements")
    saved_message = _(
        "Document requirements saved. Applications already submitted keep the requirements they were submitted under."
    )
