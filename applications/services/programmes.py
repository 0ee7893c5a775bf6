"""Programme settings, criteria and document requirements, changed by programme admins.

Every change is one audit event with what was before and what is after (DESIGN.md §7). A
criterion or requirement row that a submitted application's programme version names is never
edited or deleted: the change retires it (`retired_at`) and adds a new row, so what an application
was judged against stays as it was. Rows no version names yet are edited in place.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Criterion, DocumentRequirement, Programme, ProgrammeVersion
from applications.models.programme_version import settings_of
from applications.services.audit import record_event

PERMISSION = "applications.manage_programmes"
CRITERION_FIELDS = (
    "code", "name_en", "name_ru", "name_kk", "guidance_en", "guidance_ru", "guidance_kk",
    "weight", "is_gate", "position",
)  # fmt: skip
REQUIREMENT_FIELDS = (
    "code", "name_en", "name_ru", "name_kk", "help_en", "help_ru", "help_kk", "stage",
    "mandatory", "allowed_extensions", "max_size_mb", "position",
)  # fmt: skip


def _check(actor) -> None:
    if not actor.has_perm(PERMISSION):
        raise NotAllowed(_("Only programme admins may change programmes and cohorts."))


def create_programme(*, actor, fields: dict) -> Programme:
    _check(actor)
    with transaction.atomic():
        if Programme.objects.filter(code=fields["code"]).exists():
            raise WorkflowError(_("Another programme already uses this code."))
        programme = Programme.objects.create(**fields)
        record_event(
            kind=EventKind.PROGRAMME_CREATED,
            actor=actor,
            subject=f"programme:{programme.pk}",
            data={"before": None, "after": fields},
        )
    return programme


def update_programme(*, actor, programme_id: int, fields: dict) -> list[str]:
    """Change the programme's settings; returns the names of the fields that changed."""
    _check(actor)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme_id)
        changed = [name for name, value in fields.items() if getattr(programme, name) != value]
        if not changed:
            return []
        if (
            "code" in changed
            and Programme.objects.filter(code=fields["code"]).exclude(pk=programme_id).exists()
        ):
            raise WorkflowError(_("Another programme already uses this code."))
        before = {name: getattr(programme, name) for name in changed}
        for name in changed:
            setattr(programme, name, fields[name])
        programme.save(update_fields=changed)
        record_event(
            kind=EventKind.PROGRAMME_UPDATED,
            actor=actor,
            subject=f"programme:{programme.pk}",
            data={"before": before, "after": {name: fields[name] for name in changed}},
        )
    return changed


def save_criteria(*, actor, programme_id: int, rows: Iterable[dict]) -> int:
    """Apply a whole criteria form: each row {"id": pk or None, "delete": bool, fields...}.
    Returns how many criteria changed (0: nothing to record)."""
    return _save_rows(
        actor=actor,
        programme_id=programme_id,
        rows=rows,
        model=Criterion,
        field_names=CRITERION_FIELDS,
        event=EventKind.CRITERIA_CHANGED,
    )


def save_requirements(*, actor, programme_id: int, rows: Iterable[dict]) -> int:
    """As save_criteria, for the document requirements."""
    return _save_rows(
        actor=actor,
        programme_id=programme_id,
        rows=rows,
        model=DocumentRequirement,
        field_names=REQUIREMENT_FIELDS,
        event=EventKind.REQUIREMENTS_CHANGED,
    )


def _save_rows(*, actor, programme_id, rows, model, field_names, event) -> int:
    _check(actor)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme_id)
        active = {row.pk: row for row in model.objects.filter(programme=programme).active()}
        used = set(
            model.objects.filter(pk__in=active, versions__isnull=False).values_list("pk", flat=True)
        )
        plan = _plan(rows, active, field_names)
        now = timezone.now()
        try:
            with transaction.atomic():
                _apply(plan, model, programme, used, now)
        except IntegrityError:
            raise WorkflowError(
                _("Two rows would have the same code. Give each row its own code.")
            ) from None
        if plan:
            record_event(
                kind=event,
                actor=actor,
                subject=f"programme:{programme.pk}",
                data={"changes": [change["audit"] for change in plan]},
            )
    return len(plan)


def _plan(rows, active: dict, field_names) -> list[dict]:
    """What to do with each row: delete, change or add; rows left as they were drop out."""
    plan = []
    for row in rows:
        pk = row.get("id")
        values = {name: row[name] for name in field_names}
        if pk is None:
            if not row.get("delete"):
                plan.append({"action": "add", "values": values, "audit": _audit(None, values)})
            continue
        if pk not in active:
            raise WorkflowError(_("A row was changed by someone else; reload the page."))
        before = {name: getattr(active[pk], name) for name in field_names}
        if row.get("delete"):
            plan.append({"action": "delete", "pk": pk, "audit": _audit(before, None)})
        elif before != values:
            plan.append(
                {"action": "change", "pk": pk, "values": values, "audit": _audit(before, values)}
            )
    return plan


def _audit(before: dict | None, after: dict | None) -> dict:
    code = (after or before or {}).get("code")
    return {"code": code, "before": before, "after": after}


def _apply(plan: list[dict], model, programme, used: set, now) -> None:
    """Retire or delete first, then edit, then add, so codes can move between rows."""
    order = {"delete": 0, "change": 1, "add": 2}
    for step in sorted(plan, key=lambda item: order[item["action"]]):
        pk = step.get("pk")
        if step["action"] == "delete":
            if pk in used:
                model.objects.filter(pk=pk).update(retired_at=now)
            else:
                model.objects.filter(pk=pk).delete()
        elif step["action"] == "change" and pk not in used:
            model.objects.filter(pk=pk).update(**step["values"])
        elif step["action"] == "change":
            model.objects.filter(pk=pk).update(retired_at=now)
            model.objects.create(programme=programme, **step["values"])
        else:
            model.objects.create(programme=programme, **step["values"])


def version_for_submission(*, programme_id: int) -> ProgrammeVersion:
    """The version an application submitted now is judged under: the newest one when it still
    names exactly the programme's rows and settings in force, else a new one. Locks the
    programme row, so an admin's change and a submission never interleave."""
    programme = Programme.objects.select_for_update().get(pk=programme_id)
    criteria = set(
        Criterion.objects.filter(programme=programme).active().values_list("pk", flat=True)
    )
    requirements = set(
        DocumentRequirement.objects.filter(programme=programme)
        .active()
        .values_list("pk", flat=True)
    )
    current_settings = settings_of(programme)
    latest = programme.versions.order_by("-number").first()
    if (
        latest is not None
        and latest.settings == current_settings
        and set(latest.criteria.values_list("pk", flat=True)) == criteria
        and set(latest.requirements.values_list("pk", flat=True)) == requirements
    ):
        return latest
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=latest.number + 1 if latest else 1,
        settings=current_settings,
    )
    version.criteria.set(criteria)
    version.requirements.set(requirements)
    return version
