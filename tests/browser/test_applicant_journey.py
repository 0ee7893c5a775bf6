"""The whole applicant journey in a real browser: sign up, register the organisation, fill in the
application, upload a document, submit, follow the status and withdraw.

Only the programme and its cohort are made directly (staff set them up in the admin); everything
the applicant does goes through the pages. Screenshots land in docs/screenshots/.
"""

import hashlib
import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from applications.steps import STEPS, Step
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "aigerim@steppe-digital.kz"
NEW_PASSWORD = "Steppe-Sandbox-2026!"
REFERENCE = re.compile(r"^SBX-\d{4}-\d{5}$")
CONFIRMATION_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+")
# Answers typed into the form; regulated_elsewhere stays unticked (its details are then not asked).
ANSWERS = factories.COMPLETE_ANSWERS
AUTOSAVE_STEP = "innovation"
# A small but real PDF: header, one empty page, cross-reference table and trailer.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"0000000115 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"
)


@pytest.fixture
def cohort():
    """One open cohort of a programme asking for a mandatory PDF and an optional document."""
    programme = factories.ProgrammeFactory()
    factories.DocumentRequirementFactory(
        programme=programme,
        code="business-plan",
        name_en="Business plan",
        mandatory=True,
        allowed_extensions="pdf",
        max_size_mb=5,
    )
    factories.DocumentRequirementFactory(
        programme=programme,
        code="pitch-deck",
        name_en="Pitch deck",
        mandatory=False,
        allowed_extensions="pdf,docx",
    )
    return factories.CohortFactory(programme=programme, name="2026-Spring")


@pytest.fixture
def business_plan(tmp_path):
    path = tmp_path / "business-plan.pdf"
    path.write_bytes(PDF_BYTES)
    return path


def test_applicant_journey_from_sign_up_to_withdrawal(cohort, business_plan, page, screenshot):
    # The data fixtures come before `page`: a database connection first opened once Playwright
    # runs is never closed, and on PostgreSQL the test database then cannot be dropped.
    sign_up_and_confirm(page, screenshot)
    bin_number = register_organisation(page, screenshot)
    application_url = fill_in_application(page, screenshot, cohort)
    sha256 = upload_business_plan(page, screenshot, business_plan)
    reference = review_and_submit(page, screenshot, sha256, bin_number)
    follow_status_and_withdraw(page, screenshot, application_url, reference)

    assert page.console_errors == [], "\n".join(page.console_errors)


def sign_up_and_confirm(page: Page, screenshot) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to the regulatory sandbox")
    expect(page.locator("#open-cohorts")).to_contain_text("Cohort 2026-Spring")
    screenshot("01-landing")

    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    screenshot("02-signup")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("verify your email", re.I)
    )
    expect(page.get_by_role("main")).to_contain_text(EMAIL)

    page.goto(urlsplit(confirmation_link(EMAIL)).path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("confirm", re.I))
    page.locator("main form button[type=submit]").click()

    # Signed in at once, and sent home: no organisation yet, so the page asks to register one.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {EMAIL}")
    expect(page.locator("#register-organisation")).to_be_visible()


def confirmation_link(email: str) -> str:
    """The link in the confirmation email (the live server sends through the locmem backend)."""
    sent = [message for message in mail.outbox if email in message.to]
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    match = CONFIRMATION_LINK.search(sent[0].body)
    assert match, sent[0].body
    return match.group(0)


def register_organisation(page: Page, screenshot) -> str:
    page.get_by_role("link", name="Register an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your organisation")
    bin_number = factories.make_bin()
    page.locator("[name=legal_name_en]").fill("Steppe Digital LLP")
    page.locator("[name=legal_name_ru]").fill("ТОО «Степь Диджитал»")
    page.locator("[name=legal_name_kk]").fill("«Дала Диджитал» ЖШС")
    page.locator("[name=legal_form]").select_option("llp")
    page.locator("[name=jurisdiction]").select_option("kz")
    # Typed in two groups, as people read a BIN off a certificate.
    page.locator("[name=bin]").fill(f"{bin_number[:6]} {bin_number[6:]}")
    page.locator("[name=address]").fill("Mangilik El 55/20, Astana 010000")
    # With the scheme: the input is type=url, so the browser refuses "steppe-digital.kz".
    page.locator("[name=website]").fill("https://steppe-digital.kz")
    page.get_by_role("button", name="Register organisation").click()

    expect(page).to_have_url(re.compile(r"/organisation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Steppe Digital LLP")
    expect(page.locator(".alert-success")).to_contain_text("Your organisation is registered.")
    profile = page.locator("#profile-heading").locator("xpath=ancestor::section")
    expect(profile).to_contain_text("ТОО «Степь Диджитал»")
    expect(profile).to_contain_text("«Дала Диджитал» ЖШС")
    expect(profile).to_contain_text(bin_number)
    expect(profile).to_contain_text("https://steppe-digital.kz")
    screenshot("03-organisation")
    return bin_number


def fill_in_application(page: Page, screenshot, cohort) -> str:
    """Start an application from the home page and fill in every step; returns its status URL."""
    page.get_by_role("link", name="My applications").first.click()
    expect(page.locator("#no-applications")).to_contain_text("no applications yet")
    page.locator("#open-cohorts").get_by_role("link", name="Start an application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an application")
    page.locator("[name=title]").fill("Tenge stablecoin")
    page.get_by_role("button", name="Start the application").click()

    for number, step in enumerate(STEPS, start=1):
        expect(
            page.get_by_role(
                "heading", level=2, name=re.compile(f"^Step {number} of {len(STEPS)}:")
            )
        ).to_contain_text(str(step.title))
        fill_step(page, step)
        if step.slug == AUTOSAVE_STEP:
            wait_for_autosave(page)
            screenshot("04-application-step")
        page.get_by_role("button", name="Save and continue").click()

    # After the last step the form leads to the documents.
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    status_link = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    return status_link.get_attribute("href")


def fill_step(page: Page, step: Step) -> None:
    for name in step.fields:
        if name not in ANSWERS:
            continue
        value = ANSWERS[name]
        field = page.locator(f"[name={name}]")
        if name == "client_types":
            for choice in value:
                page.locator(f"[name=client_types][value={choice}]").check()
        elif field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(str(value))
        elif isinstance(value, date):
            field.fill(value.isoformat())
        elif isinstance(value, Decimal):
            field.fill(format(value, "f"))
        else:
            field.fill(str(value))


def wait_for_autosave(page: Page) -> None:
    """htmx saves while the person types: the status line and the step's tick in the step list
    come back from the server, so both prove the answers are stored."""
    page.locator("[name=comparables]").press("End")
    page.locator("[name=comparables]").type(" Card schemes settle in one to three days.")
    # The form's baseline is replaced only when the server stored exactly what is on screen.
    expect(page.locator("#initial-id_comparables")).to_have_value(re.compile("Card schemes settle"))
    status = page.locator("#save-status")
    expect(status).to_contain_text(re.compile(r"Saved at \d{2}:\d{2}"), timeout=10_000)
    current = page.locator("#step-nav [aria-current=step]")
    expect(current.locator("[data-step-complete]")).to_be_visible()
    expect(page.locator("form.htmx-request")).to_have_count(0)


def upload_business_plan(page: Page, screenshot, business_plan) -> str:
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    checklist = page.locator("#document-checklist")
    expect(checklist).to_contain_text("0 of 1 mandatory document uploaded")
    expect(checklist).to_contain_text("Business plan")

    slot = page.locator("article.card").filter(has_text="Business plan")
    expect(slot).to_contain_text("Mandatory")
    expect(slot).to_contain_text("Accepted: PDF. Up to 5 MB.")
    expect(page.locator("article.card").filter(has_text="Pitch deck")).to_contain_text("Optional")
    slot.locator("input[type=file]").set_input_files(business_plan)
    slot.get_by_role("button", name="Upload").click()

    slot = page.locator("article.card").filter(has_text="Business plan")
    expect(slot.get_by_role("status")).to_contain_text("“business-plan.pdf” uploaded as version 1")
    expect(slot.locator(".sha256")).to_have_text(sha256)
    expect(slot.get_by_role("link", name="business-plan.pdf")).to_be_visible()
    expect(checklist).to_contain_text("1 of 1 mandatory document uploaded")
    screenshot("05-documents")
    return sha256


def review_and_submit(page: Page, screenshot, sha256: str, bin_number: str) -> str:
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").click()
    expect(page.locator("#application-state")).to_have_text("Draft")
    # Every answer and the document are in; only the declarations (ticked when submitting) remain.
    missing = page.locator("#missing-items li")
    expect(missing).to_have_count(1)
    expect(missing).to_have_text("The declarations have not been accepted.")
    page.get_by_role("link", name="Review and submit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review and submit")
    expect(page.locator("#submission-problems")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text(ANSWERS["exit_strategy"])
    expect(page.locator("#submit-documents .sha256")).to_have_text(sha256)
    for checkbox in page.get_by_role("checkbox").all():
        checkbox.check()
    screenshot("06-review")
    page.get_by_role("button", name="Submit application").click()

    reference_heading = page.locator("#receipt-reference")
    expect(reference_heading).to_have_text(REFERENCE)
    reference = reference_heading.inner_text()
    expect(page.locator(".alert-success")).to_contain_text(f"Its reference is {reference}.")
    expect(page.locator("#organisation-identifier")).to_have_text(bin_number)
    documents = page.locator("#receipt-documents")
    expect(documents.locator("tbody tr").filter(has_text="Business plan")).to_contain_text(sha256)
    expect(documents.locator("tbody tr").filter(has_text="Pitch deck")).to_contain_text(
        "Not provided"
    )
    screenshot("07-receipt")
    return reference


def follow_status_and_withdraw(
    page: Page, screenshot, application_url: str, reference: str
) -> None:
    page.goto(application_url)
    expect(page.locator("#application-state")).to_have_text("Submitted")
    expect(page.locator("#reference")).to_have_text(reference)
    timeline = page.locator("#timeline li")
    expect(timeline.first).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text(re.compile("submitted", re.I))
    screenshot("08-status")

    page.get_by_role("link", name="Withdraw application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw application")
    page.locator("[name=reason]").fill("We will apply to the next cohort with a larger pilot.")
    page.get_by_role("button", name="Withdraw application").click()

    expect(page.locator("#application-state")).to_have_text("Withdrawn")
    expect(page.locator(".alert-success")).to_contain_text("Your application has been withdrawn.")
    expect(page.get_by_role("main")).to_contain_text(
        "We will apply to the next cohort with a larger pilot."
    )
    expect(page.locator("#timeline")).to_contain_text(re.compile("withdr", re.I))
    expect(page.get_by_role("link", name="Withdraw application")).to_have_count(0)
    screenshot("09-withdrawn")
