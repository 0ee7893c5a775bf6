"""The dashboard's filter (GET): a programme, and a cohort of that programme."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.widgets import FastSelect, FetchedModelChoiceField
from applications.models import Cohort, Programme
from applications.queries.dashboard import Scope


class CohortChoiceField(FetchedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DashboardFilterForm(forms.Form):
    programme = FetchedModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("code"),
        required=False,
        empty_label=_("All programmes"),
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    cohort = CohortChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("All cohorts"),
        widget=FastSelect(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose a cohort of the chosen programme.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cohorts are offered (and accepted) only once a programme is chosen, and only its own.
        programme_id = self.data.get("programme", "") if self.is_bound else ""
        if programme_id.isdigit():
            self.fields["cohort"].queryset = Cohort.objects.filter(
                programme_id=int(programme_id)
            ).order_by("-opens_at", "pk")
        else:
            self.fields["cohort"].disabled = True
            self.fields["cohort"].help_text = _("Choose a programme first.")

    def scope(self) -> Scope:
        programme, cohort = self.cleaned_data["programme"], self.cleaned_data["cohort"]
        return Scope(
            programme_id=programme.pk if programme else None,
            cohort_id=cohort.pk if cohort else None,
        )
