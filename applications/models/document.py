"""Uploaded files: one slot per application and requirement, each upload a new version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import DocumentCheck
from applications.models.application import Application
from applications.models.programme import DocumentRequirement
from applications.models.stored_file import StoredFile


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Completeness screening: accepted, or to be corrected with a note the applicant sees.
    screening = models.CharField(
        _("screening"),
        max_length=12,
        choices=DocumentCheck.choices,
        default=DocumentCheck.UNCHECKED,
        blank=True,
    )
    screening_note = models.TextField(_("what to correct"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="document_one_slot_per_requirement"
            ),
        ]

    def __str__(self) -> str:
        return str(self.requirement)

    @property
    def awaiting_correction(self) -> bool:
        return self.screening == DocumentCheck.TO_CORRECT


class DocumentVersion(StoredFile):
    """One uploaded file. Never overwritten or deleted once its application is submitted."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"
