"""Load test: applicants, reviewers and admins at once against the portal (bench/load.py runs it).

    locust -f bench/locustfile.py --headless --host http://127.0.0.1:<port> ...

Needs LOAD_FIXTURES, the JSON file of bench/load_setup.py (sessions and ids). Every request is
named by its page type, so the statistics come out per page type. LOAD_MAX_REQUESTS bounds the run
by requests as well as by time: the runner stops once that many were made.
"""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

FIXTURES = json.loads(Path(os.environ["LOAD_FIXTURES"]).read_text())
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "100000"))
# Page types left out of the mix (comma separated, e.g. "admin: dashboard"), to see what they cost.
EXCLUDED = {name.strip() for name in os.environ.get("LOAD_EXCLUDE", "").split(",") if name.strip()}


def small_pdf() -> bytes:
    """A valid one-page PDF of about 20 KB, as an applicant's scanned letter might be."""
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.Root.Payload = document.make_stream(os.urandom(20_000))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF = small_pdf()
QUEUE_FILTERS = ["", "?sort=-submitted", "?clock=overdue", "?rfi=open", "?state=evaluation"]
made = {"requests": 0}


@events.request.add_listener
def bound_requests(**_kwargs):
    made["requests"] += 1


@events.init.add_listener
def stop_after_max_requests(environment, **_kwargs):
    def check(**_kwargs):
        if made["requests"] >= MAX_REQUESTS and environment.runner is not None:
            environment.runner.quit()

    events.request.add_listener(check)


class SignedIn(HttpUser):
    abstract = True
    role = ""
    # People read a page before the next click: 3 to 10 seconds between requests.
    wait_time = between(3, 10)

    def on_start(self):
        self.client.cookies.set("sessionid", FIXTURES["sessions"][self.role])
        self.client.cookies.set("csrftoken", FIXTURES["csrftoken"])

    def page(self, url: str, name: str):
        if name in EXCLUDED:
            return
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as reply:
            if reply.status_code != 200:
                reply.failure(f"{reply.status_code} for {url}")


class Applicant(SignedIn):
    role = "applicant"
    weight = 5

    @task(4)
    def status(self):
        pk = random.choice(FIXTURES["own_applications"])  # noqa: S311 - load mix, not security
        self.page(f"/applications/{pk}/", "applicant: status")

    @task(3)
    def draft(self):
        step = random.choice(["activity", "innovation", "readiness"])  # noqa: S311
        self.page(f"/applications/{FIXTURES['draft']}/edit/{step}/", "applicant: draft step")

    @task(2)
    def documents(self):
        self.page(f"/applications/{FIXTURES['draft']}/documents/", "applicant: documents")

    @task(1)
    def upload(self):
        url = f"/applications/{FIXTURES['draft']}/documents/{FIXTURES['requirement']}/upload/"
        with self.client.post(
            url,
            files={"file": ("plan.pdf", PDF, "application/pdf")},
            headers={"X-CSRFToken": FIXTURES["csrftoken"], "Referer": self.host + url},
            name="applicant: upload",
            catch_response=True,
            allow_redirects=False,
        ) as reply:
            if reply.status_code != 302:
                reply.failure(f"upload answered {reply.status_code}")


class Reviewer(SignedIn):
    role = "reviewer"
    weight = 3

    @task(4)
    def queue(self):
        name = random.choice(["mine", "triage"])  # noqa: S311
        query = random.choice(QUEUE_FILTERS)  # noqa: S311
        self.page(f"/applications/staff/queues/{name}/{query}", "reviewer: queue")

    @task(3)
    def detail(self):
        pk = random.choice(FIXTURES["cases"])  # noqa: S311
        self.page(f"/applications/staff/{pk}/", "reviewer: detail")

    @task(2)
    def review(self):
        pk = random.choice(FIXTURES["cases"])  # noqa: S311
        self.page(f"/applications/review/{pk}/", "reviewer: review")

    @task(1)
    def download(self):
        url = f"/applications/documents/{FIXTURES['download']}/download/"
        self.page(url, "reviewer: download")


class Admin(SignedIn):
    role = "admin"
    weight = 2

    @task(4)
    def all_applications(self):
        query = random.choice([*QUEUE_FILTERS, "?sort=score"])  # noqa: S311
        self.page(f"/applications/staff/queues/all/{query}", "admin: queue")

    @task(3)
    def dashboard(self):
        if FIXTURES["dashboard_url"]:  # None until the admin dashboard exists
            self.page(FIXTURES["dashboard_url"], "admin: dashboard")

    @task(2)
    def console(self):
        self.page("/console/", "admin: console")

    @task(1)
    def export(self):
        file_format = random.choice(["csv", "xlsx"])  # noqa: S311
        # An admin exports what they are looking at: one cohort's pending decisions.
        query = f"cohort={FIXTURES['cohort']}&state=decision_pending"
        url = f"/console/exports/applications.{file_format}?{query}"
        self.page(url, "admin: export")
