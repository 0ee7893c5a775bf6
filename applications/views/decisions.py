"""Programme admins' decisions: propose, confirm or send back (four eyes), release a batch."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from applications import queries
from applications.enums import ApplicationState, DecisionState
from applications.exceptions import WorkflowError
from applications.forms.decisions import CommentForm, DecisionForm, ReleaseForm
from applications.models import Cohort, Decision
from applications.queries import participations as q
from applications.services.decisions import (
    confirm_decision,
    propose_decision,
    release_decisions,
    send_back_decision,
)
from applications.views.actions import ActionView, StaffPageMixin


class DecisionConsoleView(StaffPageMixin, TemplateView):
    """Decisions waiting for a second admin, and cohorts with decisions to release."""

    template_name = "console/decisions/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            to_check=list(q.decisions_to_check()[:100]),
            cohorts=list(q.cohorts_with_unreleased()),
            **kwargs,
        )


class DecisionProposeView(StaffPageMixin, FormView):
    template_name = "console/decisions/propose.html"
    form_class = DecisionForm

    def load_objects(self) -> None:
        self.application = get_object_or_404(
            queries.applications_visible_to(self.request.user).filter(
                state__in=(ApplicationState.DECISION_PENDING, ApplicationState.WAITLISTED)
            ),
            pk=self.kwargs["pk"],
        )
        if not self.request.user.has_perm(
            "applications.propose_decision_application", self.application
        ):
            raise PermissionDenied

    def get_form_kwargs(self):
        programme = self.application.cohort.programme
        kwargs = super().get_form_kwargs()
        kwargs.update(criteria=programme.criteria.all(), programme=programme)
        return kwargs

    def get_initial(self):
        application = self.application
        return {
            "duration_months": application.cohort.programme.default_test_months,
            "starts_on": application.proposed_start,
            "max_clients": application.max_clients,
            "currency": application.limit_currency,
            "max_per_client_amount": application.max_per_client_amount,
            "max_aggregate_amount": application.max_aggregate_amount,
            "geography": application.geography,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, places=q.cohort_places(self.application.cohort), **kwargs
        )

    def form_valid(self, form):
        try:
            propose_decision(
                actor=self.request.user, application_id=self.application.pk, terms=form.terms()
            )
        except WorkflowError as error:
            messages.error(self.request, str(error))
            for problem in error.problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The decision is proposed. A second programme admin must approve it.")
        )
        return redirect("applications:staff-application-detail", pk=self.application.pk)


class DecisionActionView(ActionView):
    """Confirm or send back: the decision is found first, then its application is scoped."""

    permission = "applications.check_decision_application"

    def application_pk(self) -> int:
        self.decision = get_object_or_404(Decision, pk=self.kwargs["decision_pk"])
        return self.decision.application_id

    def done(self):
        return redirect("applications:staff-application-detail", pk=self.application.pk)


class DecisionConfirmView(DecisionActionView):
    success_message = _(
        "Decision approved. It stays internal until the cohort's batch is released."
    )

    def perform(self, form) -> None:
        confirm_decision(actor=self.request.user, decision_id=self.decision.pk)


class DecisionSendBackView(DecisionActionView):
    form_class = CommentForm
    success_message = _("Decision sent back to its maker with your comment.")

    def perform(self, form) -> None:
        send_back_decision(
            actor=self.request.user,
            decision_id=self.decision.pk,
            comment=form.cleaned_data["comment"],
        )


class DecisionReleaseView(StaffPageMixin, TemplateView):
    """GET: the cohort's confirmed decisions not yet released. POST: release the selected ones."""

    template_name = "console/decisions/release.html"

    def load_objects(self) -> None:
        self.cohort = get_object_or_404(
            Cohort.objects.select_related("programme"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        rows = list(q.awaiting_release(self.cohort.pk))
        return super().get_context_data(
            cohort=self.cohort, rows=rows, places=q.cohort_places(self.cohort), **kwargs
        )

    def post(self, request, *args, **kwargs):
        rows = q.awaiting_release(self.cohort.pk).values_list("pk", "reference")
        form = ReleaseForm(request.POST, choices=list(rows))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("decisions:release", pk=self.cohort.pk)
        try:
            released = release_decisions(
                actor=request.user,
                cohort_id=self.cohort.pk,
                application_ids=form.cleaned_data["applications"],
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("decisions:release", pk=self.cohort.pk)
        messages.success(
            request,
            ngettext(
                "%(count)s decision released; the applicant has been told.",
                "%(count)s decisions released; the applicants have been told.",
                len(released),
            )
            % {"count": len(released)},
        )
        return redirect("decisions:release", pk=self.cohort.pk)


class OverdueReportListView(StaffPageMixin, TemplateView):
    """Reports owed after their due date, and filed reports waiting for review."""

    template_name = "console/reports/overdue.html"

    def get_context_data(self, **kwargs):
        from applications.services.clocks import today

        return super().get_context_data(
            overdue=list(q.overdue_reports(today())[:200]),
            to_review=list(q.reports_awaiting_review()[:200]),
            **kwargs,
        )


def decision_section(user, application) -> dict | None:
    """What the staff application page's decision section shows (programme admins only; two
    queries: the decisions with their reasons, and whether a participation exists)."""
    if not user.has_perm("applications.propose_decision_application", application):
        return None
    decisions = list(
        Decision.objects.filter(application=application)
        .select_related("made_by", "checked_by")
        .prefetch_related("reasons__criterion")
        .order_by("-made_at", "-id")
    )
    open_decision = next(
        (d for d in decisions if d.state in (DecisionState.PROPOSED, DecisionState.SENT_BACK)), None
    )
    return {
        "open": open_decision,
        "confirmed": [d for d in decisions if d.state == DecisionState.CONFIRMED],
        "may_propose": application.state
        in (ApplicationState.DECISION_PENDING, ApplicationState.WAITLISTED)
        and (open_decision is None or open_decision.state == DecisionState.SENT_BACK),
        "may_check": open_decision is not None
        and open_decision.state == DecisionState.PROPOSED
        and open_decision.made_by_id != user.pk
        and user.has_perm("applications.check_decision_application", application),
        "has_participation": any(
            d.is_approval for d in decisions if d.state == DecisionState.CONFIRMED
        ),
    }
