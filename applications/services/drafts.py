"""Saving draft answers without silently overwriting a co-applicant's work.

Each save records which fields it changed (DraftRevision). A save made from a page loaded at
revision N conflicts only if it would change a field that someone saved after N; changes to other
fields are merged.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import conditions
from applications.exceptions import EditConflict, NotAllowed, WorkflowError
from applications.models import Application, DraftRevision
from applications.steps import ANSWER_FIELDS


def save_draft(*, actor, application_id: int, base_revision: int, answers: dict) -> Application:
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"Not answer fields: {sorted(unknown)}")
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
        if not actor.has_perm("applications.edit_application", application):
            raise NotAllowed(_("You are not allowed to edit this application."))
        changed = {
            name: value for name, value in answers.items() if getattr(application, name) != value
        }
        if not application.is_draft:
            _refuse_locked_fields(application, changed)
        if not changed:
            return application
        _refuse_overwrites(application, base_revision, changed)
        for name, value in changed.items():
            setattr(application, name, value)
        _refuse_inconsistent_limits(application)
        application.revision += 1
        application.save(update_fields=[*changed, "revision", "updated_at"])
        DraftRevision.objects.create(
            application=application,
            number=application.revision,
            fields=sorted(changed),
            saved_by=actor,
        )
    return application


def _refuse_locked_fields(application: Application, changed: dict) -> None:
    """A submitted application changes only where an open request for information unlocks it
    (conditions.unlocked_fields); everything else stays as submitted."""
    unlocked = conditions.unlocked_fields(application)
    if not unlocked:
        raise WorkflowError(_("This application has been submitted and can no longer be edited."))
    locked = sorted(set(changed) - unlocked, key=ANSWER_FIELDS.index)
    if locked:
        names = ", ".join(f"“{application._meta.get_field(name).verbose_name}”" for name in locked)
        raise WorkflowError(
            _(
                "%(fields)s cannot be changed: the regulator's request for information unlocks only the sections it names."
            )
            % {"fields": names}
        )


def _refuse_overwrites(application: Application, base_revision: int, changed: dict) -> None:
    if base_revision >= application.revision:
        return
    later = DraftRevision.objects.filter(
        application=application, number__gt=base_revision
    ).select_related("saved_by")
    touched = {}
    for revision in later:
        for name in revision.fields:
            touched[name] = revision
    clashes = sorted(set(changed) & set(touched), key=ANSWER_FIELDS.index)
    if clashes:
        names = ", ".join(f"“{application._meta.get_field(name).verbose_name}”" for name in clashes)
        who = touched[clashes[0]]
        raise EditConflict(
            _(
                "%(person)s changed %(fields)s at %(time)s, after you opened this page. Your text is kept below: compare it with theirs, then save again."
            )
            % {
                "person": who.saved_by.display_name,
                "fields": names,
                "time": timezone.localtime(who.saved_at).strftime("%H:%M"),
            },
            fields=clashes,
        )


def _refuse_inconsistent_limits(application: Application) -> None:
    """A merge of two people's edits can pair one's aggregate limit with the other's per-client
    limit; refuse it in words rather than let the database constraint fail."""
    per_client, aggregate = application.max_per_client_amount, application.max_aggregate_amount
    if per_client is not None and aggregate is not None and aggregate < per_client:
        raise WorkflowError(
            _(
                "The aggregate limit (%(aggregate)s) would be lower than the limit per client (%(per_client)s), which a co-applicant has just changed. Reload the page and check both limits."
            )
            % {"aggregate": aggregate, "per_client": per_client}
        )
