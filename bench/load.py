"""Load test: 50 users against gunicorn with PostgreSQL and Redis, for 3 minutes (`make load`).

    python bench/load.py [--users 50] [--minutes 3] [--max-requests 100000]

Reuses (or makes) the page bench's database with the generated data set (bench/run_pages.py),
adds the virtual users' fixtures (bench/load_setup.py), starts gunicorn on a free port of
127.0.0.1 and runs bench/locustfile.py headless, bounded in time and in requests. Writes requests
per second, p50/p95/p99 per page type and errors to docs/benchmarks.json (entries named load.*)
and docs/benchmarks.md. Exits 1 when a request failed or a page's p95 is over 500 ms.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import results, server
from bench.run_pages import prepare_data

P95_BUDGET_MS = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--exclude", default="", help='page types left out, comma separated ("admin: dashboard")'
    )
    options = parser.parse_args()
    work = server.work_folder()
    env = server.environment(work)
    prepare_data(env, options.applications, fresh=False)
    os.environ.update(env)
    import django

    django.setup()
    fixtures_path = work / "fixtures.json"
    fixtures_path.write_text(json.dumps(make_fixtures()))
    port = server.free_port()
    gunicorn = server.start_gunicorn(env, port, workers=options.workers, threads=2)
    try:
        run_locust(env, port, options, fixtures_path, work / "locust")
    finally:
        server.stop(gunicorn)
    rows = read_stats(work / "locust_stats.csv")
    return report(rows, options)


def make_fixtures() -> dict:
    from bench.load_setup import fixtures
    from bench.pages import ADMIN, REVIEWER, Context, hooked_pages
    from portal.accounts.models import User

    context = Context.discover()
    reviewer = User.objects.get(pk=context.reviewer_id)
    data = fixtures(reviewer, User.objects.get(pk=context.admin_id))
    dashboard = [page.url for page in hooked_pages(context) if page.name == "dashboard"]
    data["dashboard_url"] = dashboard[0] if dashboard else None
    data["cohort"] = context.cohort_id
    assert {REVIEWER, ADMIN} <= set(data["sessions"])  # noqa: S101 - the locustfile's roles
    return data


def run_locust(env, port: int, options, fixtures_path: Path, prefix: Path) -> None:
    locust = str(Path(server.PYTHON).with_name("locust"))
    command = [
        locust, "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "--host", f"http://127.0.0.1:{port}", "--users", str(options.users),
        "--spawn-rate", str(options.spawn_rate), "--run-time", f"{int(options.minutes * 60)}s",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    locust_env = {**env, "LOAD_FIXTURES": str(fixtures_path)}
    locust_env["LOAD_MAX_REQUESTS"] = str(options.max_requests)
    locust_env["LOAD_EXCLUDE"] = options.exclude
    subprocess.run(command, cwd=server.ROOT, env=locust_env, check=True)  # noqa: S603


def read_stats(path: Path) -> list[dict]:
    with path.open() as stats:
        return list(csv.DictReader(stats))


def report(rows: list[dict], options) -> int:
    m = results.measurement
    measurements, table_rows, failures = [], [], []
    for row in rows:
        name = row["Name"]
        key = "total" if name == "Aggregated" else name.replace(": ", ".").replace(" ", "_")
        values = {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "p99": float(row["99%"]),
        }
        units = {"requests": "requests", "errors": "requests", "rps": "requests/s"}
        measurements += [
            m(f"load.{key}.{stat}", units.get(stat, "ms"), value) for stat, value in values.items()
        ]
        table_rows.append([name, *values.values()])
        if values["errors"]:
            failures.append(f"{name}: {values['errors']} errors")
        is_page = name != "Aggregated" and "export" not in name and "upload" not in name
        if is_page and values["p95"] > P95_BUDGET_MS:
            failures.append(f"{name}: p95 {values['p95']} ms (target {P95_BUDGET_MS} ms)")
    results.save("load.", measurements)
    info = results.machine()
    text = [
        f"{options.users} users (spawned {options.spawn_rate}/s), {options.minutes} minutes, at "
        f"most {options.max_requests} requests; gunicorn with {options.workers} workers of 2 "
        f"threads. Machine: {results.describe(info)} Locust runs on the same machine."
        + (f" Left out of the mix: {options.exclude}." if options.exclude else ""),
        "",
        results.table(
            ["page type", "requests", "errors", "requests/s", "p50 ms", "p95 ms", "p99 ms"],
            table_rows,
        ),
    ]
    results.replace_section("load", "\n".join(text))
    for row in table_rows:
        print(*row, sep="\t")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
