"""Escaping for the few places that write HTML in Python (the queue rows and filter widgets).

`escape` answers what `django.utils.html.conditional_escape` answers, for the values these
writers pass (text, numbers, dates, lazy translations, already-safe strings), without its
per-call lazy-argument check and SafeString wrapper: a queue page escapes some four hundred
values, and those two were a tenth of its rendering. The caller marks the whole result safe once.
"""

from html import escape as _html_escape


def escape(value) -> str:
    """Django's escaping (`&`, `<`, `>`, `"`, `'`) of `str(value)`; a value that is already
    HTML (has `__html__`, as SafeString) is returned as it is."""
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _html_escape(str(value))
