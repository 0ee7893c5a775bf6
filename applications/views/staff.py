"""Regulator staff's face: the list of submitted applications."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from applications import queries
from applications.enums import ApplicationState


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
            application.organisation_hidden = (
                not application.can_open and application.cohort.programme.blind_review
            )
        counts = queries.state_counts(self.scope)
        context["state_counts"] = [
            {"state": value, "label": label, "count": counts[value]}
            for value, label in ApplicationState.choices
            if counts.get(value)
        ]
        context["total"] = sum(counts.values())
        context["selected_state"] = self.selected_state()
        return context
