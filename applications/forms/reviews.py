"""The review form, generated from the programme's criteria; the note and recusal forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import Recommendation
from applications.services.reviews import ReviewInput, ScoreInput

SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(6)]


def select():
    return forms.Select(attrs={"class": "form-select"})


GATE_CHOICES = [("", "—"), ("met", _("Met")), ("not_met", _("Not met"))]


class ReviewForm(forms.Form):
    """Per criterion: a score 0–5 (or met / not met for a gate) and a rationale; then the
    recommendation and summary. Every field may be blank in a draft; submit_review checks
    completeness, so the same form serves autosave and submission."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *Recommendation.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        required=False,
        max_length=10000,
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        self.criteria = criteria
        initial = kwargs.setdefault("initial", {})
        if review is not None:
            initial.update(
                revision=review.revision,
                recommendation=review.recommendation,
                summary=review.summary,
            )
            for row in review.scores.all():
                initial[f"score_{row.criterion_id}"] = "" if row.score is None else str(row.score)
                initial[f"gate_{row.criterion_id}"] = {True: "met", False: "not_met"}.get(
                    row.gate_met, ""
                )
                initial[f"rationale_{row.criterion_id}"] = row.rationale
        else:
            initial.setdefault("revision", 0)
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            if criterion.is_gate:
                self.fields[f"gate_{criterion.pk}"] = forms.ChoiceField(
                    label=criterion.name, choices=GATE_CHOICES, required=False, widget=select()
                )
            else:
                self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                    label=criterion.name, choices=SCORE_CHOICES, required=False, widget=select()
                )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=_("Rationale"),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                required=False,
                max_length=5000,
            )

    def rows(self):
        """(criterion, verdict field, rationale field) for the template."""
        for criterion in self.criteria:
            verdict = f"{'gate' if criterion.is_gate else 'score'}_{criterion.pk}"
            yield criterion, self[verdict], self[f"rationale_{criterion.pk}"]

    def to_input(self) -> ReviewInput:
        data = self.cleaned_data
        scores = {}
        for criterion in self.criteria:
            if criterion.is_gate:
                gate = data.get(f"gate_{criterion.pk}", "")
                value = ScoreInput(gate_met={"met": True, "not_met": False}.get(gate))
            else:
                score = data.get(f"score_{criterion.pk}", "")
                value = ScoreInput(score=int(score) if score else None)
            value.rationale = data.get(f"rationale_{criterion.pk}", "")
            scores[criterion.pk] = value
        return ReviewInput(
            scores=scores, recommendation=data["recommendation"], summary=data["summary"]
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_(
            "Seen by regulator staff who can open this application, never by the applicant."
        ),
    )


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for recusing yourself"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
