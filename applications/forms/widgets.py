"""Form widgets that write Django's own widget HTML in Python, for the filter forms on the
busiest staff pages (the queues, the dashboard). tests/applications/test_queue_rendering.py
compares them with Django's templates."""

from django import forms
from django.utils.safestring import mark_safe

from portal.html import escape


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return "".join(
        f" {escape(name)}" + ("" if value is True else f'="{escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


class _InPythonMixin:
    """Renders the widget's context to the same HTML as Django's widget templates, without a
    template per widget and per option: the queue's filter form has some fifty options, and
    rendering each through select_option.html and attrs.html was an eighth of the queue page
    (two selects were a sixth of the dashboard's). The context (ids, aria-describedby,
    aria-invalid, selected, disabled) is still Django's own."""

    def _render(self, template_name, context, renderer=None):
        return mark_safe(self.html(context["widget"]))  # noqa: S308  # nosec B308 B703 -- every value escaped


class FastSelect(_InPythonMixin, forms.Select):
    def html(self, widget: dict) -> str:
        parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{escape(option["value"])}"'
                    f"{_attrs_html(option['attrs'])}>{escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)


class _FastInput(_InPythonMixin):
    def html(self, widget: dict) -> str:
        value = widget["value"]
        value_html = "" if value is None else f' value="{escape(value)}"'
        return (
            f'<input type="{escape(widget["type"])}"'
            f' name="{escape(widget["name"])}"{value_html}{_attrs_html(widget["attrs"])}>'
        )


class FastSearchInput(_FastInput, forms.SearchInput):
    pass


class FastNumberInput(_FastInput, forms.NumberInput):
    pass


class FetchedChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice field's options from one ordinary query. Django's own iterator reads them
    with queryset.iterator(), which on PostgreSQL opens a server-side cursor (DECLARE, FETCH,
    CLOSE: three round trips) for a list of a few programmes or cohorts; that was the largest
    part of the dashboard's filter."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class FetchedModelChoiceField(forms.ModelChoiceField):
    iterator = FetchedChoiceIterator
