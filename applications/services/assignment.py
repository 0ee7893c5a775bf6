"""Putting the case officer and reviewers on applications (programme admins).

One application at a time (assign_reviewer, unassign_reviewer, assign_case_officer), each in one
transaction with the application row locked, one audit event and an outbox notification to the
person assigned. Bulk and automatic assignment (services/assignment_plans.py) first plan, then run
each planned pair through assign_reviewer, so every rule below holds for them too.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.enums import (
    ASSIGNABLE_STATES,
    ApplicationState,
    Declaration,
    EventKind,
    NotificationKind,
    ReviewState,
)
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, ReviewerAssignment
from applications.rules import identity_hidden_from
from applications.services.audit import record_event
from applications.services.conflicts import ConflictIndex, conflict_message
from applications.services.notifications import queue_notification
from portal.accounts.models import Role, User


def lock_for_assignment(*, actor, application_id: int) -> Application:
    """The application, locked, once the actor may change who works on it."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "organisation")
        .get(pk=application_id)
    )
    if not actor.has_perm("applications.assign_application", application):
        if actor.role == Role.PROGRAMME_ADMIN and application.state not in ASSIGNABLE_STATES:
            raise WorkflowError(
                _("This application is “%(state)s”: nobody can be assigned to it any more.")
                % {"state": application.get_state_display()}
            )
        raise NotAllowed(_("You are not allowed to do this."))
    return application


def reviewer_refusal(
    application: Application,
    reviewer: User,
    *,
    panel_ids: set[int],
    declarations: dict[int, str],
    conflicts: ConflictIndex,
) -> str:
    """Why this reviewer may not be put on this application ("" when they may). Pure: every
    fact comes in loaded, so plans for many pairs ask the database nothing more."""
    name = reviewer.display_name
    if not reviewer.is_active or reviewer.role != Role.REVIEWER:
        return _("%(name)s is not an active reviewer.") % {"name": name}
    if reviewer.pk not in panel_ids:
        return _("%(name)s is not on the reviewer panel of %(cohort)s.") % {
            "name": name,
            "cohort": application.cohort.name,
        }
    if declarations.get(reviewer.pk) == Declaration.RECUSED:
        return _("%(name)s has recused themselves from this application.") % {"name": name}
    if reviewer.pk in declarations:
        return _("%(name)s is already assigned to this application.") % {"name": name}
    matches = conflicts.matches(reviewer.pk, application.organisation)
    if matches:
        return conflict_message(reviewer, matches)
    return ""


def _facts(application: Application, reviewer: User) -> dict:
    return {
        "panel_ids": set(
            application.cohort.panel.filter(pk=reviewer.pk).values_list("pk", flat=True)
        ),
        "declarations": dict(application.assignments.values_list("reviewer_id", "declaration")),
        "conflicts": ConflictIndex([reviewer.pk], [application.organisation_id]),
    }


def assign_reviewer(*, actor, application_id: int, reviewer_id: int) -> ReviewerAssignment:
    with transaction.atomic():
        application = lock_for_assignment(actor=actor, application_id=application_id)
        reviewer = User.objects.get(pk=reviewer_id)
        refusal = reviewer_refusal(application, reviewer, **_facts(application, reviewer))
        if refusal:
            raise WorkflowError(refusal)
        assignment = ReviewerAssignment.objects.create(
            application=application, reviewer=reviewer, assigned_by=actor
        )
        record_event(
            kind=EventKind.REVIEWER_ASSIGNED,
            actor=actor,
            application=application,
            data={"reviewer": reviewer.pk, "reviewer_email": reviewer.email},
        )
        notify_assigned(application, reviewer, as_case_officer=False)
    return assignment


def unassign_reviewer(*, actor, application_id: int, reviewer_id: int) -> None:
    with transaction.atomic():
        application = lock_for_assignment(actor=actor, application_id=application_id)
        assignment = (
            application.assignments.select_related("reviewer")
            .filter(reviewer_id=reviewer_id)
            .first()
        )
        if assignment is None:
            raise WorkflowError(_("This reviewer is not assigned to this application."))
        name = assignment.reviewer.display_name
        if application.case_officer_id == reviewer_id:
            raise WorkflowError(
                _("%(name)s is the case officer: assign another case officer first.")
                % {"name": name}
            )
        reviews = application.reviews.filter(reviewer_id=reviewer_id)
        if reviews.filter(state=ReviewState.SUBMITTED).exists():
            raise WorkflowError(
                _("%(name)s has submitted a review, which stays part of the record.")
                % {"name": name}
            )
        drafts_deleted, _by_model = reviews.delete()
        assignment.delete()
        record_event(
            kind=EventKind.REVIEWER_UNASSIGNED,
            actor=actor,
            application=application,
            data={
                "reviewer": reviewer_id,
                "reviewer_email": assignment.reviewer.email,
                "declaration": assignment.declaration,
                "draft_review_deleted": bool(drafts_deleted),
            },
        )


def assign_case_officer(*, actor, application_id: int, officer_id: int) -> Application:
    """Make a member of staff the case officer. A reviewer also gets an assignment (so they too
    declare before opening the content). A SUBMITTED application then starts screening."""
    from applications.services.applications import start_screening

    with transaction.atomic():
        application = lock_for_assignment(actor=actor, application_id=application_id)
        officer = User.objects.get(pk=officer_id)
        _check_officer(application, officer)
        previous = application.case_officer_id
        application.case_officer = officer
        application.save(update_fields=["case_officer", "updated_at"])
        record_event(
            kind=EventKind.CASE_OFFICER_ASSIGNED,
            actor=actor,
            application=application,
            data={"from": previous, "to": officer.pk, "officer_email": officer.email},
        )
        if (
            officer.role == Role.REVIEWER
            and not application.assignments.filter(reviewer=officer).exists()
        ):
            ReviewerAssignment.objects.create(
                application=application, reviewer=officer, assigned_by=actor
            )
        notify_assigned(application, officer, as_case_officer=True)
        if application.state == ApplicationState.SUBMITTED:
            application = start_screening(
                actor=actor, application_id=application.pk, case_officer=officer
            )
    return application


def _check_officer(application: Application, officer: User) -> None:
    if not officer.is_active or not officer.is_regulator_staff:
        raise WorkflowError(
            _("The case officer must be an active member of the regulator's staff.")
        )
    if application.case_officer_id == officer.pk:
        raise WorkflowError(
            _("%(name)s is already the case officer.") % {"name": officer.display_name}
        )
    if officer.role != Role.REVIEWER:
        return  # programme admins see every application and sit on no panel
    facts = _facts(application, officer)
    declaration = facts["declarations"].pop(officer.pk, None)  # already a reviewer here: fine
    if declaration == Declaration.RECUSED:
        facts["declarations"][officer.pk] = declaration
    refusal = reviewer_refusal(application, officer, **facts)
    if refusal:
        raise WorkflowError(refusal)


def notify_assigned(application: Application, person: User, *, as_case_officer: bool) -> None:
    """Tell the person assigned. On a blind programme the message names no applicant."""
    context = {
        "reference": application.reference,
        "title": application.title,
        "programme": application.cohort.programme.name_en,
        "cohort": application.cohort.name,
        # Reviewers pass the declaration page first; admins open the staff page directly.
        "url": reverse(
            "applications:reviewer-declaration"
            if person.role == Role.REVIEWER
            else "applications:staff-application-detail",
            args=[application.pk],
        ),
        "as_case_officer": as_case_officer,
        "declare": person.role == Role.REVIEWER,
    }
    if not identity_hidden_from(person, application):
        context["organisation"] = application.organisation.legal_name
    queue_notification(
        kind=NotificationKind.REVIEWER_ASSIGNED,
        recipient=person,
        application=application,
        context=context,
    )
