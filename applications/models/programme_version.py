"""What an application was submitted under: a numbered version of its programme.

A version names the exact criterion and document-requirement rows in force, plus a copy of the
programme's settings. Rows a version names are never edited afterwards (services/programmes.py
retires them and adds new rows instead), so reviews and decisions on an application read the
criteria it was submitted under through `queries.programmes.criteria_for(application)`.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

# The programme settings a version keeps a copy of (deadlines, review rules, testing terms).
VERSIONED_SETTINGS = (
    "intake_mode",
    "blind_review",
    "reviews_required",
    "screening_days",
    "rfi_answer_days",
    "eligibility_days",
    "evaluation_days",
    "decision_days",
    "notify_days",
    "default_test_months",
    "max_test_months",
    "max_extensions",
    "max_extension_months",
    "extension_notice_days",
)


class ProgrammeVersion(models.Model):
    programme = models.ForeignKey(
        "applications.Programme", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(auto_now_add=True)
    criteria = models.ManyToManyField(
        "applications.Criterion", related_name="versions", verbose_name=_("criteria")
    )
    requirements = models.ManyToManyField(
        "applications.DocumentRequirement",
        related_name="versions",
        verbose_name=_("document requirements"),
    )
    settings = models.JSONField(_("settings"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="programme_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} v{self.number}"


def settings_of(programme) -> dict:
    return {name: getattr(programme, name) for name in VERSIONED_SETTINGS}
