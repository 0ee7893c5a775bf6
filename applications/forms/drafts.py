"""Forms for drafting an application: starting one, and one form per step of the application form.

The step forms only validate input; saving goes through services.drafts.save_draft, which
merges or refuses the change against what co-applicants saved meanwhile.
"""

from datetime import date
from decimal import Decimal
from functools import cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db import models
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.enums import ClientType
from applications.models import Application
from applications.steps import STEP_BY_SLUG, Step

TEXTAREA_ROWS = {
    "summary": 3,
    "comparables": 3,
    "rules_to_relax": 3,
    "regulated_elsewhere_details": 2,
}
DEFAULT_TEXTAREA_ROWS = 5
# Fields shown side by side on wide screens; the rest take the full width.
ROWS = {
    "test-plan": (
        ("proposed_start", "proposed_duration_months", "max_clients"),
        ("limit_currency", "max_per_client_amount", "max_aggregate_amount"),
    ),
    "activity": (("activity_category", "track"),),
}


class ApplicationStartForm(forms.Form):
    title = forms.CharField(
        label=_("Project title"),
        max_length=200,
        help_text=_("A short name for the product you want to test. You can change it later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DraftStepForm(forms.ModelForm):
    """Validates one step's answers. Every answer may be blank in a draft (completeness is
    checked on submission), but what is given must be of the right type and consistent.

    The page carries each answer as it was when shown (hidden "initial-<name>" inputs, rendered
    by baseline_inputs), so that only the answers this person changed are sent to save_draft:
    answers a co-applicant changed meanwhile are then merged instead of overwritten. (Django's
    show_hidden_initial is not used: crispy would render a second, stale copy of each.)
    """

    step: Step  # set by step_form_class
    base_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, max_months: int = 24, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_revision"].initial = self.instance.revision
        self.max_months = max_months
        if "proposed_duration_months" in self.fields:
            self.fields["proposed_duration_months"].widget.attrs.update(min=1, max=max_months)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = _layout(self.step)

    def clean_proposed_duration_months(self):
        months = self.cleaned_data["proposed_duration_months"]
        if months is not None and not 1 <= months <= self.max_months:
            raise forms.ValidationError(
                _("The test can last from 1 to %(max)d months."), params={"max": self.max_months}
            )
        return months

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            # Stored text uses LF whatever the browser sent, so that comparisons hold.
            cleaned[name] = _lf(value)
        per_client = cleaned.get("max_per_client_amount")
        aggregate = cleaned.get("max_aggregate_amount")
        if per_client is not None and aggregate is not None and aggregate < per_client:
            self.add_error(
                "max_aggregate_amount",
                _("The aggregate limit must be at least the limit per client."),
            )
        return cleaned

    def changed_answers(self) -> dict:
        """The answers this person changed since the page showed them (valid form only)."""
        return {
            name: self.cleaned_data[name]
            for name in self.step.fields
            if self._changed_since_shown(name)
        }

    def _changed_since_shown(self, name: str) -> bool:
        bound = self[name]
        field = bound.field
        shown = field.hidden_widget().value_from_datadict(
            self.data, self.files, bound.html_initial_name
        )
        try:
            shown = field.to_python(_lf(shown))
        except forms.ValidationError:
            return True
        return field.has_changed(shown, _lf(bound.data))

    def baseline_inputs(self) -> str:
        """Hidden inputs: the revision and the answers as saved when this form was shown."""
        hidden = [self["base_revision"].as_hidden()]
        hidden += [self[name].as_hidden(only_initial=True) for name in self.step.fields]
        return format_html_join("", "{}", ((html,) for html in hidden))

    def error_summary(self) -> list[str]:
        """Every error as "Label: message", for the autosave status line."""
        summary = [str(message) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name in self.fields and name != "__all__":
                label = self[name].label
                summary += [
                    gettext("%(field)s: %(error)s") % {"field": label, "error": message}
                    for message in errors
                ]
        return summary


def _lf(value):
    # Browsers send CRLF for textareas, but htmx sends the LF of the DOM value.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def step_form_class(step: Step) -> type[DraftStepForm]:
    return _form_class_for(step.slug)


@cache
def _form_class_for(slug: str) -> type[DraftStepForm]:
    step = STEP_BY_SLUG[slug]
    return forms.modelform_factory(
        Application,
        form=type(f"{slug.title().replace('-', '')}StepForm", (DraftStepForm,), {"step": step}),
        fields=step.fields,
        formfield_callback=answer_formfield,
    )


class AmountField(forms.DecimalField):
    """Shows 1000 rather than the stored 1000.00000000."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return super().prepare_value(value)


def answer_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field for one answer: widgets that fit what is asked."""
    if db_field.name == "client_types":
        return forms.MultipleChoiceField(
            label=db_field.verbose_name.capitalize(),
            choices=ClientType.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
    if isinstance(db_field, models.TextField):
        rows = TEXTAREA_ROWS.get(db_field.name, DEFAULT_TEXTAREA_ROWS)
        kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
    elif isinstance(db_field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif isinstance(db_field, models.DecimalField):
        # A text box: the server, not the browser's number parsing, judges the amount.
        kwargs["widget"] = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        kwargs["form_class"] = AmountField
    return db_field.formfield(**kwargs)


def _layout(step: Step) -> Layout:
    rows = ROWS.get(step.slug, ())
    grouped = {name: group for group in rows for name in group}
    items, placed = [], set()
    for name in step.fields:
        group = grouped.get(name)
        if group is None:
            items.append(name)
        elif name not in placed:
            items.append(Row(*(Column(member, css_class="col-md") for member in group)))
            placed.update(group)
    return Layout(*items)


def display_answer(name: str, value) -> str:
    """An answer as a person reads it (for comparing versions in a conflict)."""
    if value is None or value in ("", []):
        return ""
    if name == "client_types":
        labels = dict(ClientType.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    field = Application._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
