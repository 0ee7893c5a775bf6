"""What every uploaded file keeps, whichever record it belongs to (an application document's
version or a report's attachment): a random storage key, its checksum and its virus-scan verdict."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import ScanStatus


class StoredFile(models.Model):
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
        abstract = True

    @property
    def virus_scanned(self) -> bool:
        return bool(self.scanned_by)
