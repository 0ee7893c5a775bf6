"""Programme admins' supervision of a participation: onboarding checklist, testing, reports,
extensions, suspension, termination and exit. One POST-only view per action."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from applications import queries
from applications.enums import ApplicationState, ExtensionState, ReportState, ScanStatus
from applications.forms.decisions import CommentForm, OptionalNoteForm
from applications.forms.participations import EvidenceForm, ExitCompleteForm, ExitForm, ReasonForm
from applications.models import ExtensionRequest, OnboardingCondition, Report, ReportAttachment
from applications.queries import participations as q
from applications.services import participations as service
from applications.services.clocks import today
from applications.services.extensions import decide_extension
from applications.services.reports import accept_report, return_report
from applications.views.actions import ActionView, StaffPageMixin

S = ApplicationState


class ParticipationListView(StaffPageMixin, ListView):
    """Every participation being onboarded, tested or wound down: a constant number of queries."""

    template_name = "participations/staff/list.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        return q.participations_for_console()


class ParticipationStaffView(StaffPageMixin, TemplateView):
    template_name = "participations/staff/detail.html"

    def load_objects(self) -> None:
        self.application = get_object_or_404(
            queries.applications_visible_to(self.request.user).select_related("participation"),
            pk=self.kwargs["pk"],
            participation__isnull=False,
        )

    def get_context_data(self, **kwargs):
        application = self.application
        participation = application.participation
        reports = list(
            participation.reports.select_related("filed_by", "reviewed_by").prefetch_related(
                Prefetch(
                    "attachments",
                    # Staff see only files the scan cleared.
                    queryset=ReportAttachment.objects.filter(scan_status=ScanStatus.CLEAN),
                    to_attr="clean_attachments",
                )
            )
        )
        for report in reports:
            report.overdue = report.is_overdue_on(today())
        return super().get_context_data(
            application=application,
            participation=participation,
            conditions=list(
                participation.onboarding_conditions.select_related("met_by", "evidence_document")
            ),
            reports=reports,
            extensions=list(participation.extension_requests.select_related("requested_by")),
            documents=list(application.documents.select_related("requirement")),
            S=S,
            FILED=ReportState.FILED,
            PENDING=ExtensionState.PENDING,
            exit_form=ExitForm(),
            **kwargs,
        )


class SupervisionActionView(ActionView):
    permission = "applications.supervise_application"


class OnboardingStartView(SupervisionActionView):
    success_message = _("Onboarding started: confirm each condition with its evidence.")

    def perform(self, form) -> None:
        service.start_onboarding(actor=self.request.user, application_id=self.application.pk)


class ConditionConfirmView(SupervisionActionView):
    form_class = EvidenceForm
    success_message = _("Condition recorded as met.")

    def application_pk(self) -> int:
        self.condition = get_object_or_404(
            OnboardingCondition.objects.select_related("participation"),
            pk=self.kwargs["condition_pk"],
        )
        return self.condition.participation.application_id

    def get_form_kwargs(self) -> dict:
        return {"documents": self.application.documents.select_related("requirement")}

    def perform(self, form) -> None:
        service.confirm_condition(
            actor=self.request.user,
            condition_id=self.condition.pk,
            evidence_note=form.cleaned_data["evidence_note"],
            evidence_document_id=form.cleaned_data["evidence_document"],
        )


class TestingStartView(SupervisionActionView):
    success_message = _("Testing started. The reporting schedule is set.")

    def perform(self, form) -> None:
        service.start_testing(actor=self.request.user, application_id=self.application.pk)


class SuspendView(SupervisionActionView):
    form_class = ReasonForm
    success_message = _("Testing suspended.")

    def perform(self, form) -> None:
        service.suspend_testing(
            actor=self.request.user,
            application_id=self.application.pk,
            reason=form.cleaned_data["reason"],
        )


class ReinstateView(SupervisionActionView):
    form_class = ReasonForm
    success_message = _("Testing reinstated.")

    def perform(self, form) -> None:
        service.reinstate_testing(
            actor=self.request.user,
            application_id=self.application.pk,
            reason=form.cleaned_data["reason"],
        )


class TerminateView(SupervisionActionView):
    form_class = ReasonForm
    success_message = _("Participation terminated.")

    def perform(self, form) -> None:
        service.terminate_participation(
            actor=self.request.user,
            application_id=self.application.pk,
            reason=form.cleaned_data["reason"],
        )


class ExitStartView(SupervisionActionView):
    form_class = ExitForm
    success_message = _("Exit started. The final report is now due.")

    def perform(self, form) -> None:
        service.start_exit(
            actor=self.request.user,
            application_id=self.application.pk,
            route=form.cleaned_data["route"],
            trigger=form.cleaned_data["trigger"],
        )


class ExitCompleteView(SupervisionActionView):
    form_class = ExitCompleteForm
    success_message = _("Exit completed.")

    def perform(self, form) -> None:
        service.complete_exit(
            actor=self.request.user,
            application_id=self.application.pk,
            route=form.cleaned_data["route"],
        )


class ReportActionView(SupervisionActionView):
    def application_pk(self) -> int:
        self.report = get_object_or_404(
            Report.objects.select_related("participation"), pk=self.kwargs["report_pk"]
        )
        return self.report.participation.application_id


class ReportAcceptView(ReportActionView):
    success_message = _("Report accepted.")

    def perform(self, form) -> None:
        accept_report(actor=self.request.user, report_id=self.report.pk)


class ReportReturnView(ReportActionView):
    form_class = CommentForm
    success_message = _("Report returned to the participant with your comment.")

    def perform(self, form) -> None:
        return_report(
            actor=self.request.user, report_id=self.report.pk, comment=form.cleaned_data["comment"]
        )


class ExtensionDecideView(SupervisionActionView):
    form_class = OptionalNoteForm
    approve = True

    def application_pk(self) -> int:
        self.extension = get_object_or_404(
            ExtensionRequest.objects.select_related("participation"),
            pk=self.kwargs["extension_pk"],
        )
        return self.extension.participation.application_id

    def perform(self, form) -> None:
        decide_extension(
            actor=self.request.user,
            extension_id=self.extension.pk,
            approve=self.approve,
            note=form.cleaned_data["note"],
        )


class ExtensionApproveView(ExtensionDecideView):
    success_message = _("Extension approved: the end of the test has moved.")


class ExtensionRefuseView(ExtensionDecideView):
    approve = False
    success_message = _("Extension refused.")
