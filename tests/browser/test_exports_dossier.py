"""A programme admin in a real browser: export the filtered "All applications" list as CSV, open
an application's printable dossier and print it. Screenshots land in docs/screenshots/."""

import pytest
from playwright.sync_api import expect

from applications.enums import ApplicationState
from tests import factories
from tests.browser.test_console_programmes import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_exports_the_queue_and_prints_a_dossier(page, screenshot):
    admin = factories.ProgrammeAdminFactory(full_name="Marat Iskakov")
    cohort = factories.CohortFactory(name="2026-2 CryptoCity")
    other = factories.CohortFactory(programme=cohort.programme, name="2027-1 Alatau")
    application = factories.SubmittedApplicationFactory(
        cohort=cohort,
        state=ApplicationState.SCREENING,
        reference="SBX-2026-00042",
        title="Tenge stablecoin pilot",
        organisation__legal_name_en="Steppe Digital LLP",
    )
    factories.SubmittedApplicationFactory(cohort=other, reference="SBX-2026-00043")
    document = factories.DocumentFactory(application=application)
    version = factories.DocumentVersionFactory(document=document, original_name="charter.pdf")
    # The print dialog cannot be driven headless: record that the button asked for it.
    page.add_init_script("window.print = () => { window.printRequested = true; };")

    sign_in(page, admin)
    page.goto(f"/applications/staff/queues/all/?cohort={cohort.pk}")
    with page.expect_download() as download:
        page.locator("#queue-exports").get_by_role("link", name="Export CSV").click()
    body = download.value.path().read_bytes().decode("utf-8-sig")
    assert download.value.suggested_filename.startswith("applications-")
    assert [line.split(",")[0] for line in body.splitlines()] == ["Reference", "SBX-2026-00042"]

    page.goto(f"/applications/staff/{application.pk}/")
    page.get_by_role("link", name="Printable dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier SBX-2026-00042")
    expect(page.locator("#dossier-document-rows")).to_contain_text(version.sha256)
    screenshot("dossier")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printRequested") is True

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator(".dossier-actions")).to_be_hidden()
    screenshot("dossier-print")
    assert page.console_errors == []
