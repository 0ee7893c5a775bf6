"""`{% nav_url "name" %}`: the navigation bar's fixed links (templates/components/_navbar.html),
`{% url %}` reversed once per process (portal/reversing.py)."""

from django import template

from portal.reversing import reverse_once

register = template.Library()


@register.simple_tag
def nav_url(name: str) -> str:
    return reverse_once(name)
