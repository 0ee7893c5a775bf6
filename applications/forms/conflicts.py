from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ConflictRelation
from portal.accounts.models import Organisation
from portal.accounts.validators import validate_bin


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.legal_name} ({obj.identifier})" if obj.identifier else obj.legal_name


class ConflictForm(forms.Form):
    """One line of a reviewer's own conflict-of-interest register."""

    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("legal_name_en"),
        required=False,
        help_text=_("An organisation registered in the portal."),
    )
    bin = forms.CharField(
        label=_("BIN"),
        max_length=12,
        required=False,
        validators=[validate_bin],
        help_text=_("For an organisation that has not registered yet."),
    )
    person_name = forms.CharField(
        label=_("Person"),
        max_length=200,
        required=False,
        help_text=_("Full name, as the applicant would list them among its people."),
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=ConflictRelation.choices)
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if not (data.get("organisation") or data.get("bin") or data.get("person_name", "").strip()):
            raise forms.ValidationError(_("Name an organisation, a BIN or a person."))
        return data
