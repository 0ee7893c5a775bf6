"""Signing up, in and out through allauth, staff two-factor, and every account page rendering in
our own layout without inline script or style (the Content-Security-Policy forbids them)."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.accounts.middleware import StaffTwoFactorMiddleware
from portal.accounts.models import Role, User
from tests import factories

pytestmark = pytest.mark.django_db

FACTORY_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # what tests/factories.py gives staff
NEW_PASSWORD = "Steppe-ledger-2026!"


def current_code(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last seconds of a period so that
    the code cannot expire between computing and checking it (allauth allows no drift)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def assert_our_layout_without_inline_code(response) -> str:
    html = response.content.decode()
    assert '<nav class="navbar' in html  # our base.html, not allauth's bare layout
    assert 'class="account-title' in html  # the h1 element that portal.css centres
    assert "style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    assert "Content-Security-Policy" in response.headers
    return html


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def log_in_with_password(client, user) -> None:
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("account_login", "Forgot your password?"),
        ("account_signup", "Already have an account?"),
        ("account_reset_password", "Reset My Password"),
        ("account_reset_password_done", "We have sent you an email"),
        ("account_email_verification_sent", "We have sent an email to you for verification"),
        ("account_reset_password_from_key_done", "Your password is now changed."),
    ],
)
def test_entrance_page_renders_in_our_layout(client, url_name, expected):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = assert_our_layout_without_inline_code(response)
    assert expected in html
    assert "account-title-entrance" in html


def test_login_page_renders_fields_with_bootstrap(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'class="textinput form-control"' in html
    assert 'id="id_login"' in html
    assert 'type="submit" class="btn btn-primary w-100"' in html
    assert "<title>" in html
    assert "Sign In" in html.split("</title>")[0]


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("account_email", "Change to"),
        ("account_change_password", "Change Password"),
        ("mfa_index", "An authenticator app is not active."),
        ("account_logout", "Are you sure you want to sign out?"),
    ],
)
def test_manage_page_renders_in_our_layout(client, applicant, url_name, expected):
    client.force_login(applicant)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = assert_our_layout_without_inline_code(response)
    assert expected in html
    assert "account-title-entrance" not in html


def test_email_page_shows_current_address(client, applicant):
    client.force_login(applicant)

    html = client.get(reverse("account_email")).content.decode()

    assert f'value="{applicant.email}"' in html
    assert 'id="current_email"' in html


def test_email_confirm_page_explains_an_invalid_link(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))

    html = assert_our_layout_without_inline_code(response)
    assert "This email confirmation link expired or is invalid." in html


def test_login_errors_show_as_bootstrap_alert(client, applicant):
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": "wrong-password"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="alert alert-block alert-danger"' in html
    assert "The email address and/or password you specified are not correct." in html


# --- Signing up and in ----------------------------------------------------------------------


def test_signup_sends_verification_email_and_confirming_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Founder@Steppe.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="founder@steppe.example")
    assert (user.role, user.organisation_id, user.preferred_language) == (
        Role.APPLICANT,
        None,
        "en",
    )
    assert signed_in_user_id(client) is None
    assert [message.to for message in mail.outbox] == [["founder@steppe.example"]]
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[0].body).group(1)

    page = client.get(reverse("account_confirm_email", args=[key]))
    assert "founder@steppe.example" in assert_our_layout_without_inline_code(page)
    confirmed = client.post(reverse("account_confirm_email", args=[key]))

    assert confirmed.status_code == 302
    assert confirmed.url == reverse("home")
    assert EmailAddress.objects.get(user=user).verified is True
    assert signed_in_user_id(client) == user.pk


def test_login_of_unverified_address_resends_verification_instead(client):
    user = factories.UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )

    assert response.url == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_login_is_rate_limited_after_five_wrong_passwords(client, applicant):
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": applicant.email, "password": "wrong-password"}
        )
        assert "Too many failed login attempts" not in response.content.decode()

    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": "wrong-password"}
    )

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    # Even the right password is refused until the window has passed.
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": factories.PASSWORD}
    )
    assert signed_in_user_id(client) is None


def test_applicant_login_goes_home_without_two_factor(client, applicant):
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": factories.PASSWORD}
    )

    assert response.url == reverse("home")
    assert signed_in_user_id(client) == applicant.pk


def test_staff_login_asks_for_totp_code_and_accepts_a_valid_one(client, reviewer):
    response = client.post(
        reverse("account_login"), {"login": reviewer.email, "password": factories.PASSWORD}
    )

    assert response.url == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    page = client.get(reverse("mfa_authenticate"))
    assert (
        "Your account is protected by two-factor authentication."
        in assert_our_layout_without_inline_code(page)
    )

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(FACTORY_TOTP_SECRET)})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == reviewer.pk


def test_staff_login_refuses_a_wrong_totp_code(client, reviewer):
    client.post(reverse("account_login"), {"login": reviewer.email, "password": factories.PASSWORD})
    wrong = f"{(int(current_code(FACTORY_TOTP_SECRET)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert signed_in_user_id(client) is None


# --- Password reset and email change --------------------------------------------------------


def test_password_reset_by_email_link_sets_a_new_password(client, applicant):
    response = client.post(reverse("account_reset_password"), {"email": applicant.email})
    assert response.url == reverse("account_reset_password_done")
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    ).group(1)

    stashed = client.get(link)  # allauth moves the key into the session, then redirects
    form = client.get(stashed.url)
    assert "Change Password" in assert_our_layout_without_inline_code(form)
    done = client.post(stashed.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.url == reverse("account_reset_password_from_key_done")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)


def test_email_change_sends_confirmation_to_the_new_address(client, applicant):
    client.force_login(applicant)
    old_email = applicant.email

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new-address@steppe.example"}
    )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["new-address@steppe.example"]]
    addresses = dict(EmailAddress.objects.filter(user=applicant).values_list("email", "verified"))
    assert addresses == {old_email: True, "new-address@steppe.example": False}
    html = client.get(reverse("account_email")).content.decode()
    assert "Your email address is still pending verification." in html
    assert '<form class="d-none"' in html  # allauth's hidden form, without its inline style


# --- Staff two-factor -------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [factories.ReviewerFactory, factories.ProgrammeAdminFactory])
@pytest.mark.parametrize("url_name", ["home", "applications:staff-application-list"])
def test_staff_without_totp_is_sent_to_set_it_up(client, factory, url_name):
    client.force_login(factory(totp=False))

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_without_totp_can_use_the_account_pages(client):
    client.force_login(factories.ReviewerFactory(totp=False))

    response = client.get(reverse("mfa_index"))

    assert response.status_code == 200
    assert "An authenticator app is not active." in response.content.decode()


def test_staff_with_totp_pass_the_two_factor_check(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [(reverse("applications:staff-application-list"), 302)]
    assert response.status_code == 200


def test_applicant_is_not_asked_for_two_factor(client, applicant):
    client.force_login(applicant)

    home = client.get(reverse("home"))
    admin = client.get("/django-admin/")  # not an account page either: the check applies

    assert home.status_code == 200
    assert home.templates[0].name == "home/applicant.html"
    assert admin.status_code == 302
    assert admin.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("make_user", "redirected"),
    [
        (lambda: factories.ApplicantFactory(), False),
        (lambda: factories.ReviewerFactory(), False),
        (lambda: factories.ReviewerFactory(totp=False), True),
        (lambda: factories.ProgrammeAdminFactory(totp=False), True),
    ],
)
def test_two_factor_middleware_checks_only_staff_without_totp(make_user, redirected):
    request = RequestFactory().get("/applications/staff/")
    request.user = make_user()

    response = StaffTwoFactorMiddleware(lambda request: HttpResponse("the page"))(request)

    if redirected:
        assert response.url == reverse("mfa_activate_totp")
    else:
        assert response.content == b"the page"


def test_staff_sets_up_totp_after_confirming_password_and_gets_recovery_codes(client):
    staff = factories.ReviewerFactory(totp=False)
    log_in_with_password(client, staff)
    assert client.get("/").url == reverse("mfa_activate_totp")

    # Setting up two-factor is sensitive: allauth asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    page = client.get(response.url)
    assert (
        "Please reauthenticate to safeguard your account."
        in assert_our_layout_without_inline_code(page)
    )
    response = client.post(response.url, {"password": factories.PASSWORD})
    assert response.url == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    html = assert_our_layout_without_inline_code(page)
    assert re.search(
        r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[A-Z2-7]+" width="200"', html
    )
    secret = client.session["mfa.totp.secret"]
    assert f'value="{secret}"' in html
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    codes_page = assert_our_layout_without_inline_code(
        client.get(reverse("mfa_view_recovery_codes"))
    )
    unused = (
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert len(unused) == 10
    assert all(code in codes_page for code in unused)
    assert client.get("/").url == reverse("applications:staff-application-list")


def test_two_factor_index_lists_active_totp_for_staff(client, reviewer):
    client.force_login(reviewer)

    html = assert_our_layout_without_inline_code(client.get(reverse("mfa_index")))

    assert "Authentication using an authenticator app is active." in html
    assert 'class="card mb-4"' in html
    assert reverse("mfa_deactivate_totp") in html
