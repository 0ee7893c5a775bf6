"""portal.html.escape writes what Django's conditional_escape writes, faster."""

import datetime
from decimal import Decimal

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from portal.html import escape


@pytest.mark.parametrize(
    "value",
    [
        'Tom & Jerry\'s <b>"shop"</b>',
        "",
        42,
        Decimal("3.50"),
        datetime.date(2026, 11, 29),
        mark_safe("<em>already HTML</em>"),
        gettext_lazy("Any"),
    ],
)
def test_escape_is_conditional_escape(value):
    with override("ru"):
        assert escape(value) == str(conditional_escape(value))
