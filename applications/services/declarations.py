"""A reviewer's declaration on an assignment: no conflict of interest, or recusal with a reason.

Until they declare no conflict they see only the queue row; a recusal takes the application out of
everything they can open at once (queries.applications_visible_to filters on the declaration).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Declaration, EventKind, ReviewState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import ReviewerAssignment
from applications.rules import identity_hidden_from
from applications.services.audit import record_event
from applications.services.conflicts import ConflictIndex


def _lock_assignment(actor, application_id: int, *, declarable: tuple) -> ReviewerAssignment:
    assignment = (
        ReviewerAssignment.objects.select_for_update(of=("self",))
        .select_related("application__cohort__programme", "application__organisation")
        .filter(application_id=application_id, reviewer=actor)
        .first()
    )
    if assignment is None or not actor.is_active:
        raise NotAllowed(_("You are not assigned to this application."))
    if assignment.declaration not in declarable:
        raise StaleState(
            _("You have already declared on this application: %(declaration)s.")
            % {"declaration": assignment.get_declaration_display()}
        )
    return assignment


def declare_no_conflict(*, actor, application_id: int) -> ReviewerAssignment:
    with transaction.atomic():
        assignment = _lock_assignment(actor, application_id, declarable=(Declaration.PENDING,))
        application = assignment.application
        matches = ConflictIndex([actor.pk], [application.organisation_id]).matches(
            actor.pk, application.organisation
        )
        if matches:
            if identity_hidden_from(actor, application):
                # Naming the line would name the applicant of a blind review.
                raise WorkflowError(
                    _("A line of your conflict register matches this application: recuse instead.")
                )
            raise WorkflowError(
                _("Your conflict register names %(what)s: recuse instead.")
                % {"what": ", ".join(match.reason for match in matches)}
            )
        assignment.declaration = Declaration.NO_CONFLICT
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["declaration", "declared_at"])
        record_event(
            kind=EventKind.CONFLICT_DECLARED,
            actor=actor,
            application=application,
            data={"reviewer": actor.pk},
        )
    return assignment


def recuse(*, actor, application_id: int, reason: str) -> ReviewerAssignment:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Please give a reason for recusing yourself."))
    with transaction.atomic():
        # A conflict may come to light after declaring none: recusing is possible until the
        # reviewer's own review is submitted (a submitted review stays part of the record).
        assignment = _lock_assignment(
            actor, application_id, declarable=(Declaration.PENDING, Declaration.NO_CONFLICT)
        )
        if assignment.application.reviews.filter(
            reviewer=actor, state=ReviewState.SUBMITTED
        ).exists():
            raise WorkflowError(
                _("Your review is submitted: ask a programme admin to record the conflict.")
            )
        assignment.declaration = Declaration.RECUSED
        assignment.declared_at = timezone.now()
        assignment.recusal_reason = reason
        assignment.save(update_fields=["declaration", "declared_at", "recusal_reason"])
        record_event(
            kind=EventKind.REVIEWER_RECUSED,
            actor=actor,
            application=assignment.application,
            data={"reviewer": actor.pk, "reason": reason},
        )
    return assignment
