"""Forms of the reviewer workspace's screening, requests for information and stage moves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import DocumentStage
from applications.models import DocumentRequirement
from applications.steps import STEPS


def _text(label, help_text="", rows=4, required_message=None):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10000,
        error_messages={"required": required_message} if required_message else None,
    )


class ToCorrectForm(forms.Form):
    note = _text(
        _("What must be corrected"),
        rows=2,
        required_message=_("Write what the applicant must correct."),
    )


class RfiRaiseForm(forms.Form):
    questions = _text(
        _("Questions for the applicant"),
        _("The applicant sees these as coming from the regulator, never from you by name."),
        rows=6,
        required_message=_("Write the questions for the applicant."),
    )
    steps = forms.MultipleChoiceField(
        label=_("Sections the applicant may change"),
        choices=[(step.slug, step.title) for step in STEPS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    requirements = forms.ModelMultipleChoiceField(
        label=_("Documents the applicant may replace"),
        queryset=DocumentRequirement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = DocumentRequirement.objects.filter(
            programme_id=application.cohort.programme_id, stage=DocumentStage.APPLICATION
        ).order_by("position", "id")


class RfiAnswerForm(forms.Form):
    answer = _text(
        _("Your answer"),
        _(
            "Answer each question. Change the unlocked sections and documents before you send the answer."
        ),
        rows=8,
        required_message=_("Write your answer to the regulator's questions."),
    )


class RfiCancelForm(forms.Form):
    reason = _text(
        _("Reason for cancelling"),
        rows=2,
        required_message=_("Give a reason for cancelling the request."),
    )


class NotEligibleProposalForm(forms.Form):
    reasons = _text(
        _("Reasons the application is not eligible"),
        _("The applicant reads these if an admin confirms the proposal."),
        required_message=_("Give the reasons the application is not eligible."),
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
