"""Uploaded files: one slot per application and requirement, each upload a new version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import ScanStatus
from applications.models.application import Application
from applications.models.programme import DocumentRequirement


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

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


class DocumentVersion(models.Model):
    """One uploaded file. Never overwritten or deleted once its application is submitted."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # Random, never derived from the user's file name.
    storage_key = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    scan_status = models.CharField(
        _("check"),
        max_length=12,
        choices=ScanStatus.choices,
        default=ScanStatus.PENDING,
        db_index=True,
    )
    # Which scanner cleared it; empty when only the structural checks ran (no virus scanner configured).
    scanned_by = models.CharField(max_length=40, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def virus_scanned(self) -> bool:
        return bool(self.scanned_by)
