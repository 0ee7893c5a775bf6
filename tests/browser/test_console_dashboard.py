"""A programme admin opens the dashboard in a real browser, narrows it to a programme and a
cohort, and the charts draw under the strict CSP. Screenshot in docs/screenshots/."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import EventKind
from applications.models import AuditEvent, ReviewerAssignment
from applications.services.stage_history import backfill_stage_history
from tests import factories
from tests.browser.test_console_programmes import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = [
    (EventKind.APPLICATION_SUBMITTED, "draft", "submitted"),
    (EventKind.SCREENING_STARTED, "submitted", "screening"),
    (EventKind.PACKAGE_COMPLETE, "screening", "eligibility"),
    (EventKind.FOUND_ELIGIBLE, "eligibility", "evaluation"),
]


def _history(application, steps: int, start) -> None:
    """The first `steps` lifecycle moves, three days apart."""
    for number, (kind, source, target) in enumerate(STEPS[:steps]):
        AuditEvent.objects.create(
            kind=kind,
            application=application,
            organisation=application.organisation,
            data={"from": source, "to": target},
            created_at=start + timedelta(days=3 * number),
            previous_hash="0" * 64,
            hash=uuid.uuid4().hex * 2,
        )


def _world():
    programme = factories.ProgrammeFactory(name_en="NBK special regime: digital assets")
    cohort = factories.CohortFactory(programme=programme, name="2026-1 Alatau")
    factories.CohortFactory(programme=programme, name="2026-2 CryptoCity")
    reviewers = [
        factories.ReviewerFactory(full_name=name)
        for name in ("Saule Zhakupova", "Daniyar Omarov", "Aigerim Seitkali")
    ]
    start = timezone.now() - timedelta(days=60)
    today = timezone.localdate()
    for number, (state, steps) in enumerate(
        [("submitted", 1), ("screening", 2), ("screening", 2), ("eligibility", 3)]
        + [("evaluation", 4)] * 3
    ):
        application = factories.SubmittedApplicationFactory(
            cohort=cohort,
            state=state,
            clock_stage={"submitted": "screening"}.get(state, state),
            clock_due_on=today + timedelta(days=10 - 6 * (number % 3)),
        )
        _history(application, steps, start + timedelta(days=number))
        if state == "evaluation":
            for reviewer in reviewers[: 1 + number % 3]:
                factories.ReviewerAssignmentFactory(application=application, reviewer=reviewer)
            factories.ReviewFactory(
                application=application,
                reviewer=reviewers[number % 3],
                state="submitted",
                submitted_at=start + timedelta(days=4 + 3 * (number % 3)),
            )
    ReviewerAssignment.objects.update(assigned_at=start)
    participation = factories.ParticipationFactory(
        application=factories.SubmittedApplicationFactory(cohort=cohort, state="testing")
    )
    factories.ReportFactory(participation=participation)
    backfill_stage_history()  # the history rows the moves and reviews would have written
    return programme, cohort


def test_admin_reads_the_dashboard_of_a_cohort(page, screenshot):
    admin = factories.ProgrammeAdminFactory(full_name="Marat Iskakov")
    programme, cohort = _world()

    sign_in(page, admin)
    page.get_by_role("button", name="Console").click()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_label("Cohort", exact=True)).to_be_disabled()

    page.get_by_label("Programme", exact=True).select_option(label=programme.name_en)
    page.get_by_role("button", name="Show").click()
    page.get_by_label("Cohort", exact=True).select_option(label=cohort.name)
    page.get_by_role("button", name="Show").click()

    expect(page.locator("#funnel tr[data-state=evaluation] td")).to_have_text("3")
    expect(page.locator("#reviewers tbody tr")).to_have_count(3)
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".map((canvas) => Boolean(Chart.getChart(canvas)))"
    )
    assert drawn == [True] * 7
    screenshot("console-dashboard")
    assert page.console_errors == [], "\n".join(page.console_errors)
