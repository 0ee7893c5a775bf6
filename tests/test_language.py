"""Choosing a language: saved on the signed-in user's profile, a cookie for visitors.

Catalogues are compiled later, so these tests read the page's <html lang> attribute, which is
the language Django activated for the request.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Steppe-ledger-2026!"


def page_language(client, url_name: str) -> str:
    html = client.get(reverse(url_name)).content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_set_language_saves_choice_and_next_page_uses_it(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("set_language"), {"language": "ru", "next": reverse("account_email")}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email")
    applicant.refresh_from_db()
    assert applicant.preferred_language == "ru"
    assert page_language(client, "account_email") == "ru"


def test_saved_language_wins_over_the_cookie(client, applicant):
    applicant.preferred_language = "kk"
    applicant.save(update_fields=["preferred_language"])
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    assert page_language(client, "account_email") == "kk"


def test_cookie_applies_to_user_without_saved_language(client, applicant):
    assert applicant.preferred_language == ""
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    assert page_language(client, "account_email") == "ru"


def test_anonymous_choice_is_kept_in_a_cookie(client, applicant):
    response = client.post(
        reverse("set_language"), {"language": "kk", "next": reverse("account_login")}
    )

    assert response.url == reverse("account_login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    assert page_language(client, "account_login") == "kk"
    assert set(User.objects.values_list("preferred_language", flat=True)) == {""}


def test_set_language_ignores_an_unknown_language(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("set_language"), {"language": "xx", "next": reverse("account_email")}
    )

    assert response.url == reverse("account_email")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    applicant.refresh_from_db()
    assert applicant.preferred_language == ""
    assert page_language(client, "account_email") == "en"


def test_set_language_does_not_redirect_off_site(client):
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_set_language_refuses_get(client):
    response = client.get(reverse("set_language"), {"language": "ru"})

    assert response.status_code == 405


def test_signup_keeps_the_language_chosen_before(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"

    client.post(
        reverse("account_signup"),
        {"email": "kazakh@steppe.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert User.objects.get(email="kazakh@steppe.example").preferred_language == "kk"


def test_language_menu_offers_each_language_in_its_own_name(client):
    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<option value="ru"[^>]*>Русский</option>', html)
    assert re.search(r'<option value="kk"[^>]*>Қазақ</option>', html)


@pytest.mark.django_db
def test_account_pages_are_kazakh_although_allauth_ships_no_kazakh(client):
    client.cookies["django_language"] = "kk"

    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert "Sign In" not in response.content.decode()
    assert "Кіру" in response.content.decode()
