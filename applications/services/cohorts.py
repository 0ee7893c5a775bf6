"""Cohorts: created and changed by programme admins, opened and closed by their schedule or by
hand. Each action is one audit event with before/after; the opening and the closing of a cohort
are each recorded once (`opening_recorded_at`, `closing_recorded_at`), whoever gets there first.

Whether a cohort accepts applications is read from its window at the moment of asking
(`Cohort.is_open`), so a cohort opens and closes on time even if the periodic task runs late;
the task only records the moment and tells the reviewer panel (and, on closing, the members of
firms whose draft was not submitted in time).
"""

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, EventKind, NotificationKind
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Cohort, Programme
from applications.services.audit import record_event
from applications.services.notifications import queue_notification
from portal.accounts.models import Role, User

PERMISSION = "applications.manage_programmes"
COHORT_FIELDS = ("name", "zone_tag", "opens_at", "closes_at", "capacity")


def _check(actor) -> None:
    if not actor.has_perm(PERMISSION):
        raise NotAllowed(_("Only programme admins may change programmes and cohorts."))


def _panel(panel_ids) -> list[User]:
    reviewers = list(
        User.objects.filter(pk__in=panel_ids, role=Role.REVIEWER, is_active=True).order_by("pk")
    )
    if len(reviewers) != len(set(panel_ids)):
        raise WorkflowError(_("The panel may only include active reviewers."))
    return reviewers


def _validate_window(fields: dict) -> None:
    closes_at = fields.get("closes_at")
    if closes_at is not None and closes_at <= fields["opens_at"]:
        raise WorkflowError(_("A cohort must close after it opens."))


def _name_taken(programme_id: int, name: str, exclude_pk=None) -> bool:
    return (
        Cohort.objects.filter(programme_id=programme_id, name=name).exclude(pk=exclude_pk).exists()
    )


def create_cohort(*, actor, programme_id: int, fields: dict, panel_ids=()) -> Cohort:
    _check(actor)
    _validate_window(fields)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme_id)
        if _name_taken(programme.pk, fields["name"]):
            raise WorkflowError(_("This programme already has a cohort of that name."))
        panel = _panel(panel_ids)
        cohort = Cohort.objects.create(programme=programme, **fields)
        cohort.panel.set(panel)
        record_event(
            kind=EventKind.COHORT_CREATED,
            actor=actor,
            subject=f"cohort:{cohort.pk}",
            data={"before": None, "after": {**fields, "panel": [user.email for user in panel]}},
        )
    return cohort


def update_cohort(*, actor, cohort_id: int, fields: dict, panel_ids=()) -> list[str]:
    """Change a cohort; returns the names of what changed ("panel" for the panel)."""
    _check(actor)
    _validate_window(fields)
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
        if _name_taken(cohort.programme_id, fields["name"], exclude_pk=cohort.pk):
            raise WorkflowError(_("This programme already has a cohort of that name."))
        panel = _panel(panel_ids)
        before = {name: getattr(cohort, name) for name in COHORT_FIELDS}
        before_panel = sorted(cohort.panel.values_list("email", flat=True))
        after_panel = sorted(user.email for user in panel)
        changed = [name for name in COHORT_FIELDS if before[name] != fields[name]]
        if not changed and before_panel == after_panel:
            return []
        for name in changed:
            setattr(cohort, name, fields[name])
        _reset_recorded_moments(cohort, timezone.now())
        cohort.save(update_fields=[*changed, "opening_recorded_at", "closing_recorded_at"])
        cohort.panel.set(panel)
        data_before = {name: before[name] for name in changed}
        data_after = {name: fields[name] for name in changed}
        if before_panel != after_panel:
            changed.append("panel")
            data_before["panel"], data_after["panel"] = before_panel, after_panel
        record_event(
            kind=EventKind.COHORT_UPDATED,
            actor=actor,
            subject=f"cohort:{cohort.pk}",
            data={"before": data_before, "after": data_after},
        )
    return changed


def _reset_recorded_moments(cohort: Cohort, now) -> None:
    """A window moved into the future opens (or closes) again later, and is recorded again."""
    if cohort.opens_at > now:
        cohort.opening_recorded_at = None
    if cohort.closes_at is None or cohort.closes_at > now:
        cohort.closing_recorded_at = None


def open_cohort_now(*, actor, cohort_id: int, closes_at=None) -> Cohort:
    """Open a cohort at once, until `closes_at` (None: rolling, open until closed by hand)."""
    _check(actor)
    now = timezone.now()
    if closes_at is not None and closes_at <= now:
        raise WorkflowError(_("The new closing time must be in the future."))
    with transaction.atomic():
        cohort = (
            Cohort.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=cohort_id)
        )
        if cohort.is_open(now):
            raise StaleState(_("This cohort is already open."))
        before = {"opens_at": cohort.opens_at, "closes_at": cohort.closes_at}
        cohort.opens_at, cohort.closes_at = now, closes_at
        cohort.opening_recorded_at, cohort.closing_recorded_at = now, None
        cohort.save(
            update_fields=["opens_at", "closes_at", "opening_recorded_at", "closing_recorded_at"]
        )
        after = {"opens_at": now, "closes_at": closes_at}
        _record_moment(cohort, EventKind.COHORT_OPENED, actor, {"before": before, "after": after})
    return cohort


def close_cohort_now(*, actor, cohort_id: int) -> Cohort:
    """Close an open cohort at once: no more submissions from this moment."""
    _check(actor)
    now = timezone.now()
    with transaction.atomic():
        cohort = (
            Cohort.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=cohort_id)
        )
        if not cohort.is_open(now):
            raise StaleState(_("This cohort is not open, so it cannot be closed."))
        before = {"closes_at": cohort.closes_at}
        cohort.closes_at = now
        cohort.closing_recorded_at = now
        cohort.save(update_fields=["closes_at", "closing_recorded_at"])
        data = {"before": before, "after": {"closes_at": now}}
        _record_moment(cohort, EventKind.COHORT_CLOSED, actor, data)
    return cohort


def record_cohort_schedule(*, now=None) -> dict[str, list[int]]:
    """Record every opening and closing that the schedule has reached and nobody recorded yet.
    Run by Celery beat; running it twice records nothing twice."""
    now = now or timezone.now()
    opened = _record_due(
        Cohort.objects.filter(opens_at__lte=now, opening_recorded_at__isnull=True),
        "opening_recorded_at",
        EventKind.COHORT_OPENED,
        now,
    )
    closed = _record_due(
        Cohort.objects.filter(closes_at__lte=now, closing_recorded_at__isnull=True),
        "closing_recorded_at",
        EventKind.COHORT_CLOSED,
        now,
    )
    return {"opened": opened, "closed": closed}


def _record_due(queryset, marker: str, kind: EventKind, now) -> list[int]:
    recorded = []
    for cohort_id in queryset.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            cohort = (
                Cohort.objects.select_for_update(of=("self",))
                .select_related("programme")
                .filter(pk=cohort_id, **{f"{marker}__isnull": True})
                .first()
            )
            if cohort is None:  # recorded meanwhile, by an admin or another run
                continue
            setattr(cohort, marker, now)
            cohort.save(update_fields=[marker])
            data = {"scheduled": True, "opens_at": cohort.opens_at, "closes_at": cohort.closes_at}
            _record_moment(cohort, kind, None, data)
        recorded.append(cohort_id)
    return recorded


def _record_moment(cohort: Cohort, kind: EventKind, actor, data: dict) -> None:
    """One audit event for the opening or closing, and a note to each panel member."""
    record_event(kind=kind, actor=actor, subject=f"cohort:{cohort.pk}", data=data)
    notification = (
        NotificationKind.COHORT_OPENED
        if kind == EventKind.COHORT_OPENED
        else NotificationKind.COHORT_CLOSED
    )
    context = {
        "cohort": cohort.name,
        "programme": cohort.programme.name_en,
        "closes_at": (
            timezone.localtime(cohort.closes_at).strftime("%Y-%m-%d %H:%M")
            if cohort.closes_at
            else ""
        ),
        "submitted": cohort.applications.filter(submitted_at__isnull=False).count(),
        "url": reverse("applications:staff-application-list"),
    }
    for member in cohort.panel.filter(is_active=True).order_by("pk"):
        queue_notification(kind=notification, recipient=member, context=context)
    if kind == EventKind.COHORT_CLOSED:
        _tell_draft_holders(cohort)


def _tell_draft_holders(cohort: Cohort) -> None:
    """Members of firms whose draft missed the closing: it can no longer be submitted here."""
    members = User.objects.filter(is_active=True).order_by("pk")
    drafts = (
        cohort.applications.filter(state=ApplicationState.DRAFT)
        .select_related("organisation")
        .prefetch_related(Prefetch("organisation__members", queryset=members))
        .order_by("pk")
    )
    for draft in drafts:
        context = {
            "title": draft.title,
            "cohort": cohort.name,
            "programme": cohort.programme.name_en,
            "url": reverse("home"),
        }
        for member in draft.organisation.members.all():
            queue_notification(
                kind=NotificationKind.COHORT_CLOSED_DRAFT,
                recipient=member,
                application=draft,
                context=context,
            )
