"""The append-only audit trail (DESIGN.md §7).

Each event stores the SHA-256 of its own content and of the event before it, so an edited or
deleted row breaks the chain and `verify_audit_chain` finds it.
"""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState, EventKind

# The events the dashboard walks (queries/dashboard/stages.py): lifecycle moves (their data holds
# the state moved from), requests for information raised and closed, and decision releases. The
# partial index below has this very condition, so the planner can use it for that query.
LIFECYCLE_EVENTS = Q(data__from__in=ApplicationState.values) | Q(
    kind__in=(
        EventKind.RFI_RAISED,
        EventKind.RFI_ANSWERED,
        EventKind.RFI_CANCELLED,
        EventKind.DECISION_RELEASED,
    )
)


class AuditEvent(models.Model):
    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    # What the event is about, when it is not the application itself ("document_version:12").
    subject = models.CharField(max_length=80, blank=True)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    applicant_visible = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["application", "applicant_visible", "id"], name="event_timeline_idx"
            ),
            models.Index(
                fields=["application", "id"],
                condition=LIFECYCLE_EVENTS,
                name="event_lifecycle_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"

    def content_digest(self) -> str:
        content = {
            "kind": self.kind,
            "actor": self.actor_id,
            "application": self.application_id,
            "organisation": self.organisation_id,
            "subject": self.subject,
            "data": self.data,
            "applicant_visible": self.applicant_visible,
            "ip_address": self.ip_address,
            "created_at": self.created_at.isoformat(),
            "previous_hash": self.previous_hash,
        }
        encoded = json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()
        return hashlib.sha256(encoded).hexdigest()


class AuditChainHead(models.Model):
    """A single row locked by every writer so the chain has one order, on every database."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return self.last_hash
