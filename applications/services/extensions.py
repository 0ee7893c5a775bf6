"""Extension requests (DESIGN.md §3): the programme sets how many, how long, and how early.

A participant asks while testing; an admin approves (the end of the test moves on and the new
periods are scheduled) or refuses with a note.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import ApplicationState, EventKind, ExtensionState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application, ExtensionRequest
from applications.reporting import add_months
from applications.services.audit import record_event
from applications.services.reports import schedule_reports


def extension_problems(participation, programme, months: int, on: date) -> list[str]:
    """Why an extension of `months` asked on `on` breaks the programme's rules (pure but for
    one count of earlier requests)."""
    problems = []
    used = participation.extension_requests.exclude(state=ExtensionState.REFUSED).count()
    if used >= programme.max_extensions:
        problems.append(
            ngettext(
                "This test has already used the %(count)s extension the programme allows.",
                "This test has already used the %(count)s extensions the programme allows.",
                programme.max_extensions,
            )
            % {"count": programme.max_extensions}
        )
    if not 1 <= months <= programme.max_extension_months:
        problems.append(
            _("An extension may be from 1 to %(months)s months.")
            % {"months": programme.max_extension_months}
        )
    last_day = participation.ends_on - timedelta(days=programme.extension_notice_days)
    if on > last_day:
        problems.append(
            _(
                "An extension must be asked at least %(days)s days before the test ends: "
                "the last day to ask was %(date)s."
            )
            % {"days": programme.extension_notice_days, "date": date_format(last_day)}
        )
    return problems


def request_extension(
    *, actor, application_id: int, months: int, reason: str, on: date | None = None
) -> ExtensionRequest:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Explain why the test needs longer."))
    on = on or timezone.localdate()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort__programme", "organisation")
            .get(pk=application_id)
        )
        if not actor.has_perm("applications.report_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        if application.state != ApplicationState.TESTING:
            raise StaleState(_("An extension can be asked only while testing."))
        participation = application.participation
        if participation.extension_requests.filter(state=ExtensionState.PENDING).exists():
            raise WorkflowError(_("An extension request is already waiting for a decision."))
        problems = extension_problems(participation, application.programme, months, on)
        if problems:
            raise WorkflowError(_("This extension cannot be asked."), problems=problems)
        extension = ExtensionRequest.objects.create(
            participation=participation, months=months, reason=reason, requested_by=actor
        )
        record_event(
            kind=EventKind.EXTENSION_REQUESTED,
            actor=actor,
            application=application,
            subject=f"extension:{extension.pk}",
            data={"extension": extension.pk, "months": months, "reason": reason},
            applicant_visible=True,
        )
    return extension


def decide_extension(*, actor, extension_id: int, approve: bool, note: str) -> ExtensionRequest:
    note = note.strip()
    if not approve and not note:
        raise WorkflowError(_("Give the reason for refusing the extension."))
    with transaction.atomic():
        extension = (
            ExtensionRequest.objects.select_for_update(of=("self",))
            .select_related("participation__application__organisation")
            .get(pk=extension_id)
        )
        participation = extension.participation
        application = participation.application
        if not actor.has_perm("applications.supervise_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        if extension.state != ExtensionState.PENDING:
            raise StaleState(_("This request was already decided. Reload the page."))
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by, extension.decided_at = actor, timezone.now()
        extension.decision_note = note
        extension.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        data = {"extension": extension.pk, "months": extension.months, "note": note}
        if approve:
            before = participation.ends_on
            participation.ends_on = add_months(before + timedelta(days=1), extension.months)
            participation.ends_on -= timedelta(days=1)
            participation.save(update_fields=["ends_on"])
            schedule_reports(participation)
            data |= {
                "ends_on_before": before.isoformat(),
                "ends_on": participation.ends_on.isoformat(),
            }
        record_event(
            kind=EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED,
            actor=actor,
            application=application,
            subject=f"extension:{extension.pk}",
            data=data,
            applicant_visible=True,
        )
    return extension
