"""A sandbox scheme: its criteria, the documents it asks for and its deadlines (DESIGN.md §3)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import DocumentStage, IntakeMode
from portal.i18n import localized


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    regulator = models.CharField(_("regulator"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    intake_mode = models.CharField(
        _("intake"), max_length=10, choices=IntakeMode.choices, default=IntakeMode.COHORT
    )
    blind_review = models.BooleanField(_("blind review"), default=False)
    reviews_required = models.PositiveSmallIntegerField(
        _("reviews required before a decision"), default=2
    )
    # Stage clocks in working days on the Kazakh calendar.
    screening_days = models.PositiveSmallIntegerField(
        _("completeness screening (working days)"), default=5
    )
    rfi_answer_days = models.PositiveSmallIntegerField(
        _("answer to a request for information (working days)"), default=10
    )
    eligibility_days = models.PositiveSmallIntegerField(
        _("eligibility assessment (working days)"), default=15
    )
    evaluation_days = models.PositiveSmallIntegerField(_("evaluation (working days)"), default=21)
    decision_days = models.PositiveSmallIntegerField(_("decision (working days)"), default=15)
    notify_days = models.PositiveSmallIntegerField(
        _("notify the applicant (working days)"), default=3
    )
    default_test_months = models.PositiveSmallIntegerField(
        _("default testing period (months)"), default=12
    )
    max_test_months = models.PositiveSmallIntegerField(
        _("longest testing period (months)"), default=24
    )
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=1)
    max_extension_months = models.PositiveSmallIntegerField(
        _("longest extension (months)"), default=6
    )
    extension_notice_days = models.PositiveSmallIntegerField(
        _("extension asked at least (days before the end)"), default=60
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class VersionedRowQuerySet(models.QuerySet):
    def active(self):
        """Rows in force: not retired by a later change."""
        return self.filter(retired_at__isnull=True)


class Criterion(models.Model):
    """A published evaluation criterion; gate criteria must be met whatever the score."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_ru = models.TextField(_("guidance (Russian)"), blank=True)
    guidance_kk = models.TextField(_("guidance (Kazakh)"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=10, validators=[MaxValueValidator(100)]
    )
    is_gate = models.BooleanField(_("gate criterion"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Once an application was submitted under this row it is never edited: a change retires it
    # and adds a new row (services/programmes.py), so old reviews read what they scored.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = VersionedRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=Q(retired_at__isnull=True),
                name="criterion_code_unique_in_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def guidance(self) -> str:
        return localized(self, "guidance")


class DocumentRequirement(models.Model):
    """One document a programme asks for. Its limits are the single source for every check."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="document_requirements"
    )
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    help_ru = models.TextField(_("help (Russian)"), blank=True)
    help_kk = models.TextField(_("help (Kazakh)"), blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=DocumentStage.choices, default=DocumentStage.APPLICATION
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)
    # Comma-separated, lower case, without dots: "pdf,docx".
    allowed_extensions = models.CharField(_("allowed file types"), max_length=100, default="pdf")
    max_size_mb = models.PositiveSmallIntegerField(
        _("size limit (MB)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # As for criteria: retired, never edited, once an application was submitted under it.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = VersionedRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=Q(retired_at__isnull=True),
                name="requirement_code_unique_in_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def help_text(self) -> str:
        return localized(self, "help")

    @property
    def extensions(self) -> list[str]:
        return [
            ext.strip().lower().lstrip(".")
            for ext in self.allowed_extensions.split(",")
            if ext.strip()
        ]

    @property
    def max_size_bytes(self) -> int:
        return self.max_size_mb * 1024 * 1024
