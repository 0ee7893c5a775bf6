"""Programme admin console: a programme's settings, its criteria and its document requirements.

Criteria and requirements are edited as formsets of the rows in force; the view hands the rows to
services/programmes.py, which decides per row whether it may be edited or must be retired.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applications.models import Criterion, DocumentRequirement, Programme
from applications.validators import CONTENT_TYPES

DEADLINE_FIELDS = (
    "screening_days", "rfi_answer_days", "eligibility_days", "evaluation_days", "decision_days",
    "notify_days",
)  # fmt: skip
TESTING_FIELDS = (
    "default_test_months", "max_test_months", "max_extensions", "max_extension_months",
    "extension_notice_days",
)  # fmt: skip
# DESIGN.md §3: a test lasts at most 24 months; at most one extension of at most 6 months.
LONGEST_TEST_MONTHS = 24
LONGEST_EXTENSION_MONTHS = 6
LONGEST_CLOCK_DAYS = 250


def _row(*names):
    return Row(*(Column(name, css_class="col-md") for name in names))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = (
            "code", "name_en", "name_ru", "name_kk", "regulator", "legal_basis",
            "description_en", "description_ru", "description_kk", "intake_mode", "blind_review",
            "reviews_required", *DEADLINE_FIELDS, *TESTING_FIELDS,
        )  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description_en", "description_ru", "description_kk")
        }
        help_texts = {
            "code": _("Short, lower case, used in links: for example nbk-da-2026."),
            "blind_review": _("Reviewers do not see who the applicant is."),
            "reviews_required": _(
                "Submitted reviews needed before an application goes to decision."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DEADLINE_FIELDS:
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs.update(min=1, max=LONGEST_CLOCK_DAYS)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Fieldset(_("Programme"), _row("code", "regulator"), _row("name_en", "name_ru", "name_kk"), "legal_basis"),
            Fieldset(_("Description"), "description_en", "description_ru", "description_kk"),
            Fieldset(_("Review"), _row("intake_mode", "reviews_required"), "blind_review"),
            Fieldset(_("Deadlines (working days)"), _row(*DEADLINE_FIELDS[:3]), _row(*DEADLINE_FIELDS[3:])),
            Fieldset(_("Testing"), _row(*TESTING_FIELDS[:2]), _row(*TESTING_FIELDS[2:])),
            Submit("save", _("Save programme")),
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        errors = {}
        for name in DEADLINE_FIELDS:
            if data.get(name) is not None and not 1 <= data[name] <= LONGEST_CLOCK_DAYS:
                errors[name] = _("Between 1 and %(max)s working days.") % {
                    "max": LONGEST_CLOCK_DAYS
                }
        reviews = data.get("reviews_required")
        if reviews is not None and not 1 <= reviews <= 10:
            errors["reviews_required"] = _("Between 1 and 10 reviews.")
        default, longest = data.get("default_test_months"), data.get("max_test_months")
        if longest is not None and not 1 <= longest <= LONGEST_TEST_MONTHS:
            errors["max_test_months"] = _("At most %(max)s months.") % {"max": LONGEST_TEST_MONTHS}
        if default is not None and not 1 <= default <= (longest or LONGEST_TEST_MONTHS):
            errors["default_test_months"] = _("Between 1 month and the longest testing period.")
        if (data.get("max_extensions") or 0) > 1:
            errors["max_extensions"] = _("At most one extension.")
        extension = data.get("max_extension_months")
        if extension is not None and extension > LONGEST_EXTENSION_MONTHS:
            errors["max_extension_months"] = _("At most %(max)s months.") % {
                "max": LONGEST_EXTENSION_MONTHS
            }
        if errors:
            raise ValidationError(errors)
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = (
            "code", "weight", "is_gate", "position", "name_en", "name_ru", "name_kk",
            "guidance_en", "guidance_ru", "guidance_kk",
        )  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("guidance_en", "guidance_ru", "guidance_kk")
        }
        help_texts = {"is_gate": _("Must be met whatever the score.")}

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class RequirementForm(forms.ModelForm):
    class Meta:
        model = DocumentRequirement
        fields = (
            "code", "stage", "mandatory", "position", "allowed_extensions", "max_size_mb",
            "name_en", "name_ru", "name_kk", "help_en", "help_ru", "help_kk",
        )  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("help_en", "help_ru", "help_kk")
        }
        help_texts = {
            "allowed_extensions": format_lazy(
                _("Comma-separated, from: {types}."), types=", ".join(CONTENT_TYPES)
            ),
        }

    def clean_code(self):
        return self.cleaned_data["code"].lower()

    def clean_allowed_extensions(self):
        raw = self.cleaned_data["allowed_extensions"]
        extensions = [part.strip().lower().lstrip(".") for part in re.split(r"[,\s]+", raw)]
        extensions = list(dict.fromkeys(ext for ext in extensions if ext))
        unknown = [ext for ext in extensions if ext not in CONTENT_TYPES]
        if unknown:
            raise ValidationError(
                _("The portal cannot check these file types: %(types)s. Choose from %(known)s.")
                % {"types": ", ".join(unknown), "known": ", ".join(CONTENT_TYPES)}
            )
        if not extensions:
            raise ValidationError(_("Name at least one file type."))
        return ",".join(extensions)


def _row_helper(*rows) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*rows, Field("DELETE", wrapper_class="text-danger"))
    return helper


CRITERION_HELPER = _row_helper(
    _row("code", "weight", "position"),
    "is_gate",
    _row("name_en", "name_ru", "name_kk"),
    _row("guidance_en", "guidance_ru", "guidance_kk"),
)
REQUIREMENT_HELPER = _row_helper(
    _row("code", "stage", "position"),
    _row("allowed_extensions", "max_size_mb"),
    "mandatory",
    _row("name_en", "name_ru", "name_kk"),
    _row("help_en", "help_ru", "help_kk"),
)


class RowsFormSet(forms.BaseModelFormSet):
    """Rows of one programme: codes unique among the rows kept."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            code = form.cleaned_data["code"]
            if code in seen:
                raise ValidationError(_("Two rows have the code “%(code)s”.") % {"code": code})
            seen.add(code)

    def kept_forms(self):
        deleted = set(self.deleted_forms)
        return [
            form
            for form in self.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]

    def rows(self) -> list[dict]:
        """Every row the service must look at: kept, changed or deleted."""
        deleted = set(self.deleted_forms)
        rows = []
        for form in self.forms:
            if form.instance.pk is None and (form in deleted or not form.has_changed()):
                continue
            values = {name: form.cleaned_data.get(name) for name in form._meta.fields}
            rows.append({"id": form.instance.pk, "delete": form in deleted, **values})
        return rows


class CriteriaFormSet(RowsFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        scored = [form for form in kept if not form.cleaned_data["is_gate"]]
        if scored and not sum(form.cleaned_data["weight"] for form in scored):
            raise ValidationError(_("The scored criteria need weights that add up to more than 0."))


def criteria_formset(*args, **kwargs):
    factory = forms.modelformset_factory(
        Criterion, form=CriterionForm, formset=CriteriaFormSet, extra=1, can_delete=True
    )
    return factory(*args, **kwargs)


def requirements_formset(*args, **kwargs):
    factory = forms.modelformset_factory(
        DocumentRequirement, form=RequirementForm, formset=RowsFormSet, extra=1, can_delete=True
    )
    return factory(*args, **kwargs)
