"""Forms for the last steps of an application: the submission declarations and withdrawal."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class DeclarationsForm(forms.Form):
    """What the applicant declares when submitting; every box must be ticked."""

    true_and_complete = forms.BooleanField(
        label=_("The information in this application and its documents is true and complete."),
        error_messages={"required": _("Confirm that the information is true and complete.")},
    )
    authorised = forms.BooleanField(
        label=_("I am authorised to submit this application on behalf of the organisation."),
        error_messages={
            "required": _("Confirm that you are authorised to submit for the organisation.")
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I consent to the regulator processing the data in this application and contacting "
            "the people and referees named in it."
        ),
        error_messages={
            "required": _(
                "Give your consent to the processing of the data and to referees being contacted."
            )
        },
    )
    no_guarantee = forms.BooleanField(
        label=_(
            "I understand that submitting an application does not guarantee admission to the sandbox."
        ),
        error_messages={
            "required": _("Confirm that you understand submission does not guarantee admission.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Fieldset(
                _("Declarations"), "true_and_complete", "authorised", "consent", "no_guarantee"
            ),
            Submit("submit", _("Submit application")),
        )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing?"),
        help_text=_("The regulator reads this; it is kept with the application."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Please give a reason for withdrawing.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "reason",
            StrictButton(_("Withdraw application"), type="submit", css_class="btn-danger"),
        )
