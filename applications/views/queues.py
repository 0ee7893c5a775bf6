"""The reviewer workspace's queues: "My work", "Triage" and, for admins, "All applications".

Filters, sort and page live in the URL (a GET form). With htmx the form and the page links swap
only the results (the `results` partial of the same template); without JavaScript they load the
whole page. A constant number of queries whatever the page size and the data size: the cohorts
for the filter, one aggregate for the counts per state (which also gives the page count) and the
page's rows (every fact a row shows is a column of that one query); the calendar comes from the
cache. The rows are written by `{% queue_rows %}` (templatetags/queues.py), not a template loop.
"""

from urllib.parse import urlencode

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from applications import queries
from applications.enums import ActivityCategory, ApplicationState
from applications.forms.queues import QueueFilterForm
from applications.queries import queues as q
from applications.rules import identity_hidden_on
from applications.services.clocks import read_clock
from portal.accounts.models import Role
from portal.reversing import reverse_once

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


ALL_QUEUE_PERMISSION = "applications.view_all_applications_queue"


def rule_allows(user, permission: str, obj=None) -> bool:
    """user.has_perm(permission, obj) without asking Django's model backend first: the queue's
    permissions are rules (rules.py); that backend grants no object permission at all, and for
    a rule no Permission row carries it can only refuse after loading the user's and their
    groups' permissions (2 queries on every reviewer's queue page). Active superusers have every
    permission, as in User.has_perm."""
    return user.is_active and (user.is_superuser or rules.has_perm(permission, user, obj))


def may_see_all_queue(user) -> bool:
    return rule_allows(user, ALL_QUEUE_PERMISSION)


class UrlPattern:
    """A URL with one integer argument, reversed once and then filled in for each row (reverse()
    per row and per link is a measurable share of a 25-row page)."""

    MARKER = 2_147_483_647  # an id no row has: it stands for the argument in the reversed URL

    def __init__(self, name: str) -> None:
        self.head, self.tail = reverse_once(name, self.MARKER).split(str(self.MARKER))

    def url(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


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
        cached = q.page_caches()
        self.calendar = queries.working_calendar(cached)
        self.form = QueueFilterForm(
            self.request.GET,
            cohorts=q.filter_cohorts(user, cached),
            show_search_hint_blind=user.role == Role.REVIEWER,
        )
        self.filters = self.form.filters()
        rows, unfiltered_by_state = q.queue_rows(
            user, self.queue, self.filters, today=self.today, calendar=self.calendar
        )
        self.counts = queries.state_counts(unfiltered_by_state)
        return rows

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        """The rows are the counted ones narrowed to one state or none: their number is known
        from the counts per state, so the paginator need not run its own COUNT query."""
        paginator = super().get_paginator(
            queryset, per_page, orphans, allow_empty_first_page, **kwargs
        )
        state = self.filters.state
        paginator.count = self.counts.get(state, 0) if state else sum(self.counts.values())
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Loop invariants, once per page rather than once per row: the choices' labels in the
        # active language (get_FOO_display rebuilds and translates the whole choice list on
        # every call) and the detail and declaration URLs, filled in with each row's id.
        states = {value: str(label) for value, label in ApplicationState.choices}
        activities = {value: str(label) for value, label in ActivityCategory.choices}
        detail_url = UrlPattern("applications:staff-application-detail")
        declaration_url = UrlPattern("applications:reviewer-declaration")
        for application in context["applications"]:
            q.finish_row(application, user, self.today)
            application.clock = read_clock(application, on=self.today, calendar=self.calendar)
            application.can_open = rule_allows(user, "applications.view_application", application)
            application.organisation_hidden = identity_hidden_on(
                user, blind_review=application.blind_review
            )
            application.state_label = states.get(application.state, application.state)
            application.activity_label = activities.get(
                application.activity_category, application.activity_category
            )
            application.detail_url = detail_url.url(application.pk)
            application.declaration_url = declaration_url.url(application.pk)
        counts = self.counts
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
        if may_see_all_queue(self.request.user):
            names = (*names, q.ALL)
        return [
            {
                "name": name,
                "title": QUEUE_TITLES[name],
                "url": reverse_once(f"applications:queue-{name}"),
            }
            for name in names
        ]
