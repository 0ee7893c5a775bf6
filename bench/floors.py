"""The floors: for each benchmarked page, a minimal hand-written view that fetches what the page
shows (the same rows; on a queue also the counts per state above them, which give the page
count) with one raw SQL query and renders them with no framework features (no ORM, no templates, no
middleware, no sessions): `str.join` and `html.escape` over a DB-API cursor.

A floor answers the question "how fast could this page be at all?": the page's median time is
reported as a multiple of its floor's, measured in the same run (bench/pages.py). The floors are
bench-only: `floor_view` below is routed only by bench/urls.py (the bench's own URLconf, in
bench/settings.py), under /bench-floor/<page name>/; the product never routes there.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

PAGE_SIZE = 25
CONSOLE_PAGE_SIZE = 20

# The columns a queue row shows: the application's, the mean of the submitted reviews' scores
# (what a raw-SQL author would write for the score column and the score sort), the open request
# for information due first (the RFI column), and on a reviewer's queue the reviewer's own
# declaration and review (the "My review" column); and, as a column of the same statement, what
# the page shows above its rows: the number of applications in scope per state (the state
# filter's counts, before the state filter, whose sum is the page count).
QUEUE_SELECT = """
SELECT a.id, a.reference, a.state, a.activity_category, a.submitted_at, a.clock_due_on,
       o.legal_name_en, c.name, p.name_en, p.blind_review,
       (SELECT avg(r.weighted_score) FROM applications_review r
         WHERE r.application_id = a.id AND r.state = 'submitted') AS score,
       (SELECT min(f.due_on) FROM applications_requestforinformation f
         WHERE f.application_id = a.id AND f.state = 'open') AS open_rfi_due_on,
       {viewer},
       (SELECT json_object_agg(s.state, s.n) FROM (
          SELECT a.state, count(*) AS n FROM applications_application a {count_join}
           WHERE a.state <> 'draft' AND a.submitted_at IS NOT NULL AND ({where})
           GROUP BY a.state) s) AS counts
  FROM applications_application a
  JOIN accounts_organisation o ON o.id = a.organisation_id
  JOIN applications_cohort c ON c.id = a.cohort_id
  JOIN applications_programme p ON p.id = c.programme_id
 WHERE a.state <> 'draft' AND a.submitted_at IS NOT NULL AND ({where}) {state}
 ORDER BY {order}
 LIMIT %(limit)s OFFSET %(offset)s
"""
ORGANISATION_JOIN = "JOIN accounts_organisation o ON o.id = a.organisation_id"
VIEWER_COLUMNS = """(SELECT ra.declaration FROM applications_reviewerassignment ra
         WHERE ra.application_id = a.id AND ra.reviewer_id = %(user)s) AS declaration,
       (SELECT rv.state FROM applications_review rv
         WHERE rv.application_id = a.id AND rv.reviewer_id = %(user)s) AS my_review"""
NO_VIEWER_COLUMNS = "NULL AS declaration, NULL AS my_review"

ORDER_DUE = "a.clock_due_on ASC NULLS LAST, a.submitted_at, a.id"
ORDER_SCORE = "score DESC NULLS LAST, a.clock_due_on, a.id"
ORDER_NEWEST = "a.submitted_at DESC, a.id DESC"

MINE = """(a.case_officer_id = %(user)s OR EXISTS (
    SELECT 1 FROM applications_reviewerassignment ra
     WHERE ra.application_id = a.id AND ra.reviewer_id = %(user)s AND ra.declaration <> 'recused'))"""
TRIAGE = """a.state = 'submitted' AND a.case_officer_id IS NULL AND a.cohort_id IN (
    SELECT cp.cohort_id FROM applications_cohort_panel cp WHERE cp.user_id = %(user)s)"""
OPEN_RFI = """ AND EXISTS (SELECT 1 FROM applications_requestforinformation f
    WHERE f.application_id = a.id AND f.state = 'open')"""
TRIAGE_ADMIN = "a.state = 'submitted' AND a.case_officer_id IS NULL"


@dataclass(frozen=True)
class QueueFloor:
    """One queue page: its scope and filters as a WHERE clause, its sort as an ORDER BY, and
    whether the rows are narrowed to one state (`%(state)s`) after the counts per state, and
    whether it is a reviewer's (whose rows show their own declaration and review)."""

    where: str = "TRUE"
    order: str = ORDER_DUE
    title: str = "Queue"
    one_state: bool = False
    reviewer: bool = False

    def __call__(self, cursor, params: dict) -> str:
        values = {"limit": PAGE_SIZE, "offset": 0, **params}
        sql = QUEUE_SELECT.format(
            where=self.where,
            order=self.order,
            count_join=ORGANISATION_JOIN if "o." in self.where else "",
            state="AND a.state = %(state)s" if self.one_state else "",
            viewer=VIEWER_COLUMNS if self.reviewer else NO_VIEWER_COLUMNS,
        )
        cursor.execute(sql, values)
        rows = cursor.fetchall()
        counts = (rows[0][14] if rows else None) or {}
        total = counts.get(params["state"], 0) if self.one_state else sum(counts.values())
        pills = "".join(f"<li>{escape(state)} {n}</li>" for state, n in sorted(counts.items()))
        table = "".join(
            "<tr><td><a href='/applications/staff/{}/'>{}</a></td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td>"
            "</tr>".format(
                row[0],
                escape(row[1] or ""),
                "" if row[9] else escape(row[6]),
                escape(row[7]),
                escape(row[8]),
                escape(row[2]),
                escape(row[3] or ""),
                row[5] or "",
                "" if row[10] is None else f"{row[10]:.2f}",
                row[11] or "",
                escape(row[12] or ""),
                escape(row[13] or ""),
            )
            for row in rows
        )
        pages = max(1, -(-total // PAGE_SIZE))
        return page(self.title, f"<ul>{pills}</ul><table>{table}</table><p>1 / {pages}</p>")


DETAIL_SQL = """
SELECT a.id, a.reference, a.state, a.title, a.summary, a.flow_description,
       a.innovation_statement, a.consumer_benefit, a.need_for_sandbox, a.readiness_statement,
       a.test_objectives, a.risks_and_mitigations, a.exit_strategy, a.aml_measures,
       a.clock_stage, a.clock_due_on, o.legal_name_en, c.name, p.name_en,
       (SELECT json_agg(json_build_object('name', v.original_name, 'size', v.size,
                                          'screening', d.screening))
          FROM applications_document d
          JOIN applications_documentversion v ON v.document_id = d.id
         WHERE d.application_id = a.id AND v.scan_status = 'clean'
           AND v.number = (SELECT max(v2.number) FROM applications_documentversion v2
                            WHERE v2.document_id = d.id)),
       (SELECT json_agg(json_build_object('reviewer', u.email, 'state', r.state,
                                          'score', r.weighted_score,
                                          'recommendation', r.recommendation))
          FROM applications_review r JOIN accounts_user u ON u.id = r.reviewer_id
         WHERE r.application_id = a.id),
       (SELECT json_agg(json_build_object('questions', f.questions, 'state', f.state,
                                          'due', f.due_on))
          FROM applications_requestforinformation f WHERE f.application_id = a.id),
       (SELECT json_agg(json_build_object('body', n.body))
          FROM applications_internalnote n WHERE n.application_id = a.id)
  FROM applications_application a
  JOIN accounts_organisation o ON o.id = a.organisation_id
  JOIN applications_cohort c ON c.id = a.cohort_id
  JOIN applications_programme p ON p.id = c.programme_id
 WHERE a.id = %(application)s
"""


def detail_floor(cursor, params: dict) -> str:
    cursor.execute(DETAIL_SQL, params)
    row = cursor.fetchone()
    answers = "".join(f"<p>{escape(value or '')}</p>" for value in row[3:14])
    lists = "".join(
        "<ul>{}</ul>".format(
            "".join(
                "<li>{}</li>".format(
                    " ".join(escape(str(value)) for value in item.values() if value is not None)
                )
                for item in (items or [])
            )
        )
        for items in row[19:23]
    )
    body = "<h1>{} {}</h1><p>{} {} {} {} {}</p>{}{}".format(
        escape(row[1]),
        escape(row[2]),
        escape(row[16]),
        escape(row[17]),
        escape(row[18]),
        escape(row[14]),
        row[15] or "",
        answers,
        lists,
    )
    return page("Application", body)


CONSOLE_SQL = """
SELECT p.id, p.code, p.name_en,
       json_agg(json_build_object('name', c.name, 'opens', c.opens_at, 'closes', c.closes_at,
                                  'counts', k.counts) ORDER BY c.opens_at DESC)
  FROM applications_programme p
  LEFT JOIN applications_cohort c ON c.programme_id = p.id
  LEFT JOIN (SELECT s.cohort_id, json_object_agg(s.state, s.n) AS counts
               FROM (SELECT a.cohort_id, a.state, count(*) AS n FROM applications_application a
                      GROUP BY a.cohort_id, a.state) s
              GROUP BY s.cohort_id) k ON k.cohort_id = c.id
 GROUP BY p.id
 ORDER BY p.code
 LIMIT %(limit)s
"""


def console_floor(cursor, params: dict) -> str:
    cursor.execute(CONSOLE_SQL, {"limit": CONSOLE_PAGE_SIZE})
    sections = []
    for _id, code, name, cohorts in cursor.fetchall():
        items = "".join(
            "<li>{} {} {} {}</li>".format(
                escape(cohort["name"]),
                escape(str(cohort["opens"])),
                escape(str(cohort["closes"])),
                " ".join(f"{state}: {n}" for state, n in (cohort["counts"] or {}).items()),
            )
            for cohort in (cohorts or [])
            if cohort["name"] is not None
        )
        sections.append(f"<h2>{escape(code)} {escape(name)}</h2><ul>{items}</ul>")
    return page("Console", "".join(sections))


DASHBOARD_SQL = """
SELECT
 (SELECT json_object_agg(s.state, s.n) FROM (
    SELECT state, count(*) AS n FROM applications_application GROUP BY state) s),
 (SELECT json_object_agg(s.clock_stage, s.n) FROM (
    SELECT clock_stage, count(*) AS n FROM applications_application
     WHERE clock_due_on < %(today)s AND clock_paused_on IS NULL AND clock_stage <> ''
     GROUP BY clock_stage) s),
 (SELECT json_object_agg(s.state, json_build_array(s.n, s.days)) FROM (
    SELECT state, count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days) AS days
      FROM applications_stagestay GROUP BY state) s),
 (SELECT json_object_agg(s.stage, json_build_array(s.late, s.on_time)) FROM (
    SELECT stage, count(*) FILTER (WHERE late) AS late, count(*) FILTER (WHERE NOT late) AS on_time
      FROM applications_finishedclock GROUP BY stage) s),
 (SELECT json_agg(w) FROM (
    SELECT coalesce(nullif(u.full_name, ''), u.email) AS name,
           count(*) FILTER (WHERE ra.declaration <> 'recused' AND a.state IN (
               'submitted', 'screening', 'eligibility', 'evaluation', 'decision_pending')) AS open,
           count(*) FILTER (WHERE ra.declaration <> 'recused' AND a.state IN (
               'submitted', 'screening', 'eligibility', 'evaluation', 'decision_pending')
               AND ra.turnaround_days IS NULL) AS to_submit,
           count(ra.turnaround_days) AS submitted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ra.turnaround_days) AS days
      FROM applications_reviewerassignment ra
      JOIN accounts_user u ON u.id = ra.reviewer_id
      JOIN applications_application a ON a.id = ra.application_id
     GROUP BY u.id ORDER BY open DESC, name) w),
 (SELECT json_agg(d) FROM (
    SELECT outcome, count(*) FILTER (WHERE state <> 'confirmed') AS awaiting,
           count(*) FILTER (WHERE state = 'confirmed' AND released_at IS NULL) AS not_released,
           count(*) FILTER (WHERE released_at IS NOT NULL) AS released
      FROM applications_decision GROUP BY outcome) d),
 (SELECT json_build_object(
           'participations', count(DISTINCT p.id),
           'expected', count(t.id) FILTER (WHERE (t.filed_at IS NOT NULL AND t.due_on IS NOT NULL)
                                           OR (t.filed_at IS NULL AND t.due_on < %(today)s)),
           'on_time', count(t.id) FILTER (WHERE t.filed_at::date <= t.due_on),
           'late', count(t.id) FILTER (WHERE t.filed_at::date > t.due_on),
           'overdue', count(t.id) FILTER (WHERE t.filed_at IS NULL AND t.due_on < %(today)s),
           'awaiting_review', count(t.id) FILTER (WHERE t.state = 'filed'),
           'accepted', count(t.id) FILTER (WHERE t.state = 'accepted'),
           'returned', count(t.id) FILTER (WHERE t.state = 'returned'))
    FROM applications_participation p
    LEFT JOIN applications_report t ON t.participation_id = p.id),
 (SELECT json_agg(r) FROM (
    SELECT a.reference, o.legal_name_en AS name,
           count(t.id) FILTER (WHERE (t.filed_at IS NOT NULL AND t.due_on IS NOT NULL)
                               OR (t.filed_at IS NULL AND t.due_on < %(today)s)) AS expected,
           count(t.id) FILTER (WHERE t.filed_at::date <= t.due_on) AS on_time,
           count(t.id) FILTER (WHERE t.filed_at::date > t.due_on) AS late,
           count(t.id) FILTER (WHERE t.filed_at IS NULL AND t.due_on < %(today)s) AS overdue,
           count(t.id) FILTER (WHERE t.state = 'filed') AS awaiting_review,
           count(t.id) FILTER (WHERE t.state = 'accepted') AS accepted,
           count(t.id) FILTER (WHERE t.state = 'returned') AS returned
      FROM applications_participation p
      JOIN applications_application a ON a.id = p.application_id
      JOIN accounts_organisation o ON o.id = a.organisation_id
      LEFT JOIN applications_report t ON t.participation_id = p.id
     GROUP BY p.id, a.reference, o.legal_name_en
     ORDER BY overdue DESC, late DESC, a.reference, p.id
     LIMIT 25) r)
"""


SNAPSHOT_SQL = """
SELECT s.computed_at, s.figures -> 'summary', p.rows
  FROM applications_dashboardsnapshot s
  LEFT JOIN applications_dashboardreportpage p ON p.snapshot_id = s.id AND p.number = 1
 WHERE s.scope = %(scope)s
"""


def dashboard_floor(cursor, params: dict) -> str:
    """The admin dashboard as the page now works (queries/dashboard/snapshots.py): the scope's
    snapshot row read in one statement, its summary (every figure) and the first page of the
    report table, rendered. The aggregation itself is the refresh's work: dashboard_live_floor."""
    cursor.execute(SNAPSHOT_SQL, {"scope": params.get("scope", "all")})
    row = cursor.fetchone()
    if row is None:
        return page("Dashboard", "")
    computed_at, summary, reports = (
        json.loads(value) if isinstance(value, str) else value  # Django reads jsonb as text
        for value in row
    )
    sections = [
        f"<p>{escape(str(computed_at))}</p>",
        rows_table("Funnel", summary["funnel"]),
        rows_table("Stays and median working days per stage", summary["stages"]),
        rows_table("Clocks", summary["clocks"]),
        rows_table("Reviewers", summary["reviewers"]),
        rows_table("Outcomes", summary["outcomes"]),
        dict_table("Report totals", summary["report_totals"]),
        rows_table("Reports", [dict(enumerate(report)) for report in reports or []]),
    ]
    return page("Dashboard", "".join(sections))


def dashboard_live_floor(cursor, params: dict) -> str:
    """Every figure of the admin dashboard for all programmes, and the first page of the report
    table, in one statement over the same rows a refresh reads: the stays and finished clocks
    kept as moves happen (models/stage_history.py) and the turnarounds kept on the assignments,
    aggregated by PostgreSQL (percentile_cont for the medians) instead of Django and Python.
    The floor of the snapshot's refresh (bench/pages.py, measure_refresh)."""
    cursor.execute(DASHBOARD_SQL, params)
    funnel, breached, stays, clocks, reviewers, outcomes, totals, reports = cursor.fetchone()
    sections = [
        dict_table("Funnel", funnel),
        dict_table("Clocks breached", breached),
        dict_table("Stays and median working days per stage", stays),
        dict_table("Clocks finished late and on time", clocks),
        rows_table("Reviewers", reviewers),
        rows_table("Outcomes", outcomes),
        dict_table("Report totals", totals),
        rows_table("Reports", reports),
    ]
    return page("Dashboard", "".join(sections))


def dict_table(title: str, values: dict | None) -> str:
    rows = "".join(
        f"<tr><th>{escape(str(key))}</th><td>{escape(str(value))}</td></tr>"
        for key, value in (values or {}).items()
    )
    return f"<h2>{escape(title)}</h2><table>{rows}</table>"


def rows_table(title: str, items: list | None) -> str:
    rows = "".join(
        "<tr>{}</tr>".format("".join(f"<td>{escape(str(value))}</td>" for value in item.values()))
        for item in (items or [])
    )
    return f"<h2>{escape(title)}</h2><table>{rows}</table>"


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head><body><main>{body}</main></body></html>"
    )


EXPORT_SQL = """
SELECT a.reference, a.state, a.submitted_at, a.activity_category, a.clock_due_on,
       o.legal_name_en, o.bin, c.name, p.name_en
  FROM applications_application a
  JOIN accounts_organisation o ON o.id = a.organisation_id
  JOIN applications_cohort c ON c.id = a.cohort_id
  JOIN applications_programme p ON p.id = c.programme_id
 WHERE a.state <> 'draft' AND a.submitted_at IS NOT NULL
 ORDER BY a.submitted_at, a.id
"""


def export_floor_rows(connection) -> Iterator[str]:
    """The CSV floor: every submitted application, streamed from a server-side cursor."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["reference", "state", "submitted", "activity", "due", "name", "bin", "cohort", "prog"]
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(EXPORT_SQL)
        while rows := cursor.fetchmany(500):
            writer.writerows(rows)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_floor(cursor, params: dict) -> str:
    """In-process: the whole CSV as one string (the HTTP floor streams the same chunks)."""
    from django.db import connection

    return "".join(export_floor_rows(connection))


# Floors by name; bench/pages.py gives each page the name of its floor and the parameters.
FLOORS: dict[str, Callable] = {
    "queue_mine": QueueFloor(where=MINE, title="My work", reviewer=True),
    "queue_triage": QueueFloor(where=TRIAGE, title="Triage", reviewer=True),
    "queue_triage_admin": QueueFloor(where=TRIAGE_ADMIN, title="Triage"),
    "queue_all": QueueFloor(title="All applications"),
    "queue_all_state": QueueFloor(one_state=True),
    "queue_all_cohort_overdue": QueueFloor(
        where="a.cohort_id = %(cohort)s AND a.clock_due_on IS NOT NULL "
        "AND a.clock_paused_on IS NULL AND a.clock_due_on < %(overdue_before)s"
    ),
    "queue_all_score": QueueFloor(order=ORDER_SCORE),
    "queue_all_newest": QueueFloor(order=ORDER_NEWEST),
    "queue_all_search": QueueFloor(
        where="a.reference ILIKE %(search)s OR o.legal_name_en ILIKE %(search)s "
        "OR o.legal_name_ru ILIKE %(search)s OR o.legal_name_kk ILIKE %(search)s"
    ),
    "queue_mine_rfi_open": QueueFloor(where=MINE + OPEN_RFI, reviewer=True),
    "detail": detail_floor,
    "console": console_floor,
    "dashboard": dashboard_floor,
    "dashboard_live": dashboard_live_floor,
    "export_csv": export_floor,
}


def render(name: str, params: dict) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        return FLOORS[name](cursor, params)


def floor_view(request, name: str):
    """/bench-floor/<name>/?p=<json parameters>: the floor as a plain Django view function.

    It sits behind the portal's middleware like every page (session, sign-in, two-factor check,
    security headers), so page/floor measures what the page's view, ORM and templates add."""
    from django.db import connection
    from django.http import Http404, HttpResponse, StreamingHttpResponse

    if name not in FLOORS or not request.user.is_authenticated:
        raise Http404(name)
    if name == "export_csv":
        chunks = (chunk.encode() for chunk in export_floor_rows(connection))
        return StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    return HttpResponse(render(name, json.loads(request.GET.get("p", "{}"))))
