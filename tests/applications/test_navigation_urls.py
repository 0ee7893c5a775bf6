"""{% nav_url %}: the navigation's links, reversed once per URLconf and script prefix."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

NAVBAR = Path(settings.BASE_DIR) / "templates" / "components" / "_navbar.html"


def nav_names() -> list[str]:
    return re.findall(r"\{% nav_url '([a-z_:\-]+)' %\}", NAVBAR.read_text())


def render(name: str) -> str:
    return Template("{% load navigation %}{% nav_url name %}").render(Context({"name": name}))


def test_the_navbar_links_by_nav_url_only():
    assert "{% url " not in NAVBAR.read_text()
    assert len(nav_names()) == 26


@pytest.mark.parametrize("name", sorted(set(nav_names())))
def test_nav_url_is_what_reverse_answers(name):
    assert render(name) == reverse(name)


def test_nav_url_follows_the_script_prefix():
    unprefixed = reverse("console:dashboard")
    try:
        set_script_prefix("/portal/")
        assert render("console:dashboard") == "/portal" + unprefixed
    finally:
        set_script_prefix("/")
    assert render("console:dashboard") == unprefixed


def test_nav_url_follows_the_urlconf(settings):
    settings.ROOT_URLCONF = "bench.urls"
    assert render("home") == reverse("home")


def test_reverse_once_with_an_argument_is_what_reverse_answers():
    from portal.reversing import reverse_once

    assert reverse_once("applications:staff-application-detail", 42) == reverse(
        "applications:staff-application-detail", args=[42]
    )
    assert reverse_once("applications:queue-mine") == reverse("applications:queue-mine")
