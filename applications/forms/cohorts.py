"""Programme admin console: a cohort's window, capacity, zone and reviewer panel; open/close now."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from applications.queries.programmes import active_reviewers

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class WindowKind:
    WINDOW = "window"
    ROLLING = "rolling"
    CHOICES = ((WINDOW, _("A window: opens and closes")), (ROLLING, _("Rolling: no closing date")))


def _datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 2026-2."))
    zone_tag = forms.CharField(
        label=_("Zone"),
        max_length=60,
        required=False,
        help_text=_("For example CryptoCity / Alatau."),
    )
    kind = forms.ChoiceField(
        label=_("Intake"), choices=WindowKind.CHOICES, widget=forms.RadioSelect
    )
    opens_at = _datetime_field(_("Opens at"), help_text=_("Almaty time."))
    closes_at = _datetime_field(
        _("Closes at"), required=False, help_text=_("Required for a window; empty when rolling.")
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=1000,
        help_text=_("How many firms may be admitted to test."),
    )
    panel = ReviewerChoiceField(
        label=_("Reviewer panel"),
        queryset=active_reviewers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active reviewers who review this cohort's applications."),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = active_reviewers()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Fieldset(
                _("Cohort"),
                Row(Column("name", css_class="col-md"), Column("zone_tag", css_class="col-md")),
                "capacity",
            ),
            Fieldset(
                _("Window"),
                "kind",
                Row(
                    Column("opens_at", css_class="col-md"), Column("closes_at", css_class="col-md")
                ),
            ),
            Fieldset(_("Reviewer panel"), "panel"),
            Submit("save", submit_label or _("Save cohort")),
        )

    def clean(self):
        data = super().clean()
        kind, opens_at, closes_at = data.get("kind"), data.get("opens_at"), data.get("closes_at")
        if kind == WindowKind.ROLLING:
            data["closes_at"] = None
        elif kind == WindowKind.WINDOW and "closes_at" not in self.errors:
            if closes_at is None:
                self.add_error("closes_at", _("A window needs a closing time."))
            elif opens_at is not None and closes_at <= opens_at:
                self.add_error("closes_at", _("A cohort must close after it opens."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "zone_tag": data["zone_tag"].strip(),
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "capacity": data["capacity"],
        }

    @staticmethod
    def initial_for(cohort) -> dict:
        return {
            "name": cohort.name,
            "zone_tag": cohort.zone_tag,
            "kind": WindowKind.ROLLING if cohort.closes_at is None else WindowKind.WINDOW,
            "opens_at": cohort.opens_at,
            "closes_at": cohort.closes_at,
            "capacity": cohort.capacity,
            "panel": list(cohort.panel.all()),
        }


class OpenNowForm(forms.Form):
    closes_at = _datetime_field(
        _("Closes at"),
        required=False,
        help_text=_("Leave empty to keep it open until someone closes it (rolling)."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, open this cohort to applications now."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the cohort page holds the form and its action
        self.helper.layout = Layout(
            "closes_at",
            "confirm",
            StrictButton(_("Open now"), type="submit", css_class="btn-success"),
        )


class CloseNowForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, close this cohort now. Drafts not yet submitted can no longer be submitted."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "confirm", StrictButton(_("Close now"), type="submit", css_class="btn-danger")
        )
