"""The participant's face: the released decision, onboarding, reports, incidents, extensions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from applications.enums import ApplicationState, ReportKind
from applications.exceptions import WorkflowError
from applications.forms.participations import (
    ExtensionForm,
    IncidentForm,
    ReasonForm,
    ReportAttachmentForm,
    ReportForm,
)
from applications.models import Report
from applications.queries import participations as q
from applications.services.clocks import today
from applications.services.decisions import decline_offer
from applications.services.extensions import request_extension
from applications.services.reports import file_incident, file_report
from applications.views.actions import ActionView
from applications.views.applicant import ApplicationMixin

S = ApplicationState


class ParticipantPageView(ApplicationMixin, TemplateView):
    """Nothing of a decision shows before its batch is released: the page then reads "pending"."""

    template_name = "participations/applicant/detail.html"

    def get_context_data(self, **kwargs):
        application, user = self.application, self.request.user
        decision = q.released_decision(application)
        participation = getattr(application, "participation", None) if decision else None
        reports, conditions, extensions = [], [], []
        if participation is not None and application.state != S.APPROVED:
            conditions = list(participation.onboarding_conditions.all())
            reports = list(
                participation.reports.exclude(kind=ReportKind.INCIDENT).order_by("due_on", "id")
            )
            for report in reports:
                report.filable = report.can_be_filed_on(today())
                report.overdue = report.is_overdue_on(today())
            extensions = list(participation.extension_requests.all())
        may_report = user.has_perm("applications.report_application", application)
        return super().get_context_data(
            application=application,
            decision=decision,
            participation=participation,
            conditions=conditions,
            reports=reports,
            extensions=extensions,
            may_report=may_report,
            may_decline=decision is not None
            and application.state == S.APPROVED
            and user.has_perm("applications.decline_offer_application", application),
            may_request_extension=may_report and application.state == S.TESTING,
            may_report_incident=may_report and application.state in q.REPORTING_STATES,
            decline_form=ReasonForm(),
            extension_form=ExtensionForm(),
            **kwargs,
        )


class ApplicantActionView(ActionView):
    def done(self):
        return redirect("participations:detail", pk=self.application.pk)


class OfferDeclineView(ApplicantActionView):
    permission = "applications.decline_offer_application"
    form_class = ReasonForm
    success_message = _("You have declined the offer. The regulator has been told.")

    def perform(self, form) -> None:
        decline_offer(
            actor=self.request.user,
            application_id=self.application.pk,
            reason=form.cleaned_data["reason"],
        )


class ExtensionRequestView(ApplicantActionView):
    permission = "applications.report_application"
    form_class = ExtensionForm
    success_message = _("Your extension request was sent to the regulator.")

    def perform(self, form) -> None:
        request_extension(
            actor=self.request.user,
            application_id=self.application.pk,
            months=form.cleaned_data["months"],
            reason=form.cleaned_data["reason"],
        )


class ReportFileView(ApplicationMixin, FormView):
    """GET: the report form for one due (or returned) report. POST: file it."""

    permission = "applications.report_application"
    template_name = "participations/applicant/report_form.html"
    form_class = ReportForm

    def refuse_for_state(self):
        self.report = get_object_or_404(
            Report.objects.filter(participation__application=self.application),
            pk=self.kwargs["report_pk"],
        )
        if not self.report.is_owed:
            messages.info(self.request, _("This report was already filed."))
            return redirect("participations:detail", pk=self.application.pk)
        if not self.report.can_be_filed_on(today()):
            messages.info(self.request, _("This report can be filed once its period is over."))
            return redirect("participations:detail", pk=self.application.pk)
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application,
            report=self.report,
            attachments=list(self.report.attachments.all()),
            attachment_form=ReportAttachmentForm(auto_id="id_attachment_%s"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            file_report(actor=self.request.user, report_id=self.report.pk, content=form.content())
        except WorkflowError as error:
            messages.error(self.request, str(error))
            return redirect("participations:detail", pk=self.application.pk)
        messages.success(self.request, _("Report filed. The regulator will review it."))
        return redirect("participations:detail", pk=self.application.pk)


class IncidentReportView(ApplicationMixin, FormView):
    permission = "applications.report_application"
    template_name = "participations/applicant/report_form.html"
    form_class = IncidentForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, incident=True, **kwargs)

    def form_valid(self, form):
        try:
            file_incident(
                actor=self.request.user, application_id=self.application.pk, content=form.content()
            )
        except WorkflowError as error:
            messages.error(self.request, str(error))
            return redirect("participations:detail", pk=self.application.pk)
        messages.success(self.request, _("Incident report filed. The regulator has been told."))
        return redirect("participations:detail", pk=self.application.pk)
