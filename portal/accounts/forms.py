"""Forms for the organisation profile, its key people and its members."""

from decimal import Decimal

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Jurisdiction, Organisation, Person, PersonRole
from portal.accounts.validators import bin_warnings

HAS_BIN = (Jurisdiction.KZ, Jurisdiction.AIFC)
MAX_PEOPLE = 50


class DigitsField(forms.CharField):
    """A 12-digit identifier typed as the person reads it: spaces are dropped before checking."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()) if isinstance(value, str) else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # Typed with spaces ("123456 789012") it is longer than 12 until cleaned.
        attrs.pop("maxlength", None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off"}


def _https_by_default(model_field, **kwargs):
    """Websites typed without a scheme get https:// (Django 6's default, chosen now)."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = _https_by_default
        fields = [
            "legal_name_en",
            "legal_name_ru",
            "legal_name_kk",
            "legal_form",
            "jurisdiction",
            "bin",
            "foreign_registration_number",
            "country",
            "address",
            "website",
        ]
        field_classes = {"bin": DigitsField}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "legal_name_en": _("As in the charter or the certificate of registration."),
            "bin": _("12 digits, for organisations registered in Kazakhstan or the AIFC."),
            "foreign_registration_number": _("For organisations registered abroad."),
            "website": _("Optional."),
        }
        error_messages = {
            "bin": {
                "unique": _(
                    "An organisation with this BIN is already registered on the portal. "
                    "If it is yours, ask its admin to invite you."
                )
            }
        }

    def __init__(self, *args, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Legal names"), "legal_name_en", "legal_name_ru", "legal_name_kk"),
            Fieldset(
                _("Registration"),
                Row(Column("legal_form"), Column("jurisdiction")),
                "bin",
                Row(Column("foreign_registration_number"), Column("country")),
            ),
            Fieldset(_("Contact"), "address", "website"),
            Submit("save", submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        jurisdiction = cleaned.get("jurisdiction")
        if jurisdiction in HAS_BIN:
            if not cleaned.get("bin") and "bin" not in self.errors:
                self.add_error(
                    "bin",
                    _("Organisations registered in Kazakhstan or the AIFC have a BIN; enter it."),
                )
            # Only one identity is kept: the BIN wins for Kazakh and AIFC organisations.
            cleaned["foreign_registration_number"], cleaned["country"] = "", ""
        elif jurisdiction == Jurisdiction.FOREIGN:
            self._require_foreign_registration(cleaned)
            cleaned["bin"] = None
        return cleaned

    def _require_foreign_registration(self, cleaned) -> None:
        if not cleaned.get("foreign_registration_number"):
            self.add_error(
                "foreign_registration_number",
                _("Enter the registration number your organisation has in its home country."),
            )
        if not cleaned.get("country"):
            self.add_error(
                "country", _("Choose the country where your organisation is registered.")
            )

    def organisation_fields(self) -> dict:
        """The cleaned values, as the services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def bin_warnings(self) -> list[str]:
        """Unusual but possible BIN codes, shown as warnings once the profile is saved."""
        value = self.cleaned_data.get("bin")
        return bin_warnings(value) if value else []


class PersonForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=PersonRole.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one role.")},
    )
    ownership_pct = forms.DecimalField(
        label=_("Ownership %"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Only for beneficial owners."),
    )

    class Meta:
        model = Person
        fields = ["full_name", "roles", "email", "phone", "iin", "nationality", "ownership_pct"]
        field_classes = {"iin": DigitsField}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}
        help_texts = {"iin": _("Optional. 12 digits, for citizens and residents of Kazakhstan.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The formset adds "id", the organisation and "DELETE" after __init__; render them too.
        self.helper.render_unmentioned_fields = True
        self.helper.layout = Layout(
            Row(Column("full_name", css_class="col-md-6"), Column("email"), Column("phone")),
            InlineCheckboxes("roles"),
            Row(Column("iin"), Column("nationality"), Column("ownership_pct")),
        )

    def clean(self):
        cleaned = super().clean()
        if "roles" not in cleaned:
            return cleaned
        is_owner = PersonRole.BENEFICIAL_OWNER in cleaned["roles"]
        share = cleaned.get("ownership_pct")
        if is_owner and share is None and "ownership_pct" not in self.errors:
            self.add_error("ownership_pct", _("Enter this beneficial owner's ownership share."))
        elif not is_owner and share is not None:
            self.add_error(
                "ownership_pct",
                _(
                    "Only beneficial owners have an ownership share: tick “Beneficial owner” or leave it empty."
                ),
            )
        return cleaned


class BasePeopleFormSet(forms.BaseInlineFormSet):
    """Checks across people: shares add up, and the regulator has a contact and a signatory."""

    def clean(self):
        super().clean()
        # An edited row whose id is not one of this organisation's people (deleted meanwhile,
        # or a tampered form) would otherwise be dropped without a word.
        if any(form.instance.pk is None for form in self.initial_forms):
            raise ValidationError(
                _(
                    "The list of people changed while you were editing it. Reload the page and make your changes again."
                ),
                code="stale_person",
            )
        if any(self.errors):
            return
        people = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        problems = [*_ownership_problems(people), *_missing_role_problems(people)]
        if problems:
            raise ValidationError(problems)


def _ownership_problems(people: list[dict]) -> list[ValidationError]:
    total = sum(
        (p["ownership_pct"] for p in people if PersonRole.BENEFICIAL_OWNER in p["roles"]),
        Decimal(0),
    )
    if total <= 100:
        return []
    return [
        ValidationError(
            _(
                "The beneficial owners' shares add up to %(total)s%%; together they cannot exceed 100%%."
            ),
            code="ownership_total",
            params={"total": _plain_number(total)},
        )
    ]


def _missing_role_problems(people: list[dict]) -> list[ValidationError]:
    named = {role for person in people for role in person["roles"]}
    problems = []
    if PersonRole.PRIMARY_CONTACT not in named:
        problems.append(
            ValidationError(
                _("Name at least one primary contact: tick “Primary contact” for someone."),
                code="no_primary_contact",
            )
        )
    if PersonRole.AUTHORISED_SIGNATORY not in named:
        problems.append(
            ValidationError(
                _(
                    "Name at least one authorised signatory: tick “Authorised signatory” for someone."
                ),
                code="no_authorised_signatory",
            )
        )
    return problems


def _plain_number(value: Decimal) -> str:
    """120.50 -> "120.5", 120.00 -> "120"."""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


PeopleFormSet = forms.inlineformset_factory(
    Organisation,
    Person,
    form=PersonForm,
    formset=BasePeopleFormSet,
    # Two blank forms let people be added without JavaScript; blank ones are ignored.
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_PEOPLE,
    validate_max=True,
)


class MemberInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We email them a link to join your organisation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("accounts:member-invite")
        self.helper.layout = Layout("email", Submit("invite", _("Send invitation")))


class MemberAdminForm(forms.Form):
    """Grant or take away admin rights: the wanted state, so a repeated POST changes nothing."""

    is_admin = forms.TypedChoiceField(
        choices=[("true", _("Admin")), ("false", _("Member"))],
        coerce=lambda value: value == "true",
    )
