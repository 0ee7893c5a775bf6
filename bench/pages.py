"""The pages benchmarked, and their measurement in-process (Django's test client).

Each page names its floor (bench/floors.py) and the parameters that make the floor fetch the same
rows. In-process, each repetition requests the page through the test client (every middleware,
the session, the view, the template) and then renders the floor straight from a cursor; the
query count is the page's, captured once after the warm-up. bench/run_pages.py drives this and
the same pages over HTTP, and writes the results.
"""

import json
import statistics
import time
from dataclasses import dataclass, field
from datetime import date

REVIEWER = "reviewer"
ADMIN = "admin"
LIST = "list"
DETAIL = "detail"
EXPORT = "export"

QUERY_BUDGET = 12  # DESIGN.md §10: at most 12 queries on any list page
RATIO_BUDGET = 3.0  # DESIGN.md §10: queue and dashboard median within 3x of the floor


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    role: str
    url: str
    floor: str
    params: dict = field(default_factory=dict)
    kind: str = LIST
    # DESIGN.md holds the reviewer queue and the admin dashboard to the 3x-floor budget.
    ratio_budget: bool = False

    @property
    def floor_url(self) -> str:
        from urllib.parse import urlencode

        return f"/bench-floor/{self.floor}/?" + urlencode({"p": json.dumps(self.params)})


@dataclass(frozen=True)
class Context:
    """Who signs in and which rows the pages show, found in the data set."""

    reviewer_id: int
    admin_id: int
    application_id: int
    cohort_id: int
    search: str
    today: date
    # A running clock is overdue when due before this day: the last working day on or before
    # today (worked out on the working-day calendar, as the queue does, before the query).
    overdue_before: date

    @classmethod
    def discover(cls, reviewer_email: str | None = None, admin_email: str | None = None):
        from django.db.models import Count
        from django.utils import timezone

        from applications import demo
        from applications.models import Application, Cohort
        from applications.queries import working_calendar
        from applications.queries.queues import ClockThresholds
        from portal.accounts.models import Role, User

        today = timezone.localdate()
        reviewer_email = reviewer_email or next(
            login.email for login in demo.STAFF if login.role == Role.REVIEWER
        )
        admin_email = admin_email or next(
            login.email for login in demo.STAFF if login.role == Role.PROGRAMME_ADMIN
        )
        # The detail page of a case with the most to show: reviews, then documents.
        application = (
            Application.objects.exclude(state="draft")
            .filter(submitted_at__isnull=False)
            .annotate(reviews_count=Count("reviews", distinct=True))
            .order_by("-reviews_count", "id")
            .only("id", "reference")
            .first()
        )
        cohort = (
            Cohort.objects.annotate(size=Count("applications"))
            .order_by("-size", "id")
            .only("id")
            .first()
        )
        return cls(
            reviewer_id=User.objects.get(email=reviewer_email).pk,
            admin_id=User.objects.get(email=admin_email).pk,
            application_id=application.pk,
            cohort_id=cohort.pk,
            # A reference prefix: matches a few rows, as a person typing part of one would.
            search=application.reference[:-2],
            today=today,
            overdue_before=ClockThresholds.on(today, working_calendar(), 5).overdue_before,
        )


def build_pages(context: Context) -> list[Page]:
    """The pages of issue 7: queues under several filters, triage, detail, console, exports."""
    reviewer = {"user": context.reviewer_id}
    admin = {"user": context.admin_id}
    queues = "/applications/staff/queues"
    search = f"%{context.search}%"
    pages = [
        Page("queue_mine", "My work (reviewer)", REVIEWER, f"{queues}/mine/", "queue_mine",
             reviewer, ratio_budget=True),
        Page("queue_mine_rfi_open", "My work, open RFIs (reviewer)", REVIEWER,
             f"{queues}/mine/?rfi=open", "queue_mine_rfi_open", reviewer, ratio_budget=True),
        Page("queue_triage", "Triage (reviewer)", REVIEWER, f"{queues}/triage/", "queue_triage",
             reviewer, ratio_budget=True),
        Page("queue_triage_admin", "Triage (admin)", ADMIN, f"{queues}/triage/",
             "queue_triage_admin", admin, ratio_budget=True),
        Page("queue_all", "All applications, by due date", ADMIN, f"{queues}/all/", "queue_all",
             admin, ratio_budget=True),
        Page("queue_all_state", "All, state = evaluation", ADMIN,
             f"{queues}/all/?state=evaluation", "queue_all_state",
             {**admin, "state": "evaluation"}, ratio_budget=True),
        Page("queue_all_cohort_overdue", "All, one cohort, overdue", ADMIN,
             f"{queues}/all/?cohort={context.cohort_id}&clock=overdue",
             "queue_all_cohort_overdue",
             {**admin, "cohort": context.cohort_id,
              "overdue_before": context.overdue_before.isoformat()},
             ratio_budget=True),
        Page("queue_all_score", "All, by score", ADMIN, f"{queues}/all/?sort=score",
             "queue_all_score", admin, ratio_budget=True),
        Page("queue_all_newest", "All, newest first", ADMIN, f"{queues}/all/?sort=-submitted",
             "queue_all_newest", admin, ratio_budget=True),
        Page("queue_all_search", "All, search by reference", ADMIN,
             f"{queues}/all/?q={context.search}", "queue_all_search",
             {**admin, "search": search}, ratio_budget=True),
        Page("detail", "Application detail (admin)", ADMIN,
             f"/applications/staff/{context.application_id}/", "detail",
             {"application": context.application_id}, kind=DETAIL),
        Page("console", "Cohort console list", ADMIN, "/console/", "console"),
    ]  # fmt: skip
    return pages + hooked_pages(context)


def hooked_pages(context: Context) -> list[Page]:
    """Pages built on other branches (the admin dashboard, the exports), benchmarked once their
    URL names exist; until then they are reported as missing, not silently skipped."""
    from django.urls import NoReverseMatch, reverse

    found = []
    for name, title, url_names, floor, kind, budget in HOOKS:
        for url_name in url_names:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            params = {"scope": "all"} if name == "dashboard" else {}
            found.append(
                Page(name, title, ADMIN, url, floor, params, kind=kind, ratio_budget=budget)
            )
            break
    return found


# (page name, title, URL names to look for, floor, kind, held to the 3x budget)
HOOKS = [
    ("dashboard", "Admin dashboard", ["console:dashboard"], "dashboard", LIST, True),
    ("export_csv", "CSV export, all applications", ["console:export-applications-csv"], "export_csv",
     EXPORT, False),
    ("export_xlsx", "XLSX export, all applications", ["console:export-applications-xlsx"], "export_csv",
     EXPORT, False),
]  # fmt: skip


def missing_hooks(pages: list[Page]) -> list[str]:
    present = {page.name for page in pages}
    return [name for name, *_rest in HOOKS if name not in present]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(seconds: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(seconds) * 1000, 2),
        "p95": round(percentile(seconds, 0.95) * 1000, 2),
    }


def measure_in_process(
    pages: list[Page], users: dict, repetitions: int, *, warmup: int = 2, floors: bool = True
) -> dict:
    """{page name: {"status", "queries", "page", "floor", "bare", "ratio", "ratio_bare"}}.

    Each repetition times the page, its floor view (through the same middleware, signed in as
    the same person) and the bare floor (the floor's function called on a cursor, no request).
    The floors are PostgreSQL SQL: without them (`floors=False`, e.g. on SQLite) only the pages
    are measured and the ratios are None."""
    from django.db import connection
    from django.test import Client

    from bench.floors import render

    clients = {}
    for role, user in users.items():
        clients[role] = Client(SERVER_NAME="127.0.0.1")
        clients[role].force_login(user)
    results = {}
    for page in pages:
        client = clients[page.role]
        actions = {"page": lambda c=client, u=page.url: consume(c.get(u))}
        if floors:
            actions["floor"] = lambda c=client, u=page.floor_url: consume(c.get(u))
            actions["bare"] = lambda f=page.floor, a=page.params: render(f, a)
        # An export streams thousands of rows: counted and timed once here, measured over HTTP.
        runs = 1 if page.kind == EXPORT else repetitions
        for _ in range(0 if page.kind == EXPORT else warmup):
            for action in actions.values():
                action()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = consume(client.get(page.url))
        times = {kind: [] for kind in actions}
        for _ in range(runs):
            for kind, action in actions.items():
                times[kind].append(timed(action))
        result = {"status": response.status_code, "queries": counter.count}
        result.update({kind: summary(seconds) for kind, seconds in times.items()})
        result["ratio"] = result["ratio_bare"] = None
        if floors:
            result["ratio"] = round(result["page"]["median"] / result["floor"]["median"], 2)
            result["ratio_bare"] = round(result["page"]["median"] / result["bare"]["median"], 2)
        results[page.name] = result
    return results


REFRESH_TITLE = "Dashboard refresh (all programmes)"


def measure_refresh(today: date, repetitions: int, *, floors: bool = True) -> dict:
    """The work the dashboard page no longer does: recomputing and storing the snapshot of all
    programmes (queries/dashboard/snapshots.refresh), timed in-process beside the live
    aggregation floor (bench/floors.py, dashboard_live). No ratio budget: DESIGN.md holds the
    page to it, and the page reads the snapshot. Leaves a fresh snapshot for the page's
    measurement. {"queries", "refresh", "floor", "ratio"}; without floors (SQLite) floor and
    ratio are None."""
    from django.db import connection

    from applications.queries.dashboard import Scope
    from applications.queries.dashboard.snapshots import refresh
    from bench.floors import render

    actions = {"refresh": lambda: refresh(Scope())}
    if floors:
        actions["floor"] = lambda: render("dashboard_live", {"today": today.isoformat()})
    for action in actions.values():
        action()  # warm-up
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        refresh(Scope())
    times = {kind: [timed(action) for _ in range(repetitions)] for kind, action in actions.items()}
    result = {"queries": counter.count, "floor": None, "ratio": None}
    result.update({kind: summary(seconds) for kind, seconds in times.items()})
    if floors:
        result["ratio"] = round(result["refresh"]["median"] / result["floor"]["median"], 2)
    return result


def refresh_measurements(refresh: dict) -> list[dict]:
    """docs/benchmarks.json entries for measure_refresh's result."""
    prefix = "pages.dashboard_refresh"
    out = [{"name": f"{prefix}.queries", "unit": "queries", "value": refresh["queries"]}]
    for kind in ("refresh", "floor"):
        for stat in ("median", "p95") if refresh[kind] else ():
            out.append(
                {
                    "name": f"{prefix}.inprocess.{kind}.{stat}",
                    "unit": "ms",
                    "value": refresh[kind][stat],
                }
            )
    if refresh["ratio"] is not None:
        out.append(
            {"name": f"{prefix}.inprocess.ratio", "unit": "x floor", "value": refresh["ratio"]}
        )
    return out


class QueryCounter:
    """A connection.execute_wrapper that counts the SQL statements run."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def consume(response):
    """Read a streamed response to its end, as a browser would (exports stream)."""
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    return response


def budget_failures(pages: list[Page], results: dict) -> list[str]:
    failures = []
    for page in pages:
        result = results[page.name]
        if result["status"] != 200:
            failures.append(f"{page.name}: answered {result['status']}")
        if page.kind == LIST and result["queries"] > QUERY_BUDGET:
            failures.append(f"{page.name}: {result['queries']} queries (budget {QUERY_BUDGET})")
        ratio = result["ratio"]
        if page.ratio_budget and ratio is not None and ratio > RATIO_BUDGET:
            failures.append(f"{page.name}: {ratio}x its floor (budget {RATIO_BUDGET}x)")
    return failures


def in_process_measurements(pages: list[Page], in_process: dict) -> list[dict]:
    """docs/benchmarks.json entries (name, unit, value) for the in-process results."""
    out = []
    for page in pages:
        local, prefix = in_process[page.name], f"pages.{page.name}"
        out.append({"name": f"{prefix}.queries", "unit": "queries", "value": local["queries"]})
        for kind in ("page", "floor", "bare"):
            for stat in ("median", "p95") if kind in local else ():
                name = f"{prefix}.inprocess.{kind}.{stat}"
                out.append({"name": name, "unit": "ms", "value": local[kind][stat]})
        if local["ratio"] is not None:
            out.append(
                {"name": f"{prefix}.inprocess.ratio", "unit": "x floor", "value": local["ratio"]}
            )
            out.append(
                {
                    "name": f"{prefix}.inprocess.ratio_bare",
                    "unit": "x bare floor",
                    "value": local["ratio_bare"],
                }
            )
    return out
