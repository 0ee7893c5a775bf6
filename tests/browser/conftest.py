"""Playwright driving Debian's Chromium against pytest-django's live server.

The browser tests skip when Chromium is not installed (a bare `make test` on a laptop), and fail
instead under CI, which installs it (PORTAL_REQUIRE_BROWSER=true in .ci/run).
"""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server for an in-memory SQLite test database.

    Its request threads all share the test's one SQLite connection (and Django's transaction
    state on it), so two requests at once (an htmx autosave still running when the page is
    submitted) must not interleave. Requests here take turns; connections still get a thread
    each, so the browser's keep-alive connections do not block one another. On PostgreSQL (CI)
    nothing is serialised.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live_server, started after the test database exists.

    pytest-django's own fixture may start first, while the settings still name the file
    database: its request threads then open their own connections to the in-memory test database
    instead of sharing the test's, and concurrent requests fail with "table is locked".
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        server.thread.server_class = OneRequestAtATimeServer
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(monkeypatch):
    """One browser per test: Playwright's sync API keeps an event loop in the test thread, so the
    ORM calls the test makes there must be allowed (only for this test, never for the others)."""
    if not CHROMIUM.exists():
        if os.environ.get("PORTAL_REQUIRE_BROWSER", "").lower() == "true":
            pytest.fail("Chromium is required here but /usr/bin/chromium is missing.")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    console_errors: list[str] = []

    def record(message) -> None:
        # Which page and which asset: a CSP violation's text alone does not say where it happened.
        if message.type == "error":
            console_errors.append(
                f"{message.text} (at {message.location.get('url')}, page {opened.url})"
            )

    opened.on("console", record)
    opened.console_errors = console_errors
    yield opened
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under docs/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # caret="initial": hiding the caret leaves style="" on every input and textarea, which
        # htmx then copies while settling a swap, and the strict CSP reports that as a violation.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take
