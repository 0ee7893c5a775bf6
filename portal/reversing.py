"""reverse(), worked out once per process for links every request of a page builds (the
navigation bar's, the queue's tabs and row links): these URLs change only with the URLconf and
the script prefix, and walking the resolver for each of some thirty links was about a twentieth
of a queue page."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_once(name: str, *args) -> str:
    """reverse(name, args=args), once per process for each URLconf and script prefix."""
    return _reversed(name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name: str, args: tuple, urlconf: str, script_prefix: str) -> str:
    # reverse() reads the script prefix itself; it is in the key so that a process serving
    # under two prefixes keeps one answer for each.
    return reverse(name, args=args or None, urlconf=urlconf)
