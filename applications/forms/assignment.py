"""Forms for putting people on applications: one at a time, in bulk, and automatically."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ReviewerAssignForm(forms.Form):
    reviewer = PersonChoiceField(
        label=_("Reviewer"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(pk__in=[u.pk for u in candidates])
        self.fields["reviewer"].choices = [("", "---------")] + [
            (user.pk, user.display_name) for user in candidates
        ]


class CaseOfficerForm(forms.Form):
    officer = PersonChoiceField(
        label=_("Case officer"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(pk__in=[u.pk for u in candidates])
        self.fields["officer"].choices = [("", "---------")] + [
            (user.pk, user.display_name) for user in candidates
        ]


class BulkAssignForm(forms.Form):
    """Selected applications (checkboxes on the list) and the reviewers to put on each."""

    applications = forms.TypedMultipleChoiceField(
        label=_("Applications"), coerce=int, error_messages={"required": _("Select applications.")}
    )
    reviewers = PeopleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose at least one reviewer.")},
    )

    def __init__(self, *args, application_ids, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(pk, pk) for pk in application_ids]
        self.fields["reviewers"].queryset = User.objects.filter(pk__in=[u.pk for u in panel])


class AutoAssignForm(forms.Form):
    per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=10, initial=2
    )
    cap = forms.IntegerField(
        label=_("Most open assignments per reviewer"),
        min_value=1,
        max_value=200,
        initial=8,
        help_text=_("Counts what each reviewer already has open, in every cohort."),
    )


class ConfirmPairsForm(forms.Form):
    """The previewed pairs, sent back to be assigned exactly as shown."""

    pair = forms.CharField(required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.raw_pairs = data.getlist("pair") if data is not None else []

    def clean(self):
        pairs = []
        for raw in self.raw_pairs:
            application_id, _sep, reviewer_id = raw.partition(":")
            if not (application_id.isdigit() and reviewer_id.isdigit()):
                raise forms.ValidationError(_("The preview was damaged. Start again."))
            pairs.append((int(application_id), int(reviewer_id)))
        if not pairs:
            raise forms.ValidationError(_("Nothing to assign."))
        self.cleaned_data["pairs"] = pairs
        return self.cleaned_data
