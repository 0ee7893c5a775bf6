"""A reviewer's journey through the reviewer workspace in a real browser: the "My work" queue,
the conflict-of-interest declaration, a request for information (answered by the applicant in a
second browser, which pauses and resumes the clock), the moves to evaluation and the review
generated from the programme's criteria, submitted and locked.

Only the programme, the panel and the submitted application are made directly (with the services
an admin's assignment runs); everything the reviewer and the applicant do goes through the pages.
Screenshots land in docs/screenshots/.
"""

import re
from decimal import Decimal

import pytest
from django.utils import formats
from playwright.sync_api import Page, expect

from applications.enums import ApplicationState, ClockStage, RfiState
from applications.models import Application, Review, ReviewerAssignment
from applications.services import assignment, clocks
from applications.steps import STEP_BY_SLUG
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_console_programmes import sign_in as staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RFI_STEP = STEP_BY_SLUG["innovation"]
QUESTIONS = "Which settlement times did the employee pilot measure? Please attach the pilot report."
ANSWER = "Median settlement took 4 minutes across 1,240 transfers; the report is in the plan."
RATIONALE = "Complaints go to the NBK only after 5 working days; no interim redress."
SUMMARY = "A credible remittance pilot; consumer redress needs tightening before testing."


@pytest.fixture
def case():
    """A submitted application in screening: an admin is case officer, the reviewer (on the
    cohort's panel) is assigned and has not declared yet. The business plan is uploaded clean."""
    admin = factories.ProgrammeAdminFactory(full_name="Marat Iskakov")
    reviewer = factories.ReviewerFactory(full_name="Saule Zhakupova")
    programme = factories.ProgrammeFactory(name_en="NBK special regime: digital assets")
    criteria = {
        "innovation": factories.CriterionFactory(
            programme=programme, name_en="Genuine innovation", weight=60, position=1
        ),
        "consumers": factories.CriterionFactory(
            programme=programme, name_en="Consumer protection", weight=40, position=2
        ),
        "ready": factories.CriterionFactory(
            programme=programme, name_en="Ready to test", is_gate=True, position=3
        ),
    }
    plan = factories.DocumentRequirementFactory(
        programme=programme, code="business-plan", name_en="Business plan", allowed_extensions="pdf"
    )
    cohort = factories.CohortFactory(programme=programme, name="2026-2 CryptoCity")
    cohort.panel.add(reviewer)
    application = factories.SubmittedApplicationFactory(
        cohort=cohort, organisation__legal_name_en="Steppe Digital LLP"
    )
    application.save(update_fields=clocks.start_clock(application, ClockStage.SCREENING))
    factories.DocumentVersionFactory(
        document__application=application, document__requirement=plan, number=1
    )
    assignment.assign_case_officer(actor=admin, application_id=application.pk, officer_id=admin.pk)
    assignment.assign_reviewer(actor=admin, application_id=application.pk, reviewer_id=reviewer.pk)
    application = Application.objects.get(pk=application.pk)
    assert application.state == ApplicationState.SCREENING
    return {"application": application, "reviewer": reviewer, "criteria": criteria}


def test_reviewer_declares_asks_for_information_and_submits_a_review(
    case, browser, live_server, page, screenshot
):
    application, reviewer = case["application"], case["reviewer"]
    staff_sign_in(page, reviewer)
    open_from_queue_and_declare(page, screenshot, application)
    raise_request(page, screenshot, application)
    applicant_answers(browser, live_server, screenshot, application)
    see_answer_and_move_to_evaluation(page, application)
    write_and_submit_review(page, screenshot, application, case["criteria"])

    assert page.console_errors == [], "\n".join(page.console_errors)


def open_from_queue_and_declare(page: Page, screenshot, application) -> None:
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My work"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    row = page.locator(f"#queue-rows tr[data-reference='{application.reference}']")
    expect(page.locator("#queue-rows tbody tr")).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("Steppe Digital LLP")
    expect(row.locator("td").nth(1)).to_have_text(
        "NBK special regime: digital assets · 2026-2 CryptoCity"
    )
    expect(row.locator("td").nth(2)).to_have_text("Completeness screening")
    expect(row.locator("[data-clock=running]")).to_have_text(
        re.compile(r"^\d+ working days? left$")
    )
    expect(row.locator("td").nth(4)).to_have_text("—")
    expect(row.locator("td").nth(5)).to_have_text("Declare conflicts first")
    screenshot("10-reviewer-queue")

    row.get_by_role("link", name=application.reference).click()
    expect(page).to_have_url(re.compile(rf"/applications/review/{application.pk}/declaration/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare any conflict of interest")
    expect(page.locator("#applicant-identity")).to_contain_text("Steppe Digital LLP")
    expect(page.locator("#register-match")).to_have_count(0)
    screenshot("11-declaration")
    page.get_by_role("button", name="Declare no conflict and open the application").click()

    expect(page.locator(".alert-success")).to_contain_text("You declared no conflict of interest.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)
    assert ReviewerAssignment.objects.get(application=application).declaration == "no_conflict"


def raise_request(page: Page, screenshot, application) -> None:
    rfis = page.locator("#rfis")
    expect(rfis).to_contain_text("No information has been requested.")
    expect(page.locator("#clock [data-clock=running]")).to_be_visible()
    rfis.get_by_role("link", name="Request information").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request information")
    page.get_by_label("Questions for the applicant").fill(QUESTIONS)
    page.get_by_label(str(RFI_STEP.title), exact=True).check()
    page.get_by_label("Business plan", exact=True).check()
    screenshot("12-rfi-raise")
    page.get_by_role("button", name="Send the request").click()

    expect(page.locator(".alert-success")).to_contain_text(
        "The request for information has been sent to the applicant."
    )
    rfi = application.rfis.get()
    article = page.locator(f"#rfi-{rfi.pk}")
    expect(article.locator(".badge")).to_have_text("Open")
    expect(article).to_contain_text(QUESTIONS)
    expect(article).to_contain_text(
        f"Sections that may change: {RFI_STEP.title}. Documents that may be replaced: Business plan."
    )
    today = formats.date_format(clocks.today(), "DATE_FORMAT")
    expect(page.locator("#clock-paused")).to_have_text(
        f"Since {today}, while a request for information waits for the applicant's answer."
    )
    expect(page.locator("#clock [data-clock=paused]")).to_be_visible()


def applicant_answers(browser, live_server, screenshot, application) -> None:
    """The applicant, in a browser of their own (the reviewer stays signed in in the other)."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    applicant = context.new_page()
    errors: list[str] = []
    applicant.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        applicant.goto("/accounts/login/")
        applicant.locator("input[name=login]").fill(application.created_by.email)
        applicant.locator("input[name=password]").fill(factories.PASSWORD)
        applicant.locator("form").get_by_role("button", name="Sign in").click()
        applicant.get_by_role("link", name=application.title).click()

        expect(applicant.locator("#application-state")).to_have_text("Completeness screening")
        action = applicant.locator("#action-required")
        expect(action.get_by_role("heading")).to_have_text("Action required")
        expect(action).to_contain_text(QUESTIONS)
        expect(applicant.locator("#applicant-clock #clock-paused")).to_have_text(
            "The clock is paused while we wait for your answer."
        )
        action.get_by_role("link", name="Answer the request").click()

        expect(applicant.get_by_role("heading", level=1)).to_have_text(
            "The regulator's request for information"
        )
        expect(applicant.locator("#rfi-questions")).to_have_text(QUESTIONS)
        expect(applicant.locator("#rfi-unlocked li")).to_have_text(
            [str(RFI_STEP.title), "Business plan"]
        )
        applicant.get_by_label("Your answer").fill(ANSWER)
        screenshot_of(applicant, "13-applicant-rfi-answer")
        applicant.get_by_role("button", name="Send the answer").click()

        expect(applicant.locator(".alert-success")).to_contain_text(
            "Your answer has been sent to the regulator."
        )
        expect(applicant.locator("#action-required")).to_have_count(0)
        expect(applicant.locator("#applicant-clock #clock-paused")).to_have_count(0)
        expect(applicant.locator("#applicant-clock #clock-due")).to_contain_text(
            "Completeness screening: the regulator aims to finish this step by"
        )
        expect(applicant.locator("#rfi-thread")).to_contain_text(ANSWER)
    finally:
        context.close()
    assert errors == [], "\n".join(errors)
    assert application.rfis.get().state == RfiState.ANSWERED


def screenshot_of(other: Page, name: str) -> None:
    """Like the screenshot fixture (which shoots the reviewer's page), for the applicant's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    other.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, caret="initial")


def see_answer_and_move_to_evaluation(page: Page, application) -> None:
    page.reload()
    rfi = application.rfis.get()
    article = page.locator(f"#rfi-{rfi.pk}")
    expect(article.locator(".badge")).to_have_text("Answered")
    expect(article.locator(".rfi-answer")).to_contain_text(ANSWER)
    expect(page.locator("#clock-paused")).to_have_count(0)
    expect(page.locator("#clock [data-clock=running]")).to_be_visible()

    # Screening: accept the business plan, then the package is complete and the applicant eligible.
    screening = page.locator("#screening-rows li").filter(has_text="Business plan")
    screening.get_by_role("button", name="Accept").click()
    expect(screening.locator("[data-screening]")).to_have_text("Accepted")
    page.locator("#moves").get_by_role("button", name="Package complete").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "The package is complete; the eligibility assessment has started."
    )
    page.locator("#moves").get_by_role("button", name="Eligible: start evaluation").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Found eligible; the evaluation has started."
    )
    assert Application.objects.get(pk=application.pk).state == ApplicationState.EVALUATION


def write_and_submit_review(page: Page, screenshot, application, criteria) -> None:
    page.locator("#own-review").get_by_role("link", name="Write your review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Your review of {application.reference}"
    )
    legends = page.locator("#review-form legend")
    expect(legends).to_have_text(
        [
            "Genuine innovation (weight 60)",
            "Consumer protection (weight 40)",
            "Ready to test (gate: must be met)",
        ]
    )
    innovation, consumers, ready = (c.pk for c in criteria.values())
    page.locator(f"#id_score_{innovation}").select_option("4")
    page.locator(f"#id_score_{consumers}").select_option("2")
    page.locator(f"#id_gate_{ready}").select_option("met")
    page.locator("#id_recommendation").select_option(label="Proceed")
    page.locator("#id_summary").fill(SUMMARY)

    # Submitting with the low score unexplained keeps the draft and names what is missing.
    wait_for_autosave(page, application)
    page.get_by_role("button", name="Submit the review").click()
    expect(page.locator("#review-problems li")).to_have_text(
        ["Explain the score of 2 for “Consumer protection”."]
    )
    expect(page.locator(f"#id_score_{consumers}")).to_have_value("2")
    expect(page.locator("#id_summary")).to_have_value(SUMMARY)

    page.locator(f"#id_rationale_{consumers}").fill(RATIONALE)
    wait_for_autosave(page, application)
    screenshot("14-review-form")
    page.get_by_role("button", name="Submit the review").click()

    expect(page.locator(".alert-success")).to_contain_text("Your review is submitted.")
    expect(page.locator("#own-review")).to_contain_text(
        "Your review is submitted (weighted score 3.20)."
    )
    page.locator("#own-review").get_by_role("link", name="Read it").click()
    expect(page.locator("#review-locked")).to_contain_text(
        "it can no longer be changed. Weighted score: 3.20."
    )
    expect(page.locator("#review-form")).to_have_count(0)
    expect(page.locator("#own-review-scores")).to_contain_text(RATIONALE)
    review = Review.objects.get(application=application)
    assert (review.state, review.weighted_score, review.recommendation) == (
        "submitted",
        Decimal("3.20"),
        "proceed",
    )


def wait_for_autosave(page: Page, application) -> None:
    """Leave the field (its change event saves too) and wait until the page holds the stored
    revision: submitting with an older one would be refused as an edit conflict."""
    page.keyboard.press("Tab")
    expect(page.locator("#review-status")).to_contain_text(
        re.compile(r"Draft saved at \d{2}:\d{2}")
    )
    page.wait_for_timeout(1_800)  # the typing trigger fires 1.5 s after the last keystroke
    expect(page.locator("#review-form.htmx-request")).to_have_count(0)
    revision = Review.objects.get(application=application).revision
    expect(page.locator("#id_revision")).to_have_value(str(revision))
