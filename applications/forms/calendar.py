"""The working-day calendar screen's form: one admin day (bridge day off or transferred working day)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import CalendarDayKind
from applications.services.calendar_days import NOTE_MAX_LENGTH


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CalendarDayKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("For example the government decree that moves the day."),
    )
