"""Notifications are rows first, written with the change that caused them (DESIGN.md §6)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import NotificationDelivery, NotificationKind, NotificationState


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # For people without an account yet (an invitation).
    recipient_email = models.EmailField()
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    language = models.CharField(max_length=5)
    context = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    channel = models.CharField(max_length=10, default="email", editable=False)
    # Decided when the row is written, from the kind and the recipient's preferences.
    delivery = models.CharField(
        max_length=10, choices=NotificationDelivery.choices, default=NotificationDelivery.IMMEDIATE
    )
    # Site-relative path of the page the notification is about (notification_kinds.link_for).
    link = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A pending row not sent by then is queued again by the sweeper; a failed send pushes it later.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it; a row SENDING for longer than the lease is taken back.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The daily digest that carried this row, for rows delivered by digest.
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="notification_outbox_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["state", "next_attempt_at"], name="notification_sweep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_email}"


class ReminderLog(models.Model):
    """One row per reminder sent: the unique key makes a repeated beat run insert nothing."""

    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    # What the reminder is about, as "<label>:<pk>" (e.g. "application:42", "rfi:7").
    subject = models.CharField(max_length=80)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField()
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient", "due_date"],
                name="reminder_once_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} → {self.recipient_id} ({self.due_date})"
