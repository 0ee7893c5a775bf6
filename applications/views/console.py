"""Programme admin console: the shared access check and the home page (programmes and cohorts)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import ListView

from applications.queries import programmes as programme_queries


class ConsoleMixin(LoginRequiredMixin):
    """Programme admins only: anonymous people go to sign in, everyone else gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("applications.manage_programmes"):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the page's object (404 when there is none), after the access check."""


def decorate_cohorts(cohorts, counts: dict, now=None) -> None:
    """Give each cohort its phase and its applications per state (already counted)."""
    now = now or timezone.now()
    for cohort in cohorts:
        cohort.current_phase = cohort.phase(now)
        per_state = counts.get(cohort.pk, {})
        cohort.state_rows = programme_queries.state_rows(per_state)
        cohort.total = sum(per_state.values())


class ConsoleHomeView(ConsoleMixin, ListView):
    """Every programme with its cohorts, each cohort's phase and applications per state.

    A constant number of queries: page count, the page's programmes, their cohorts (one
    prefetch) and one aggregate for the counts of every cohort shown."""

    template_name = "console/home.html"
    context_object_name = "programmes"
    paginate_by = 20

    def get_queryset(self):
        return programme_queries.programmes_for_console()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = [
            cohort for programme in context["programmes"] for cohort in programme.cohorts.all()
        ]
        decorate_cohorts(cohorts, programme_queries.cohort_state_counts([c.pk for c in cohorts]))
        return context
