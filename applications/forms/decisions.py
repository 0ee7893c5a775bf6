"""The decision form: one reason field per criterion of the programme, the outcome, conditions
and, for approvals, the testing parameters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import Currency, DecisionOutcome
from applications.services.decisions import DecisionTerms


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DecisionOutcome.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("Conditions (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = forms.DateField(
        label=_("Testing starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    duration_months = forms.IntegerField(
        label=_("Testing period (months)"), required=False, min_value=1
    )
    max_clients = forms.IntegerField(
        label=_("Maximum number of clients"), required=False, min_value=1
    )
    currency = forms.ChoiceField(
        label=_("Currency of the limits"),
        required=False,
        choices=[("", "—"), *Currency.choices],
    )
    max_per_client_amount = forms.DecimalField(
        label=_("Limit per client"), required=False, min_value=0, max_digits=20, decimal_places=8
    )
    max_aggregate_amount = forms.DecimalField(
        label=_("Aggregate limit"), required=False, min_value=0, max_digits=20, decimal_places=8
    )
    geography = forms.CharField(label=_("Geography of the test"), required=False, max_length=255)

    def __init__(self, *args, criteria, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["duration_months"].help_text = _(
            "Default %(default)s months, at most %(max)s."
        ) % {"default": programme.default_test_months, "max": programme.max_test_months}
        self.fields["duration_months"].widget.attrs["max"] = programme.max_test_months
        for criterion in self.criteria:
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Reason: %(criterion)s") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def reason_fields(self):
        return [self[f"reason_{criterion.pk}"] for criterion in self.criteria]

    def terms(self) -> DecisionTerms:
        data = self.cleaned_data
        return DecisionTerms(
            outcome=data["outcome"],
            reasons={c.pk: data.get(f"reason_{c.pk}", "") for c in self.criteria},
            summary=data["summary"],
            conditions=data["conditions"],
            starts_on=data["starts_on"],
            duration_months=data["duration_months"],
            max_clients=data["max_clients"],
            currency=data["currency"],
            max_per_client_amount=data["max_per_client_amount"],
            max_aggregate_amount=data["max_aggregate_amount"],
            geography=data["geography"],
        )


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReleaseForm(forms.Form):
    applications = forms.TypedMultipleChoiceField(
        label=_("Decisions to release"),
        coerce=int,
        error_messages={"required": _("Select at least one decided application to release.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = choices
