"""The person's side of notifications: reading them and choosing how they are emailed."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from applications.models import Notification
from portal.accounts.models import NotificationPreference, User


def mark_read(*, actor: User, notification_id: int) -> bool:
    """Returns whether it was unread. Only the recipient's own notifications are touched."""
    with transaction.atomic():
        changed = Notification.objects.filter(
            pk=notification_id, recipient=actor, read_at__isnull=True
        ).update(read_at=timezone.now())
        if changed:
            User.objects.filter(pk=actor.pk, unread_notifications__gt=0).update(
                unread_notifications=F("unread_notifications") - 1
            )
    return bool(changed)


def mark_all_read(*, actor: User) -> int:
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).update(unread_notifications=0)
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def set_preferences(*, actor: User, choices: dict[str, str]) -> None:
    """`choices` maps a NotificationCategory to a NotificationDelivery."""
    with transaction.atomic():
        for category, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                user=actor, category=category, defaults={"delivery": delivery}
            )
