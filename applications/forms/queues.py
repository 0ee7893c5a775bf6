"""The queue filter form: read from the URL (GET), so every view of a queue can be bookmarked."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ActivityCategory, ApplicationState
from applications.forms.widgets import FastNumberInput, FastSearchInput, FastSelect
from applications.queries import queues

CLOCK_CHOICES = [
    ("", _("Any clock")),
    (queues.CLOCK_OVERDUE, _("Overdue")),
    (queues.CLOCK_DUE_SOON, _("Due soon")),
    (queues.CLOCK_PAUSED, _("Paused (waiting for the applicant)")),
]
RFI_CHOICES = [
    ("", _("Any")),
    (queues.RFI_OPEN, _("Open request for information")),
    (queues.RFI_OVERDUE, _("Overdue request for information")),
]
MY_REVIEW_CHOICES = [
    ("", _("Any")),
    (queues.REVIEW_SUBMITTED, _("My review submitted")),
    (queues.REVIEW_NOT_SUBMITTED, _("My review not submitted")),
]
SORT_CHOICES = [
    (queues.SORT_DUE, _("Due date, soonest first")),
    (queues.SORT_SUBMITTED_NEWEST, _("Submitted, newest first")),
    (queues.SORT_SUBMITTED_OLDEST, _("Submitted, oldest first")),
    (queues.SORT_SCORE, _("Score, highest first")),
]
MAX_DUE_WITHIN = 60


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        strip=True,
        widget=FastSearchInput,
        help_text=_("Reference, organisation name or BIN."),
    )
    state = forms.ChoiceField(label=_("State"), required=False, widget=FastSelect)
    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    cohort = forms.TypedChoiceField(
        label=_("Cohort"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    activity = forms.ChoiceField(
        label=_("Activity"),
        required=False,
        choices=[("", _("Any activity")), *ActivityCategory.choices],
        widget=FastSelect,
    )
    clock = forms.ChoiceField(
        label=_("Clock"), required=False, choices=CLOCK_CHOICES, widget=FastSelect
    )
    due_within = forms.IntegerField(
        label=_("Due within (working days)"),
        required=False,
        min_value=0,
        max_value=MAX_DUE_WITHIN,
        widget=FastNumberInput,
    )
    rfi = forms.ChoiceField(
        label=_("Requests for information"),
        required=False,
        choices=RFI_CHOICES,
        widget=FastSelect,
    )
    my_review = forms.ChoiceField(
        label=_("My review"), required=False, choices=MY_REVIEW_CHOICES, widget=FastSelect
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=FastSelect
    )

    def __init__(self, data, *, cohorts, show_search_hint_blind: bool = False):
        super().__init__(data)
        self.fields["state"].choices = [
            ("", _("Any state")),
            *[(v, label) for v, label in ApplicationState.choices if v != ApplicationState.DRAFT],
        ]
        # Each programme's name in the reader's language once, not once per cohort.
        names = {cohort.programme_id: None for cohort in cohorts}
        for cohort in cohorts:
            if names[cohort.programme_id] is None:
                names[cohort.programme_id] = cohort.programme.name
        self.fields["programme"].choices = [("", _("Any programme")), *names.items()]
        self.fields["cohort"].choices = [
            ("", _("Any cohort")),
            *[(cohort.pk, f"{names[cohort.programme_id]} · {cohort.name}") for cohort in cohorts],
        ]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
        if show_search_hint_blind:
            self.fields["q"].help_text = _(
                "Reference; organisation name or BIN only on programmes without blind review."
            )

    def filters(self) -> queues.QueueFilters:
        """The valid part of what was asked; a value that does not validate is ignored (and its
        error shown beside the field)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        return queues.QueueFilters(
            state=data.get("state", ""),
            cohort_id=data.get("cohort"),
            activity=data.get("activity", ""),
            clock=data.get("clock", ""),
            due_within=data.get("due_within", queues.QueueFilters.due_within),
            rfi=data.get("rfi", ""),
            my_review=data.get("my_review", ""),
            search=data.get("q", ""),
            sort=data.get("sort", queues.SORT_DUE),
            programme_id=data.get("programme"),
        )
