"""The programme admins' journey from decision to the first accepted report, in a real browser:
one admin proposes an approval with conditions, a second admin approves it (four eyes), the
cohort's decisions are released, onboarding confirms each pre-commencement condition with its
evidence and testing starts; the participant files its first monthly report with a file
attached; an admin accepts it.

Only the programme, the cohort and the application waiting for its decision are made directly;
everything the admins and the participant do goes through the pages. Screenshots land in
docs/screenshots/ (admin-01 … admin-07).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications.enums import ApplicationState, ReportState, ScanStatus
from applications.models import Application, Decision, Report, ReportAttachment
from tests import factories
from tests.applications.test_validators import PDF
from tests.browser.test_console_programmes import sign_in as staff_sign_in
from tests.browser.test_reviewer_journey import screenshot_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONDITION = "Appoint a compliance officer resident in Kazakhstan"
NARRATIVE = (
    "First month with live clients in Astana: onboarding went as planned, one complaint about "
    "a delayed transfer was answered within two working days."
)


@pytest.fixture
def case(settings):
    """An application waiting for its decision; two programme admins; a business plan on file."""
    settings.CLAMAV_URL = None  # structural checks only: the scan clears the file at once
    maker = factories.ProgrammeAdminFactory(full_name="Marat Iskakov")
    checker = factories.ProgrammeAdminFactory(full_name="Aigul Sarsenova")
    programme = factories.ProgrammeFactory(name_en="NBK special regime: digital assets")
    criteria = [
        factories.CriterionFactory(
            programme=programme, name_en="Genuine innovation", weight=60, position=1
        ),
        factories.CriterionFactory(
            programme=programme, name_en="Consumer protection", weight=40, position=2
        ),
    ]
    plan = factories.DocumentRequirementFactory(
        programme=programme, code="business-plan", name_en="Business plan", allowed_extensions="pdf"
    )
    cohort = factories.CohortFactory(programme=programme, name="2026-2 CryptoCity", capacity=10)
    application = factories.SubmittedApplicationFactory(
        cohort=cohort,
        state=ApplicationState.DECISION_PENDING,
        organisation__legal_name_en="Steppe Digital LLP",
    )
    factories.DocumentVersionFactory(
        document__application=application, document__requirement=plan, number=1
    )
    return {
        "application": application,
        "maker": maker,
        "checker": checker,
        "criteria": criteria,
        "participant": application.created_by,
    }


def test_admins_decide_onboard_and_accept_the_first_report(case, browser, live_server, page):
    application = case["application"]
    staff_sign_in(page, case["maker"])
    propose(page, application, case["criteria"])

    checker = new_page(browser, live_server)
    staff_sign_in(checker, case["checker"])
    approve_and_release(checker, application)
    onboard_and_start_testing(checker, application)

    participant = new_page(browser, live_server)
    file_first_report(participant, case["participant"], application)

    accept_report(page, application)

    for other in (page, checker, participant):
        assert other.console_errors == [], "\n".join(other.console_errors)


def new_page(browser, live_server) -> Page:
    """Another person, in a browser context of their own."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    other = context.new_page()
    other.console_errors = []
    other.on("console", lambda m: m.type == "error" and other.console_errors.append(m.text))
    return other


def propose(page: Page, application, criteria) -> None:
    page.goto(f"/applications/staff/{application.pk}/")
    section = page.locator("#decision-section")
    section.get_by_role("link", name="Propose a decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a decision")

    page.get_by_label("Outcome").select_option("approved_with_conditions")
    page.get_by_label("Summary").fill(
        "A credible cross-border stablecoin pilot with a measured, limited client base."
    )
    page.get_by_label("Reason: Genuine innovation").fill(
        "Settlement in minutes instead of days for remittances to Kyrgyzstan."
    )
    page.get_by_label("Reason: Consumer protection").fill(
        "Redress within five working days; client funds segregated."
    )
    page.get_by_label("Conditions (one per line)").fill(CONDITION)
    # Testing started six weeks ago, so the first monthly period is already over.
    starts_on = timezone.localdate() - timedelta(days=45)
    page.get_by_label("Testing starts").fill(starts_on.isoformat())
    page.get_by_label("Testing period (months)").fill("12")
    page.get_by_label("Maximum number of clients").fill("500")
    page.get_by_label("Currency of the limits").select_option("USD")
    page.get_by_label("Limit per client").fill("1000")
    page.get_by_label("Aggregate limit").fill("200000")
    page.get_by_label("Geography of the test").fill("Astana and Almaty")
    screenshot_of(page, "admin-01-decision-draft")
    page.get_by_role("button", name="Propose for approval").click()

    expect(page.locator("#decision-state")).to_have_text("Awaiting a second admin")
    expect(page.locator("#four-eyes-note")).to_have_text(
        "You proposed this decision: a second programme admin must approve it or send it back."
    )
    expect(page.get_by_role("button", name="Approve this decision")).to_have_count(0)
    decision = Decision.objects.get(application=application)
    assert (decision.state, decision.made_by.full_name) == ("proposed", "Marat Iskakov")


def approve_and_release(page: Page, application) -> None:
    page.goto(f"/applications/staff/{application.pk}/")
    section = page.locator("#decision-section")
    expect(section).to_contain_text("Proposed by Marat Iskakov")
    expect(section).to_contain_text(CONDITION)
    screenshot_of(page, "admin-02-decision-four-eyes")
    section.get_by_role("button", name="Approve this decision").click()

    expect(page.locator("#decision-section")).to_contain_text(
        "Maker: Marat Iskakov · checker: Aigul Sarsenova"
    )
    expect(page.locator("#decision-section")).to_contain_text("not released yet")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.APPROVED

    page.locator("#decision-section").get_by_role(
        "link", name="Release decisions of this cohort"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Release decisions: 2026-2 CryptoCity"
    )
    row = page.locator("#release-rows tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Steppe Digital LLP")
    expect(row).to_contain_text("Marat Iskakov / Aigul Sarsenova")
    screenshot_of(page, "admin-03-release")
    page.get_by_role("button", name="Release the selected decisions").click()
    expect(page.locator("#nothing-to-release")).to_be_visible()
    assert Application.objects.get(pk=application.pk).decision_released_at is not None


def onboard_and_start_testing(page: Page, application) -> None:
    page.goto(f"/participations/staff/{application.pk}/")
    expect(page.locator("#application-state")).to_have_text("Approved")
    page.get_by_role("button", name="Start onboarding").click()
    expect(page.locator("#application-state")).to_have_text("Onboarding")
    items = page.locator("#onboarding-conditions > li")
    expect(items).to_have_count(5)
    expect(items.last).to_contain_text(CONDITION)

    # Testing cannot start while a condition is open.
    page.get_by_role("button", name="Start testing").click()
    expect(page.locator(".alert-danger").first).to_contain_text("This cannot be done yet.")

    evidence = [
        "Testing agreement signed by both parties.",
        "Disclosure wording checked on the website and in the app.",
        "AML/CFT manual and screening provider contract reviewed.",
        "Key persons' CVs and fit-and-proper forms on file.",
        "Compliance officer Dana Ospanova appointed; resident in Astana.",
    ]
    for index, note in enumerate(evidence):
        item = page.locator("#onboarding-conditions > li").nth(index)
        item.locator("textarea[name=evidence_note]").fill(note)
        if index == 0:
            item.locator("select[name=evidence_document]").select_option(label="Business plan")
        if index == len(evidence) - 1:
            screenshot_of(page, "admin-04-onboarding")
        item.get_by_role("button", name="Confirm as met").click()
        expect(page.locator(".alert-success").first).to_contain_text("Condition recorded as met.")
        expect(page.locator("#onboarding-conditions > li").nth(index)).to_contain_text(
            "Met — confirmed by Aigul Sarsenova"
        )

    page.get_by_role("button", name="Start testing").click()
    expect(page.locator(".alert-success").first).to_contain_text(
        "Testing started. The reporting schedule is set."
    )
    expect(page.locator("#application-state")).to_have_text("Testing")
    expect(page.locator("#staff-reports tbody tr").first).to_contain_text("Monthly report")
    screenshot_of(page, "admin-05-testing")


def file_first_report(page: Page, participant, application) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(participant.email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form").get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=application.title).click()
    page.get_by_role("link", name="Decision and testing").click()

    expect(page.locator("#decision")).to_contain_text("Decision: Approved with conditions")
    expect(page.locator("#onboarding-status")).to_contain_text(CONDITION)
    reports = page.locator("#participant-reports")
    expect(reports.get_by_role("link", name="File")).to_have_count(1)
    reports.get_by_role("link", name="File").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly report")

    # A hostile file first: refused with its reason, nothing kept.
    page.get_by_label("Attach a file").set_input_files(
        files=[{"name": "figures.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 64}]
    )
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        "“figures.pdf” is a program, not a document. Programs cannot be uploaded."
    )
    assert ReportAttachment.objects.count() == 0

    page.get_by_label("Attach a file").set_input_files(
        files=[{"name": "Complaints log.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".alert-success")).to_contain_text("“Complaints log.pdf” attached.")
    page.reload()  # the scan ran once the upload committed
    expect(page.locator("#attachment-list li")).to_contain_text("Complaints log.pdf")
    expect(page.locator("#attachment-list .badge")).to_have_text("Clean")

    page.get_by_label("Active clients").fill("120")
    page.get_by_label("Number of transactions").fill("900")
    page.get_by_label("Volume of transactions").fill("45000")
    page.get_by_label("Complaints received").fill("1")
    page.get_by_label("Incidents").fill("0")
    page.get_by_label("Breaches of the limits").fill("0")
    page.get_by_label("Narrative").fill(NARRATIVE)
    screenshot_of(page, "admin-06-participant-report")
    page.get_by_role("button", name="File the report").click()

    expect(page.locator(".alert-success")).to_contain_text(
        "Report filed. The regulator will review it."
    )
    report = Report.objects.get(state=ReportState.FILED)
    assert report.attachments.get().scan_status == ScanStatus.CLEAN


def accept_report(page: Page, application) -> None:
    page.goto(f"/participations/staff/{application.pk}/")
    row = page.locator("#staff-reports tbody tr").filter(has_text="Filed")
    expect(row).to_contain_text("clients 120, transactions 900")
    link = row.get_by_role("link", name="Complaints log.pdf")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Complaints log.pdf"
    row.get_by_role("button", name="Accept").click()

    expect(page.locator(".alert-success").first).to_contain_text("Report accepted.")
    expect(page.locator("#staff-reports tbody tr").first).to_contain_text("Accepted")
    screenshot_of(page, "admin-07-report-accepted")
    report = Report.objects.get(attachments__isnull=False)
    assert (report.state, report.reviewed_by.full_name) == ("accepted", "Marat Iskakov")
