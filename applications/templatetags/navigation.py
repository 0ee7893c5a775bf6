"""`{% nav_url "name" %}`: the navigation bar's fixed links (templates/components/_navbar.html).

The bar is on every page and links some twenty named URLs without arguments; `{% url %}` walks
the resolver for each on every request (about a twentieth of a queue page). These URLs change
only with the URLconf and the script prefix, so each is reversed once per process for each.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def nav_url(name: str) -> str:
    return reverse_once(name)


def reverse_once(name: str, *args) -> str:
    """reverse(name, args=args), worked out once per process for each URLconf and script prefix
    (for links that every request of a page builds: the navigation, the queue's tabs)."""
    return _reversed(name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name: str, args: tuple, urlconf: str, script_prefix: str) -> str:
    # reverse() reads the script prefix itself; it is in the key so that a process serving
    # under two prefixes keeps one answer for each.
    return reverse(name, args=args or None, urlconf=urlconf)
