"""A programme admin in a real browser: sign in with TOTP, add a criterion, create a cohort with a
panel, open it now, then the public register. Screenshots land in docs/screenshots/."""

import time
from datetime import timedelta

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import AuditEvent, Cohort, Criterion
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTORY_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # tests/factories.py StaffFactory


def current_code() -> str:
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(FACTORY_TOTP_SECRET, int(time.time()) // period))


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form").get_by_role("button", name="Sign in").click()
    page.locator("input[name=code]").fill(current_code())
    page.locator("main form").get_by_role("button").first.click()


def test_admin_sets_up_a_cohort_and_opens_it(page, screenshot):
    admin = factories.ProgrammeAdminFactory(full_name="Marat Iskakov")
    reviewer = factories.ReviewerFactory(full_name="Saule Zhakupova")
    programme = factories.ProgrammeFactory(name_en="NBK special regime: digital assets")
    factories.CohortFactory(programme=programme, name="2026-2 CryptoCity", zone_tag="CryptoCity")
    factories.SubmittedApplicationFactory.create_batch(
        2, cohort=programme.cohorts.get(), state="screening"
    )
    participant = factories.SubmittedApplicationFactory(
        cohort=programme.cohorts.get(), state="testing", activity_category="stablecoin"
    )

    sign_in(page, admin)
    page.get_by_role("button", name="Console").click()  # the console menu in the navbar
    page.get_by_role("link", name="Programmes and cohorts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes and cohorts")
    expect(page.locator(".card").first).to_contain_text("Completeness screening: 2")
    screenshot("console-programmes")

    page.get_by_role("link", name=programme.name_en).click()
    page.get_by_role("link", name="Edit criteria").click()
    page.locator("[name=form-0-code]").fill("innov")
    page.locator("[name=form-0-name_en]").fill("Genuine innovation")
    page.locator("[name=form-0-name_ru]").fill("Подлинная инновационность")
    page.locator("[name=form-0-weight]").fill("40")
    screenshot("console-criteria")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#programme-criteria")).to_contain_text("Genuine innovation")
    assert Criterion.objects.get().code == "INNOV"

    page.get_by_role("link", name="New cohort").click()
    page.locator("[name=name]").fill("2027-1 Alatau")
    page.locator("[name=zone_tag]").fill("CryptoCity / Alatau")
    page.get_by_label("A window: opens and closes").check()
    opens = timezone.localtime() + timedelta(days=30)
    page.locator("[name=opens_at]").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[name=closes_at]").fill((opens + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Saule Zhakupova").check()
    screenshot("console-cohort-form")
    page.get_by_role("button", name="Save cohort").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("2027-1 Alatau")
    expect(page.locator("#cohort-panel")).to_have_text("Saule Zhakupova")
    page.get_by_label("Yes, open this cohort to applications now.").check()
    page.get_by_role("button", name="Open now").click()
    expect(page.locator(".alert-success")).to_contain_text("The cohort is open to applications.")
    screenshot("console-cohort-detail")
    cohort = Cohort.objects.get(name="2027-1 Alatau")
    assert cohort.is_open()
    assert cohort.closes_at is not None  # opening early keeps the planned closing time
    assert list(cohort.panel.all()) == [reviewer]
    assert AuditEvent.objects.filter(subject=f"cohort:{cohort.pk}").count() == 2

    page.get_by_role("link", name="Register").click()
    expect(page.locator("#register")).to_contain_text(participant.organisation.legal_name_en)
    expect(page.locator("#register")).not_to_contain_text(participant.organisation.bin)
    screenshot("public-register")
    assert page.console_errors == [], "\n".join(page.console_errors)
