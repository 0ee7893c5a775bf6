"""The reviewer workspace's queues: "My work", "Triage" and, for admins, "All applications".

Filters, sort and page live in the URL (a GET form). With htmx the form and the page links swap
only the results (the `results` partial of the same template); without JavaScript they load the
whole page. A constant number of queries whatever the page size and the data size: the cohorts
for the filter, the page count, the page's rows (every fact a row shows is a column of that one
query) and one aggregate for the counts per state; the calendar comes from the cache.
"""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from applications import queries
from applications.enums import ApplicationState
from applications.forms.queues import QueueFilterForm
from applications.queries import queues as q
from applications.rules import identity_hidden_from
from applications.services.clocks import read_clock
from portal.accounts.models import Role

QUEUE_TITLES = {
    q.MY_WORK: _("My work"),
    q.TRIAGE: _("Triage"),
    q.ALL: _("All applications"),
}
QUEUE_DESCRIPTIONS = {
    q.MY_WORK: _("Applications you are case officer for or assigned to review."),
    q.TRIAGE: _("Submitted applications with no case officer yet, in the cohorts you work on."),
    q.ALL: _("Every submitted application in every programme."),
}


class QueueView(LoginRequiredMixin, ListView):
    template_name = "applications/staff/queues/queue.html"
    context_object_name = "applications"
    paginate_by = 25
    queue = q.MY_WORK

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        permission = (
            "applications.view_all_applications_queue"
            if self.queue == q.ALL
            else "applications.view_queues"
        )
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#queue"]
        return [self.template_name]

    def get_queryset(self):
        user = self.request.user
        self.today = timezone.localdate()
        self.calendar = queries.working_calendar()
        self.form = QueueFilterForm(
            self.request.GET,
            cohorts=list(q.cohorts_for_queues(user)),
            show_search_hint_blind=user.role == Role.REVIEWER,
        )
        self.filters = self.form.filters()
        rows, self.unfiltered_by_state = q.queue_rows(
            user, self.queue, self.filters, today=self.today, calendar=self.calendar
        )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for application in context["applications"]:
            application.clock = read_clock(application, on=self.today, calendar=self.calendar)
            application.can_open = user.has_perm("applications.view_application", application)
            application.organisation_hidden = identity_hidden_from(user, application)
        counts = queries.state_counts(self.unfiltered_by_state)
        context.update(
            queue=self.queue,
            queue_title=QUEUE_TITLES[self.queue],
            queue_description=QUEUE_DESCRIPTIONS[self.queue],
            queues=self.queue_tabs(),
            form=self.form,
            filters=self.filters,
            state_counts=self.state_links(counts),
            total=sum(counts.values()),
            query_without_page=self.query_string(page=None),
            query_without_state=self.query_string(page=None, state=None),
            is_admin=user.role == Role.PROGRAMME_ADMIN,
        )
        return context

    def query_string(self, **overrides) -> str:
        """The current URL's query, with `overrides` (None removes a key), for links."""
        params = {key: value for key, value in self.request.GET.items() if value != ""}
        for key, value in overrides.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return urlencode(params)

    def state_links(self, counts: dict[str, int]) -> list[dict]:
        return [
            {
                "state": value,
                "label": label,
                "count": counts[value],
                "query": self.query_string(page=None, state=value),
            }
            for value, label in ApplicationState.choices
            if counts.get(value)
        ]

    def queue_tabs(self) -> list[dict]:
        names = (q.MY_WORK, q.TRIAGE)
        if self.request.user.has_perm("applications.view_all_applications_queue"):
            names = (*names, q.ALL)
        return [
            {
                "name": name,
                "title": QUEUE_TITLES[name],
                "url": reverse(f"applications:queue-{name}"),
            }
            for name in names
        ]
