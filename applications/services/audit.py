"""Writing the audit trail: one event per action, chained by hash (DESIGN.md §7)."""

from django.db import transaction
from django.utils import timezone

from applications.enums import EventKind
from applications.models import AuditChainHead, AuditEvent


def record_event(
    *,
    kind: EventKind,
    actor=None,
    application=None,
    organisation=None,
    subject: str = "",
    data: dict | None = None,
    applicant_visible: bool = False,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records.")
    # Locking the head row serialises writers, so the chain has exactly one order.
    AuditChainHead.objects.get_or_create(pk=1)
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    if organisation is None and application is not None:
        organisation = application.organisation
    event = AuditEvent(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        application=application,
        organisation=organisation,
        subject=subject,
        data=data or {},
        applicant_visible=applicant_visible,
        ip_address=ip_address,
        created_at=timezone.now(),
        previous_hash=head.last_hash,
    )
    event.hash = event.content_digest()
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event


def verify_chain() -> list[str]:
    """Problems found in the stored chain: edited rows, removed rows, a head that does not match."""
    problems = []
    previous = "0" * 64
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            problems.append(f"event {event.pk}: the event before it was changed or removed")
        if event.content_digest() != event.hash:
            problems.append(f"event {event.pk}: its content was changed")
        previous = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        problems.append("the newest events were removed")
    return problems
