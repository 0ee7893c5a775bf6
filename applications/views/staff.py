"""Regulator staff's face: the list of submitted applications and one application's working page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from applications import queries
from applications.enums import ApplicationState
from applications.rules import identity_hidden_from
from applications.views.decisions import decision_section
from applications.views.moves import casework_context
from applications.views.presentation import answer_sections
from applications.views.reviewer import pending_assignment
from applications.views.workspace_sections import workspace_sections


class StaffApplicationListView(LoginRequiredMixin, ListView):
    """Admins see every submitted application; reviewers those of the cohorts on whose panel they sit.

    A constant number of queries whatever the page size: the page count, the page's rows (with
    their cohort, programme and organisation joined) and one aggregate for the counts per state.
    """

    template_name = "applications/staff/application_list.html"
    context_object_name = "applications"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_regulator_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.scope = queries.applications_for_staff_list(self.request.user)
        state = self.selected_state()
        return self.scope.filter(state=state) if state else self.scope

    def selected_state(self) -> str:
        state = self.request.GET.get("state", "")
        return state if state in ApplicationState.values and state != ApplicationState.DRAFT else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for application in context["applications"]:
            application.can_open = user.has_perm("applications.view_application", application)
            # Blind review: reviewers judge the proposal, not the firm behind it.
            application.organisation_hidden = identity_hidden_from(user, application)
        counts = queries.state_counts(self.scope)
        context["state_counts"] = [
            {"state": value, "label": label, "count": counts[value]}
            for value, label in ApplicationState.choices
            if counts.get(value)
        ]
        context["total"] = sum(counts.values())
        context["selected_state"] = self.selected_state()
        return context


class StaffApplicationDetailView(LoginRequiredMixin, TemplateView):
    """Staff's working page for one application: its answers and documents, and one section per
    part of the work (clock, assignment, screening, requests for information, reviews, notes,
    moves). Each section is its own template under applications/staff/sections/."""

    template_name = "applications/staff/application_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_regulator_staff:
            raise PermissionDenied
        if pending_assignment(request.user, kwargs["pk"]) is not None:
            return redirect("applications:reviewer-declaration", pk=kwargs["pk"])
        self.application = get_object_or_404(
            queries.applications_visible_to(request.user).exclude(state=ApplicationState.DRAFT),
            pk=kwargs["pk"],
        )
        if not request.user.has_perm("applications.view_application", self.application):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.application
        return super().get_context_data(
            application=application,
            sections=answer_sections(application),
            # Staff never see a version still being checked or one that was quarantined.
            documents=queries.document_slots(application, clean_only=True),
            can_screen_documents=self.request.user.has_perm(
                "applications.screen_documents", application
            ),
            **workspace_sections(self.request.user, application),
            **casework_context(self.request.user, application),
            decision_section=decision_section(self.request.user, application),
            **kwargs,
        )
