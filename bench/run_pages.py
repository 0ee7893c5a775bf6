"""Benchmark: the staff pages against their raw-SQL floors, on the generated data set.

    python bench/run_pages.py [--applications 10000] [--repetitions 30] [--only queue_all]

Makes (or reuses) a PostgreSQL database holding the demo plus `--applications` generated
applications (BENCH_DATABASE_URL, default portal_bench on 127.0.0.1), then measures every page of
bench/pages.py twice: in-process through Django's test client, and over HTTP against a gunicorn
(one sync worker) on 127.0.0.1, each time beside its floor (bench/floors.py) in the same run.
Exports are streamed to the end: time to first byte, rows per second and the worker's peak memory.
Results: stdout, docs/benchmarks.json (entries named pages.*) and the tables of docs/benchmarks.md.
With `--only <text>` only the pages whose name contains the text are measured, and the results
are printed but not written (a partial run must not replace the full run's figures).
Exits 1 when a budget is missed. Linux only (reads /proc).
"""

import argparse
import http.client
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pages as p
from bench import results, server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the data set")
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="measure only the pages whose name contains TEXT; print, do not write the results",
    )
    options = parser.parse_args()
    env = server.environment(server.work_folder())
    prepare_data(env, options.applications, fresh=options.fresh)
    os.environ.update(env)
    import django

    django.setup()
    return bench(env, options.repetitions, only=options.only)


def prepare_data(env: dict[str, str], applications: int, *, fresh: bool) -> None:
    """Reuse the database when it already holds the data set, else generate it anew."""
    if fresh:
        server.drop_database(env["DATABASE_URL"])
    server.ensure_database(env["DATABASE_URL"])
    python = [server.PYTHON, "manage.py"]
    server.run([*python, "migrate", "--no-input", "-v", "0"], env)
    if submitted_count(env) >= applications:
        return
    server.run([*python, "seed_demo", "--force", "--applications", str(applications)], env)


def submitted_count(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        row = connection.execute(
            "SELECT count(*) FROM applications_application WHERE submitted_at IS NOT NULL"
        ).fetchone()
    return row[0]


def bench(env: dict[str, str], repetitions: int, *, only: str | None = None) -> int:
    from portal.accounts.models import User

    context = p.Context.discover()
    pages = p.build_pages(context)
    if only is not None:
        pages = [page for page in pages if only in page.name]
        if not pages:
            print(f"no page name contains {only!r}")
            return 2
    users = {p.REVIEWER: User.objects.get(pk=context.reviewer_id)}
    users[p.ADMIN] = User.objects.get(pk=context.admin_id)
    # The dashboard page reads a snapshot: its refresh is measured first (and leaves it fresh).
    dashboard = any(page.name == "dashboard" for page in pages)
    refresh = p.measure_refresh(context.today, repetitions) if dashboard else None
    in_process = p.measure_in_process(pages, users, repetitions)
    port = server.free_port()
    gunicorn = server.start_gunicorn(env, port)
    try:
        cookies = {role: server.signed_in_session(user) for role, user in users.items()}
        over_http = measure_http(pages, port, cookies, repetitions, gunicorn.pid)
    finally:
        server.stop(gunicorn)
    if only is None:
        measurements = to_measurements(pages, in_process, over_http) + data_set_size()
        measurements += p.refresh_measurements(refresh) if refresh else []
        results.save("pages.", measurements)
        results.replace_section("pages", markdown(pages, in_process, over_http, refresh))
        results.replace_section("uploads", results.upload_section())
    failures = p.budget_failures(pages, in_process) + http_failures(pages, over_http)
    print_table(pages, in_process, over_http)
    if refresh:
        print(
            f"{'dashboard_refresh':26} queries {refresh['queries']:3}  in-process"
            f" {refresh['refresh']['median']:8} ms ({refresh['ratio']:5}x live floor, no budget)"
        )
    for name in p.missing_hooks(pages) if only is None else ():
        print(f"not measured (no such page yet): {name}")
    for failure in failures:
        print(f"BUDGET MISSED: {failure}")
    return 1 if failures else 0


def get(port: int, path: str, cookie: str, *, first_byte: bool = False) -> dict:
    """One GET read to its end: status, seconds, time to first body byte, bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = connection.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - start
    size = len(first) + len(response.read())
    seconds = time.perf_counter() - start
    connection.close()
    return {"status": response.status, "seconds": seconds, "ttfb": ttfb, "bytes": size}


def measure_http(pages, port: int, cookies: dict, repetitions: int, master: int) -> dict:
    results_by_page = {}
    for page in pages:
        cookie = cookies[page.role]
        if page.kind == p.EXPORT:
            results_by_page[page.name] = measure_export(page, port, cookie, master)
            continue
        for _ in range(2):
            get(port, page.url, cookie)
            get(port, page.floor_url, cookie)
        page_runs, floor_runs = [], []
        for _ in range(repetitions):
            page_runs.append(get(port, page.url, cookie))
            floor_runs.append(get(port, page.floor_url, cookie))
        page_summary = p.summary([run["seconds"] for run in page_runs])
        floor_summary = p.summary([run["seconds"] for run in floor_runs])
        results_by_page[page.name] = {
            "status": max(run["status"] for run in page_runs + floor_runs),
            "page": page_summary,
            "floor": floor_summary,
            "ratio": round(page_summary["median"] / floor_summary["median"], 2),
        }
    return results_by_page


def measure_export(page, port: int, cookie: str, master: int) -> dict:
    """Streams the export once warm: first byte, total, rows per second, worker memory."""
    get(port, page.url, cookie)
    floor = get(port, page.floor_url, cookie)
    worker = server.worker_pids(master)[0]
    before = server.status_kb(worker, "VmRSS")
    Path(f"/proc/{worker}/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    run = get(port, page.url, cookie)
    peak = server.status_kb(worker, "VmHWM")
    rows = export_rows()
    return {
        "status": run["status"],
        "ttfb_ms": round(run["ttfb"] * 1000, 1),
        "seconds": round(run["seconds"], 2),
        "rows": rows,
        "rows_per_second": round(rows / run["seconds"]),
        "bytes": run["bytes"],
        "rss_before_mb": round(before / 1024, 1),
        "rss_increase_mb": round((peak - before) / 1024, 1),
        "floor_seconds": round(floor["seconds"], 2),
        "ratio": round(run["seconds"] / floor["seconds"], 2),
    }


def export_rows() -> int:
    from applications.models import Application

    return Application.objects.exclude(state="draft").filter(submitted_at__isnull=False).count()


def http_failures(pages, over_http: dict) -> list[str]:
    failures = []
    for page in pages:
        result = over_http[page.name]
        if result["status"] != 200:
            failures.append(f"{page.name} over HTTP: answered {result['status']}")
        if page.kind == p.EXPORT and result["ttfb_ms"] > 1000:
            failures.append(f"{page.name}: first byte after {result['ttfb_ms']} ms (budget 1 s)")
    return failures


def data_set_size() -> list[dict]:
    from applications.models import Application, Document, Review

    return [
        results.measurement("pages.data.applications", "rows", Application.objects.count()),
        results.measurement("pages.data.documents", "rows", Document.objects.count()),
        results.measurement("pages.data.reviews", "rows", Review.objects.count()),
    ]


def to_measurements(pages, in_process: dict, over_http: dict) -> list[dict]:
    return p.in_process_measurements(pages, in_process) + http_measurements(pages, over_http)


def http_measurements(pages, over_http: dict) -> list[dict]:
    m = results.measurement
    out = []
    for page in pages:
        remote, prefix = over_http[page.name], f"pages.{page.name}.http"
        if page.kind == p.EXPORT:
            units = {"ttfb_ms": "ms", "seconds": "s", "rows": "rows", "bytes": "bytes"}
            units |= {"rows_per_second": "rows/s", "rss_before_mb": "MB"}
            units |= {"rss_increase_mb": "MB", "floor_seconds": "s", "ratio": "x floor"}
            out += [m(f"{prefix}.{key}", unit, remote[key]) for key, unit in units.items()]
            continue
        for kind in ("page", "floor"):
            out.append(m(f"{prefix}.{kind}.median", "ms", remote[kind]["median"]))
            out.append(m(f"{prefix}.{kind}.p95", "ms", remote[kind]["p95"]))
        out.append(m(f"{prefix}.ratio", "x floor", remote["ratio"]))
    return out


def markdown(pages, in_process: dict, over_http: dict, refresh: dict | None = None) -> str:
    from applications.models import Application

    info = results.machine()
    rows = []
    for page in pages:
        if page.kind == p.EXPORT:
            continue
        local, remote = in_process[page.name], over_http[page.name]
        budget = " (≤3x)" if page.ratio_budget else ""
        rows.append([
            f"{page.title}{budget}", local["queries"],
            f"{local['page']['median']} / {local['page']['p95']}",
            f"{local['floor']['median']} / {local['floor']['p95']}",
            f"**{local['ratio']}x**", f"{local['ratio_bare']}x",
            f"{remote['page']['median']} / {remote['page']['p95']}",
            f"{remote['floor']['median']} / {remote['floor']['p95']}",
            f"**{remote['ratio']}x**",
        ])  # fmt: skip
    text = [
        f"Data set: {Application.objects.count():,} applications. Machine: {results.describe(info)}"
        " Over HTTP: one gunicorn sync worker on 127.0.0.1. Ratios within one run are the "
        "steadier figure.",
        "",
        results.table(
            [
                "page",
                "queries",
                "in-process ms (median / p95)",
                "floor ms",
                "page/floor",
                "page/bare floor",
                "HTTP ms (median / p95)",
                "floor HTTP ms",
                "page/floor HTTP",
            ],
            rows,
        ),
    ]
    if refresh:
        text += ["", refresh_markdown(refresh)]
    exports = [page for page in pages if page.kind == p.EXPORT]
    if exports:
        text += ["", "Exports, streamed over HTTP to the last byte:", ""]
        text.append(
            results.table(
                [
                    "export",
                    "queries",
                    "first byte",
                    "total",
                    "rows",
                    "rows/s",
                    "worker memory",
                    "CSV floor",
                    "export/floor",
                ],
                [
                    [
                        page.title,
                        in_process[page.name]["queries"],
                        f"{over_http[page.name]['ttfb_ms']} ms",
                        f"{over_http[page.name]['seconds']} s",
                        over_http[page.name]["rows"],
                        over_http[page.name]["rows_per_second"],
                        f"+{over_http[page.name]['rss_increase_mb']} MB",
                        f"{over_http[page.name]['floor_seconds']} s",
                        f"{over_http[page.name]['ratio']}x",
                    ]
                    for page in exports
                ],
            )
        )
    missing = p.missing_hooks(pages)
    if missing:
        text += [
            "",
            "Not measured in this run (the page does not exist yet): " + ", ".join(missing),
        ]
    return "\n".join(text)


def refresh_markdown(refresh: dict) -> str:
    """The dashboard page reads a snapshot; recomputing it, in the background, is the work
    that grows with the data: measured in-process, beside the live aggregation floor."""
    return "\n".join(
        [
            "The admin dashboard's snapshot, recomputed in-process (a worker's job, no budget):",
            "",
            results.table(
                [
                    "work",
                    "queries",
                    "in-process ms (median / p95)",
                    "live floor ms",
                    "refresh/floor",
                ],
                [
                    [
                        p.REFRESH_TITLE,
                        refresh["queries"],
                        f"{refresh['refresh']['median']} / {refresh['refresh']['p95']}",
                        f"{refresh['floor']['median']} / {refresh['floor']['p95']}",
                        f"{refresh['ratio']}x",
                    ]
                ],
            ),
        ]
    )


def print_table(pages, in_process: dict, over_http: dict) -> None:
    for page in pages:
        local, remote = in_process[page.name], over_http[page.name]
        if page.kind == p.EXPORT:
            print(f"{page.name:26} queries {local['queries']:3}  {remote}")
            continue
        print(
            f"{page.name:26} queries {local['queries']:3}  in-process {local['page']['median']:8} ms"
            f" ({local['ratio']:5}x floor)  HTTP {remote['page']['median']:8} ms"
            f" ({remote['ratio']:5}x floor)"
        )


if __name__ == "__main__":
    sys.exit(main())
