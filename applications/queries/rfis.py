"""Reads for requests for information: the thread on both faces, open and overdue ones.

Overdue means open with its answer date passed (`due_on < today`). Queues use
`with_rfi_flags` (two EXISTS subqueries, no extra rows) and `overdue_rfis`.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from applications.enums import EventKind, RfiState
from applications.models import AuditEvent, DocumentRequirement, RequestForInformation
from applications.steps import STEP_BY_SLUG

RFI_EVENTS = (EventKind.RFI_RAISED, EventKind.RFI_ANSWERED, EventKind.RFI_CANCELLED)


def open_rfis() -> QuerySet[RequestForInformation]:
    return RequestForInformation.objects.filter(state=RfiState.OPEN)


def overdue_rfis(today: date | None = None) -> QuerySet[RequestForInformation]:
    """Open requests whose answer date has passed."""
    return open_rfis().filter(due_on__lt=today or timezone.localdate())


def is_overdue(rfi: RequestForInformation, today: date | None = None) -> bool:
    return rfi.state == RfiState.OPEN and rfi.due_on < (today or timezone.localdate())


def with_rfi_flags(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Annotate applications with `has_open_rfi` and `rfi_overdue` (for queue filters and rows)."""
    mine = OuterRef("pk")
    return queryset.annotate(
        has_open_rfi=Exists(open_rfis().filter(application_id=mine)),
        rfi_overdue=Exists(overdue_rfis(today).filter(application_id=mine)),
    )


def rfi_thread(application, today: date | None = None) -> list[RequestForInformation]:
    """Every request of an application, oldest first, each with `steps` (titles), its documents,
    `overdue`, and from the audit trail `changes` (answers before → after, new document
    versions) and `cancel_reason`. At most four queries whatever the number of requests."""
    rfis = list(
        application.rfis.select_related("raised_by")
        .prefetch_related(
            Prefetch(
                "editable_requirements",
                queryset=DocumentRequirement.objects.order_by("position", "id"),
            )
        )
        .order_by("raised_at", "id")
    )
    events = _events_by_rfi(application) if rfis else {}
    requirements = (
        DocumentRequirement.objects.filter(programme_id=application.cohort.programme_id)
        if events
        else []
    )
    names = {requirement.code: requirement.name for requirement in requirements}
    labels = {field.name: field.verbose_name for field in application._meta.fields}
    for rfi in rfis:
        rfi.steps = [
            STEP_BY_SLUG[slug].title for slug in rfi.editable_steps if slug in STEP_BY_SLUG
        ]
        rfi.overdue = is_overdue(rfi, today)
        answered = events.get((rfi.pk, EventKind.RFI_ANSWERED), {})
        rfi.changed_answers = [
            {**change, "label": labels.get(change["field"], change["field"])}
            for change in answered.get("changed_answers", [])
        ]
        rfi.new_documents = [
            {**document, "name": names.get(document["requirement"], document["requirement"])}
            for document in answered.get("documents", [])
        ]
        rfi.cancel_reason = events.get((rfi.pk, EventKind.RFI_CANCELLED), {}).get("reason", "")
    return rfis


def _events_by_rfi(application) -> dict:
    rows = AuditEvent.objects.filter(application=application, kind__in=RFI_EVENTS).values_list(
        "kind", "data"
    )
    return {(data.get("rfi"), kind): data for kind, data in rows}
