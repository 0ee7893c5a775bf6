"""The reviewer workspace's queues: "My work", "Triage" and (admins) "All applications".

Everything a queue row shows or is filtered and sorted on is computed in SQL, on the page's one
row query: clock filters compare `clock_due_on` with threshold dates worked out once on the
working-day calendar, and RFI, review and score facts are correlated subqueries. So a queue
page costs the same number of queries for 1 row as for 10,000.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Exact

from applications.calendar import WorkingCalendar
from applications.enums import ApplicationState, Declaration, ReviewState, RfiState
from applications.models import (
    Application,
    Cohort,
    RequestForInformation,
    Review,
    ReviewerAssignment,
)
from portal.accounts.models import Role
from portal.i18n import field_language, localized

MY_WORK = "mine"
TRIAGE = "triage"
ALL = "all"
QUEUES = (MY_WORK, TRIAGE, ALL)

CLOCK_OVERDUE = "overdue"
CLOCK_DUE_SOON = "due_soon"
CLOCK_PAUSED = "paused"
RFI_OPEN = "open"
RFI_OVERDUE = "overdue"
REVIEW_SUBMITTED = "submitted"
REVIEW_NOT_SUBMITTED = "not_submitted"

SORT_DUE = "due"
SORT_SUBMITTED_NEWEST = "-submitted"
SORT_SUBMITTED_OLDEST = "submitted"
SORT_SCORE = "score"
SORTS = (SORT_DUE, SORT_SUBMITTED_NEWEST, SORT_SUBMITTED_OLDEST, SORT_SCORE)


@dataclass(frozen=True)
class QueueFilters:
    """What the person asked for in the URL, already validated (forms/queues.py)."""

    state: str = ""
    cohort_id: int | None = None
    activity: str = ""
    clock: str = ""
    due_within: int = 5
    rfi: str = ""
    my_review: str = ""
    search: str = ""
    sort: str = SORT_DUE
    programme_id: int | None = None


@dataclass(frozen=True)
class ClockThresholds:
    """Dates that turn working-day clock questions into plain date comparisons.

    A running clock is overdue when a working day has passed since its due date, that is when
    `clock_due_on` is before the last working day on or before today; it is due within N
    working days when `clock_due_on` is before the (N+1)th working day after today.
    """

    overdue_before: date
    due_soon_before: date

    @classmethod
    def on(cls, today: date, calendar: WorkingCalendar, due_within: int) -> "ClockThresholds":
        last_worked = (
            today if calendar.is_working_day(today) else calendar.add_working_days(today, -1)
        )
        return cls(
            overdue_before=last_worked,
            due_soon_before=calendar.add_working_days(today, due_within + 1),
        )


# Drafts never reach staff, nor drafts withdrawn before submission (no submission time). The
# same condition as the partial index application_queue_scope_idx, which the counts read alone.
SUBMITTED = ~Q(state=ApplicationState.DRAFT) & Q(submitted_at__isnull=False)


@lru_cache(maxsize=1024)
def _my_work(user_id: int) -> Q:
    """Case officer, or assigned and not recused: built once per person (row_columns says why)."""
    live = ReviewerAssignment.objects.filter(
        application=OuterRef("pk"), reviewer_id=user_id
    ).exclude(declaration=Declaration.RECUSED)
    return Q(case_officer_id=user_id) | Exists(live)


def queue_scope(user, queue: str) -> QuerySet[Application]:
    """The applications in one of the user's queues, before filters. Empty for non-staff."""
    applications = Application.objects.all()
    if not user.is_authenticated or not user.is_active or not user.is_regulator_staff:
        return applications.none()
    is_admin = user.role == Role.PROGRAMME_ADMIN
    if queue == MY_WORK:
        return applications.filter(SUBMITTED, _my_work(user.pk))
    if queue == TRIAGE:
        untouched = SUBMITTED & Q(state=ApplicationState.SUBMITTED, case_officer__isnull=True)
        return applications.filter(untouched if is_admin else untouched & Q(cohort__panel=user))
    if queue == ALL and is_admin:
        return applications.filter(SUBMITTED)
    return applications.none()


def cohorts_for_queues(user) -> QuerySet[Cohort]:
    """The cohorts a queue may be filtered by: the user's panels, every cohort for admins."""
    queryset = (
        Cohort.objects.select_related("programme")
        .only(
            "name",
            "programme__name_en",
            "programme__name_ru",
            "programme__name_kk",
        )
        .order_by("programme__code", "-opens_at")
    )
    if user.role == Role.PROGRAMME_ADMIN:
        return queryset
    return queryset.filter(panel=user)


@dataclass(frozen=True)
class FilterProgramme:
    name_en: str
    name_ru: str
    name_kk: str

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True)
class FilterCohort:
    """What the filter form reads of a cohort (forms/queues.py): a queue page lists every
    cohort in its filter, and building two model instances per cohort cost more than the query."""

    pk: int
    name: str
    programme_id: int
    programme: FilterProgramme


# Every cohort as the queue filters list them, cached: the list is the same on every queue
# page and changes only when an admin edits a cohort, a programme or a panel
# (applications/signals.py deletes it then).
FILTER_COHORTS_CACHE_KEY = "queue-filter-cohorts"


def page_caches() -> dict:
    """The working-day calendar and the filter's cohorts in one cache round trip (a queue page
    reads both): pass the result to working_calendar() and filter_cohorts()."""
    from applications.queries import WORKING_CALENDAR_CACHE_KEY

    return cache.get_many([WORKING_CALENDAR_CACHE_KEY, FILTER_COHORTS_CACHE_KEY])


@dataclass(frozen=True)
class _CachedCohort:
    cohort: FilterCohort
    panel: frozenset[int]


def filter_cohorts(user, prefetched: dict | None = None) -> list[FilterCohort]:
    """cohorts_for_queues as plain records, for the queue page's filter: every cohort for
    admins, those whose panel the user sits on for reviewers (one cache read when warm, or none
    with `prefetched`: what a cache.get_many found, see page_caches)."""
    if prefetched is not None:
        cohorts = prefetched.get(FILTER_COHORTS_CACHE_KEY)
    else:
        cohorts = cache.get(FILTER_COHORTS_CACHE_KEY)
    if cohorts is None:
        cohorts = _all_filter_cohorts()
        cache.set(FILTER_COHORTS_CACHE_KEY, cohorts, timeout=3600)
    if user.role == Role.PROGRAMME_ADMIN:
        return [cached.cohort for cached in cohorts]
    return [cached.cohort for cached in cohorts if user.pk in cached.panel]


def _all_filter_cohorts() -> list[_CachedCohort]:
    panels: dict[int, set[int]] = {}
    for cohort_id, user_id in Cohort.panel.through.objects.values_list("cohort_id", "user_id"):
        panels.setdefault(cohort_id, set()).add(user_id)
    rows = Cohort.objects.order_by("programme__code", "-opens_at").values_list(
        "pk",
        "name",
        "programme_id",
        "programme__name_en",
        "programme__name_ru",
        "programme__name_kk",
    )
    programmes: dict[int, FilterProgramme] = {}
    cohorts = []
    for pk, name, programme_id, *names in rows:
        programme = programmes.setdefault(programme_id, FilterProgramme(*names))
        cohort = FilterCohort(pk, name, programme_id, programme)
        cohorts.append(_CachedCohort(cohort, frozenset(panels.get(pk, ()))))
    return cohorts


def identity_visible_q(user) -> Q:
    """applications.rules.identity_hidden_from in SQL: reviewers never see (or search) the
    applicant's identity on a blind programme; admins always do."""
    if user.role == Role.REVIEWER:
        return Q(cohort__programme__blind_review=False)
    return Q()


def _search_q(user, text: str) -> Q:
    by_reference = Q(reference__icontains=text)
    by_identity = (
        Q(organisation__legal_name_en__icontains=text)
        | Q(organisation__legal_name_ru__icontains=text)
        | Q(organisation__legal_name_kk__icontains=text)
        | Q(organisation__bin__startswith=text)
    )
    return by_reference | (identity_visible_q(user) & by_identity)


def _open_rfis():
    return RequestForInformation.objects.filter(application=OuterRef("pk"), state=RfiState.OPEN)


# The filters' conditions, built once (per day for the overdue one): see row_columns.
@lru_cache(maxsize=1)
def _with_open_rfi() -> Exists:
    return Exists(_open_rfis())


@lru_cache(maxsize=4)
def _with_overdue_rfi(today: date) -> Exists:
    return Exists(_open_rfis().filter(due_on__lt=today))


def _mine_submitted(user) -> Exists:
    return Exists(
        Review.objects.filter(
            application=OuterRef("pk"), reviewer=user, state=ReviewState.SUBMITTED
        )
    )


def _average_score() -> Subquery:
    return Subquery(
        Review.objects.filter(application=OuterRef("pk"), state=ReviewState.SUBMITTED)
        .order_by()
        .values("application")
        .annotate(average=Avg("weighted_score"))
        .values("average")[:1],
        output_field=DecimalField(max_digits=4, decimal_places=2),
    )


def _score(user):
    """The average weighted score of the submitted reviews. A reviewer sees it only once their
    own review is submitted: other reviewers' scores stay hidden until then (as an EXISTS: the
    exports' form; a queue row asks per row, `row_columns`)."""
    if user.role == Role.PROGRAMME_ADMIN:
        return _average_score()
    return Case(
        When(_mine_submitted(user), then=_average_score()),
        default=Value(None),
        output_field=DecimalField(max_digits=4, decimal_places=2),
    )


def row_columns(user, *, sort: str = SORT_DUE) -> Mapping:
    """What each row shows and sorts on besides the application's own fields, as columns of
    the one row query, for one annotate() call.

    Every column is a scalar subquery that looks up one application's rows through an index
    (`finish_row` derives the flags in Python). Written as EXISTS in the select list, PostgreSQL
    planned them for every row in scope rather than the 25 shown: each one hashed all of the
    reviewer's assignments, reviews or every open request first (a cost that grows with the data,
    for columns of one page)."""
    return _row_columns(user.pk, user.role, sort, field_language())


# Building these expressions (five subqueries, each a queryset of three to six clones) was a
# tenth of a reviewer's queue page, and they are the same on every page the person opens: they
# are built once per person, role, sort and language. Django copies an expression before it
# resolves it into a query, so one instance serves every request (as a module-level Q does).
@lru_cache(maxsize=1024)
def _row_columns(user_id: int, role: str, sort: str, language: str) -> Mapping:
    columns = {
        **_names(role, language),
        "open_rfi_due_on": Subquery(
            _open_rfis().order_by("due_on").values("due_on")[:1], output_field=DateField()
        ),
    }
    if role == Role.PROGRAMME_ADMIN:
        # An admin's row shows the score, not their own review, and links to every application
        # (rules: is_programme_admin comes before is_cleared_reviewer): the reviewer's columns
        # would be correlated subqueries per row that nothing reads.
        return MappingProxyType(
            {
                **columns,
                "my_review_state": Value(None, output_field=CharField()),
                "viewer_declaration": Value(None, output_field=CharField()),
                "score": _average_score(),
            }
        )
    mine = ReviewerAssignment.objects.filter(application=OuterRef("pk"), reviewer_id=user_id)
    my_review_state = Subquery(
        Review.objects.filter(application=OuterRef("pk"), reviewer_id=user_id).values("state")[:1]
    )
    return MappingProxyType(
        {
            **columns,
            "viewer_declaration": Subquery(mine.values("declaration")[:1]),
            "my_review_state": my_review_state,
            # Sorted by score, the hiding must happen before the sort, in SQL; otherwise
            # finish_row drops the score of a row whose reviewer has not submitted yet.
            "score": Case(
                When(Exact(my_review_state, ReviewState.SUBMITTED), then=_average_score()),
                default=Value(None),
                output_field=DecimalField(max_digits=4, decimal_places=2),
            )
            if sort == SORT_SCORE
            else _average_score(),
        }
    )


def finish_row(application: Application, user, today: date) -> None:
    """The flags a row reads, from its annotations (row_columns): open and overdue requests
    for information, the viewer's live declaration (none when recused), `cleared_reviewer_id`,
    which rules.is_cleared_reviewer reads instead of a query, and a reviewer's score (none until
    their own review is submitted)."""
    due = application.open_rfi_due_on
    application.has_open_rfi = due is not None
    application.rfi_overdue = due is not None and due < today
    declaration = application.viewer_declaration
    application.my_declaration = None if declaration == Declaration.RECUSED else declaration
    if user.role != Role.PROGRAMME_ADMIN:
        application.cleared_reviewer_id = (
            user.pk if declaration == Declaration.NO_CONFLICT else None
        )
        # Other reviewers' scores stay hidden until the reviewer's own review is submitted.
        if application.my_review_state != ReviewState.SUBMITTED:
            application.score = None


def apply_filters(
    queryset: QuerySet[Application],
    user,
    filters: QueueFilters,
    thresholds: ClockThresholds,
    today: date,
) -> QuerySet[Application]:
    """Every filter but the state one (counts per state are taken before it), applied in one
    filter() call: each call copies the query, and a queue page builds two of them."""
    conditions: list = []
    if filters.programme_id:
        conditions.append(Q(cohort__programme_id=filters.programme_id))
    if filters.cohort_id:
        conditions.append(Q(cohort_id=filters.cohort_id))
    if filters.activity:
        conditions.append(Q(activity_category=filters.activity))
    running = Q(clock_due_on__isnull=False, clock_paused_on__isnull=True)
    if filters.clock == CLOCK_OVERDUE:
        conditions.append(running & Q(clock_due_on__lt=thresholds.overdue_before))
    elif filters.clock == CLOCK_DUE_SOON:
        conditions.append(
            running
            & Q(
                clock_due_on__gte=thresholds.overdue_before,
                clock_due_on__lt=thresholds.due_soon_before,
            )
        )
    elif filters.clock == CLOCK_PAUSED:
        conditions.append(Q(clock_paused_on__isnull=False))
    if filters.rfi == RFI_OPEN:
        conditions.append(_with_open_rfi())
    elif filters.rfi == RFI_OVERDUE:
        conditions.append(_with_overdue_rfi(today))
    if filters.my_review == REVIEW_SUBMITTED:
        conditions.append(_mine_submitted(user))
    elif filters.my_review == REVIEW_NOT_SUBMITTED:
        conditions.append(~_mine_submitted(user))
    if filters.search:
        conditions.append(_search_q(user, filters.search))
    return queryset.filter(*conditions) if conditions else queryset


def sort_rows(queryset: QuerySet[Application], sort: str) -> QuerySet[Application]:
    if sort == SORT_SUBMITTED_NEWEST:
        return queryset.order_by("-submitted_at", "-id")
    if sort == SORT_SUBMITTED_OLDEST:
        return queryset.order_by("submitted_at", "id")
    if sort == SORT_SCORE:
        return queryset.order_by(F("score").desc(nulls_last=True), "clock_due_on", "id")
    return queryset.order_by(F("clock_due_on").asc(nulls_last=True), "submitted_at", "id")


def queue_rows(
    user, queue: str, filters: QueueFilters, *, today: date, calendar: WorkingCalendar
) -> tuple[QuerySet[Application], QuerySet[Application]]:
    """(rows to page through, the same without the state filter for the counts per state)."""
    thresholds = ClockThresholds.on(today, calendar, filters.due_within)
    filtered = apply_filters(queue_scope(user, queue), user, filters, thresholds, today)
    rows = filtered.filter(state=filters.state) if filters.state else filtered
    rows = rows.only(*ROW_FIELDS).annotate(**row_columns(user, sort=filters.sort))
    return sort_rows(rows, filters.sort), filtered


# The columns of the application a queue row reads (the row, its clock, the permission checks):
# the table is wide (long texts), and a page fetched whole rows for 25 lines of the table.
ROW_FIELDS = (
    "id",
    "reference",
    "organisation",
    "cohort",
    "state",
    "activity_category",
    "submitted_at",
    "clock_stage",
    "clock_due_on",
    "clock_paused_on",
    "case_officer",
)


def _in_language(field: str, language: str) -> Coalesce:
    """`field` in `language`, English when that one is empty (portal.i18n.localized)."""
    return Coalesce(NullIf(F(f"{field}_{language}"), Value("")), F(f"{field}_en"))


def _names(role: str, language: str) -> dict:
    """The names a row shows, as columns rather than three joined models per row (building
    those was a tenth of the page). On a blind programme a reviewer's row carries no
    organisation name at all (rules.identity_hidden_from), not merely a hidden one."""
    organisation = _in_language("organisation__legal_name", language)
    if role == Role.REVIEWER:
        organisation = Case(
            When(Q(cohort__programme__blind_review=True), then=Value(None)),
            default=organisation,
            output_field=CharField(),
        )
    return {
        "organisation_name": organisation,
        "programme_name": _in_language("cohort__programme__name", language),
        "cohort_name": F("cohort__name"),
        "blind_review": F("cohort__programme__blind_review"),
    }
