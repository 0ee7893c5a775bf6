from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What needs to be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say what needs to be corrected.")},
    )
