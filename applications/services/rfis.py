"""Requests for information: staff ask, the applicant answers, the regulator's clock waits.

Raising one pauses the stage clock and unlocks exactly the steps and documents it names
(conditions.unlocked_steps / replaceable_requirement_ids); answering or cancelling the last open
one resumes the clock. Applicants only ever see "the regulator" as the sender (DESIGN.md §4).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import conditions
from applications.enums import Declaration, EventKind, NotificationKind, RfiState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import (
    Application,
    AuditEvent,
    DocumentRequirement,
    DocumentVersion,
    RequestForInformation,
)
from applications.queries import working_calendar
from applications.services import clocks
from applications.services.audit import record_event
from applications.services.notifications import notify_members, queue_notification
from applications.steps import STEP_BY_SLUG, STEPS


def raise_rfi(
    *,
    actor,
    application_id: int,
    questions: str,
    steps: list[str],
    requirement_ids: list[int],
    ip_address: str | None = None,
) -> RequestForInformation:
    questions = questions.strip()
    if not questions:
        raise WorkflowError(_("Write the questions for the applicant."))
    if any(slug not in STEP_BY_SLUG for slug in steps):
        raise WorkflowError(_("Choose sections of the application form."))
    steps = [step.slug for step in STEPS if step.slug in steps]  # form order, no repeats
    with transaction.atomic():
        application = _lock(application_id)
        if not actor.has_perm("applications.raise_rfi_application", application):
            raise NotAllowed(_("You are not allowed to ask for information on this application."))
        if application.state not in conditions.RFI_STATES:
            raise StaleState(
                _(
                    "Information can be requested only during screening, eligibility or evaluation; this application is now “%(state)s”."
                )
                % {"state": application.get_state_display()}
            )
        requirements = _requirements(application, requirement_ids)
        due_on = working_calendar().add_working_days(
            clocks.today(), application.cohort.programme.rfi_answer_days
        )
        rfi = RequestForInformation.objects.create(
            application=application,
            raised_by=actor,
            questions=questions,
            editable_steps=steps,
            due_on=due_on,
        )
        rfi.editable_requirements.set(requirements)
        _save_clock(application, clocks.pause_clock(application))
        record_event(
            kind=EventKind.RFI_RAISED,
            actor=actor,
            application=application,
            subject=f"rfi:{rfi.pk}",
            data={
                "rfi": rfi.pk,
                "questions": questions,
                "due_on": due_on,
                "steps": steps,
                "requirements": [requirement.code for requirement in requirements],
                # What the unlocked answers said, so the answer can show what changed.
                "answers_before": _answers(application, steps),
            },
            applicant_visible=True,
            ip_address=ip_address,
        )
        _notify_members(application, rfi)
    return rfi


def answer_rfi(
    *, actor, rfi_id: int, answer: str, ip_address: str | None = None
) -> RequestForInformation:
    answer = answer.strip()
    if not answer:
        raise WorkflowError(_("Write your answer to the regulator's questions."))
    with transaction.atomic():
        application, rfi = _lock_open_rfi(rfi_id)
        if not actor.has_perm("applications.answer_rfi_application", application):
            raise NotAllowed(_("You are not allowed to answer this request."))
        if application.state not in conditions.RFI_STATES:
            raise StaleState(
                _("This application is now “%(state)s”; the request can no longer be answered.")
                % {"state": application.get_state_display()}
            )
        rfi.state = RfiState.ANSWERED
        rfi.answer = answer
        rfi.answered_by = actor
        rfi.answered_at = timezone.now()
        rfi.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        _resume_if_last(application)
        record_event(
            kind=EventKind.RFI_ANSWERED,
            actor=actor,
            application=application,
            subject=f"rfi:{rfi.pk}",
            data={
                "rfi": rfi.pk,
                "answer": answer,
                "changed_answers": _changed_answers(application, rfi),
                "documents": _new_versions(application, rfi),
            },
            applicant_visible=True,
            ip_address=ip_address,
        )
        _notify_staff(application)
    return rfi


def cancel_rfi(
    *, actor, rfi_id: int, reason: str, ip_address: str | None = None
) -> RequestForInformation:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Give a reason for cancelling the request."))
    with transaction.atomic():
        application, rfi = _lock_open_rfi(rfi_id)
        if not actor.has_perm("applications.cancel_rfi_application", application):
            raise NotAllowed(_("You are not allowed to cancel this request."))
        rfi.state = RfiState.CANCELLED
        rfi.save(update_fields=["state"])
        _resume_if_last(application)
        record_event(
            kind=EventKind.RFI_CANCELLED,
            actor=actor,
            application=application,
            subject=f"rfi:{rfi.pk}",
            data={"rfi": rfi.pk, "reason": reason},
            applicant_visible=True,
            ip_address=ip_address,
        )
    return rfi


def _lock(application_id: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "organisation")
        .get(pk=application_id)
    )


def _lock_open_rfi(rfi_id: int):
    """The application first, then the request: every service locks in that order."""
    application_id = (
        RequestForInformation.objects.filter(pk=rfi_id)
        .values_list("application_id", flat=True)
        .get()
    )
    application = _lock(application_id)
    rfi = RequestForInformation.objects.select_for_update().get(pk=rfi_id)
    if rfi.state != RfiState.OPEN:
        raise StaleState(
            _("This request for information is already %(state)s. Reload the page.")
            % {"state": rfi.get_state_display().lower()}
        )
    return application, rfi


def _requirements(application, requirement_ids: list[int]) -> list[DocumentRequirement]:
    wanted = set(requirement_ids)
    requirements = list(
        application.cohort.programme.document_requirements.filter(
            pk__in=wanted, stage="application"
        ).order_by("position", "id")
    )
    if len(requirements) != len(wanted):
        raise WorkflowError(_("Choose documents this programme asks for."))
    return requirements


def _save_clock(application: Application, fields: list[str]) -> None:
    if fields:
        application.save(update_fields=[*fields, "updated_at"])


def _resume_if_last(application: Application) -> None:
    if conditions.has_no_open_rfi(application):
        _save_clock(application, clocks.resume_clock(application))


def _answers(application: Application, steps: list[str]) -> dict:
    values = {
        name: getattr(application, name) for slug in steps for name in STEP_BY_SLUG[slug].fields
    }
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _changed_answers(application: Application, rfi: RequestForInformation) -> list[dict]:
    """Answers in the unlocked steps that differ from when the request was raised."""
    raised = (
        AuditEvent.objects.filter(
            application=application, kind=EventKind.RFI_RAISED, subject=f"rfi:{rfi.pk}"
        )
        .values_list("data", flat=True)
        .first()
    ) or {}
    before = raised.get("answers_before", {})
    now = _answers(application, rfi.editable_steps)
    return [
        {"field": name, "before": before.get(name), "after": value}
        for name, value in now.items()
        if before.get(name) != value
    ]


def _new_versions(application: Application, rfi: RequestForInformation) -> list[dict]:
    versions = DocumentVersion.objects.filter(
        document__application=application, uploaded_at__gte=rfi.raised_at
    ).select_related("document__requirement")
    return [
        {
            "requirement": version.document.requirement.code,
            "version": version.number,
            "file": version.original_name,
        }
        for version in versions.order_by("document__requirement__position", "number")
    ]


def _notify_members(application: Application, rfi: RequestForInformation) -> None:
    context = {
        "reference": application.reference,
        "title": application.title,
        "due_on": rfi.due_on,
        "url": reverse("applications:application-detail", kwargs={"pk": application.pk}),
    }
    notify_members(application=application, kind=NotificationKind.RFI_RAISED, context=context)


def _notify_staff(application: Application) -> None:
    """The case officer and the reviewers cleared to work on it. The context names the project
    and its reference only, never the applicant (blind review)."""
    from portal.accounts.models import User

    ids = set(
        application.assignments.filter(declaration=Declaration.NO_CONFLICT).values_list(
            "reviewer_id", flat=True
        )
    )
    if application.case_officer_id:
        ids.add(application.case_officer_id)
    context = {
        "reference": application.reference,
        "title": application.title,
        "url": reverse("applications:staff-application-detail", kwargs={"pk": application.pk}),
    }
    for user in User.objects.filter(pk__in=ids, is_active=True).order_by("pk"):
        queue_notification(
            kind=NotificationKind.RFI_ANSWERED,
            recipient=user,
            application=application,
            context=context,
        )
