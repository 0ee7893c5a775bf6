"""Participants' reports (DESIGN.md §3): the schedule, filing, incidents, acceptance, return."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, EventKind, ReportKind, ReportState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application, Participation, Report
from applications.queries import working_calendar
from applications.reporting import report_schedule
from applications.services.audit import record_event

S = ApplicationState
# While these run, the participant reports; the final report only once the exit started.
REPORTING_STATES = (S.TESTING, S.SUSPENDED, S.EXITING)
FIGURES = (
    "active_clients",
    "transactions_count",
    "transactions_volume",
    "complaints",
    "incidents",
    "limit_breaches",
)


@dataclass
class ReportContent:
    active_clients: int | None = None
    transactions_count: int | None = None
    transactions_volume: Decimal | None = None
    complaints: int | None = None
    incidents: int | None = None
    limit_breaches: int | None = None
    narrative: str = ""


def schedule_reports(participation: Participation) -> int:
    """Create the scheduled reports of the whole testing period that do not exist yet, and move
    the end of a still-due last period when the test was extended. Returns how many were added."""
    wanted = report_schedule(participation.starts_on, participation.ends_on, working_calendar())
    existing = {(r.kind, r.period_start): r for r in participation.reports.all()}
    new = []
    for item in wanted:
        report = existing.get((item.kind, item.period_start))
        if report is None:
            new.append(
                Report(
                    participation=participation,
                    kind=item.kind,
                    period_start=item.period_start,
                    period_end=item.period_end,
                    due_on=item.due_on,
                )
            )
        elif report.state == ReportState.DUE and report.period_end != item.period_end:
            report.period_end, report.due_on = item.period_end, item.due_on
            report.save(update_fields=["period_end", "due_on"])
    Report.objects.bulk_create(new)
    return len(new)


def file_report(*, actor, report_id: int, content: ReportContent) -> Report:
    """The participant files a due (or returned) scheduled or final report."""
    with transaction.atomic():
        report = _locked_report(report_id)
        application = report.participation.application
        if not actor.has_perm("applications.report_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        if not report.is_owed:
            raise StaleState(_("This report was already filed. Reload the page."))
        _check_reporting(application, final=report.kind == ReportKind.FINAL)
        _check_period_over(report)
        _fill(report, content, actor)
        report.save()
        record_event(
            kind=EventKind.REPORT_FILED,
            actor=actor,
            application=application,
            subject=f"report:{report.pk}",
            data={"report": report.pk, "kind": report.kind},
            applicant_visible=True,
        )
    return report


def file_incident(*, actor, application_id: int, content: ReportContent) -> Report:
    """An incident report, filed whenever something goes wrong."""
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
        if not actor.has_perm("applications.report_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        _check_reporting(application, final=False)
        report = Report(participation=application.participation, kind=ReportKind.INCIDENT)
        _fill(report, content, actor)
        report.save()
        record_event(
            kind=EventKind.INCIDENT_REPORTED,
            actor=actor,
            application=application,
            subject=f"report:{report.pk}",
            data={"report": report.pk},
            applicant_visible=True,
        )
    return report


def accept_report(*, actor, report_id: int) -> Report:
    return _review(actor, report_id, ReportState.ACCEPTED, EventKind.REPORT_ACCEPTED, "")


def return_report(*, actor, report_id: int, comment: str) -> Report:
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Say what the participant must correct."))
    return _review(actor, report_id, ReportState.RETURNED, EventKind.REPORT_RETURNED, comment)


def _review(actor, report_id: int, state: str, event: EventKind, comment: str) -> Report:
    with transaction.atomic():
        report = _locked_report(report_id)
        application = report.participation.application
        if not actor.has_perm("applications.supervise_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        if report.state != ReportState.FILED:
            raise StaleState(_("This report is not waiting for review. Reload the page."))
        report.state, report.review_comment = state, comment
        report.reviewed_by, report.reviewed_at = actor, timezone.now()
        report.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at"])
        record_event(
            kind=event,
            actor=actor,
            application=application,
            subject=f"report:{report.pk}",
            data={"report": report.pk, "kind": report.kind, "comment": comment},
            applicant_visible=True,
        )
    return report


def _locked_report(report_id: int) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("participation__application__organisation")
        .get(pk=report_id)
    )


def _check_reporting(application: Application, *, final: bool) -> None:
    allowed = (S.EXITING,) if final else REPORTING_STATES
    if application.state not in allowed:
        raise StaleState(
            _("Reports cannot be filed while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _check_period_over(report: Report) -> None:
    """A scheduled report covers a period: it can be filed once that period is over."""
    if report.period_end is not None and report.period_end >= timezone.localdate():
        raise WorkflowError(
            _("This report covers the period to %(date)s: file it once that period is over.")
            % {"date": date_format(report.period_end)}
        )


def _fill(report: Report, content: ReportContent, actor) -> None:
    narrative = content.narrative.strip()
    if not narrative:
        raise WorkflowError(_("Describe the period (or the incident) in the narrative."))
    for name in FIGURES:
        setattr(report, name, getattr(content, name))
    report.narrative = narrative
    report.state = ReportState.FILED
    report.filed_by, report.filed_at = actor, timezone.now()
    report.review_comment = ""
