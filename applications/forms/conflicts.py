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
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Search for an organisation registered in the portal above, then choose it."),
        widget=forms.Select(attrs={"class": "form-select"}),
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

    def __init__(self, *args, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The picker offers only what the person searched for (and what they chose): the page
        # never lists every organisation, which would be long and, under blind review, would
        # put applicants' names in front of reviewers for no reason.
        field = self.fields["organisation"]
        field.widget.choices = [("", "---------")] + [
            (organisation.pk, field.label_from_instance(organisation))
            for organisation in organisations_matching(search, self["organisation"].value())
        ]

    def clean(self):
        data = super().clean()
        if not (data.get("organisation") or data.get("bin") or data.get("person_name", "").strip()):
            raise forms.ValidationError(_("Name an organisation, a BIN or a person."))
        return data


SEARCH_MIN_LENGTH = 3
SEARCH_LIMIT = 20


def organisations_matching(search: str, chosen=None) -> list[Organisation]:
    """Organisations whose name (any language) contains the search, or whose BIN starts with it."""
    from django.db.models import Q

    search = search.strip()
    query = Q(pk=chosen) if str(chosen or "").isdigit() else Q(pk__in=[])
    if len(search) >= SEARCH_MIN_LENGTH:
        query |= (
            Q(legal_name_en__icontains=search)
            | Q(legal_name_ru__icontains=search)
            | Q(legal_name_kk__icontains=search)
            | Q(bin__startswith=search)
        )
    return list(Organisation.objects.filter(query).order_by("legal_name_en")[:SEARCH_LIMIT])
