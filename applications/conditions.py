"""Pure guards for lifecycle moves: they read, never write (CONVENTIONS.md).

`submission_problems` lists, in plain words, everything that stops a draft from being submitted;
the submit transition is allowed exactly when that list is empty.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import DocumentStage, ScanStatus
from applications.steps import STEPS


def cohort_is_open(application) -> bool:
    return application.cohort.is_open(timezone.now())


def missing_answers(application) -> list[str]:
    problems = []
    for step in STEPS:
        for name in step.missing(application):
            label = application._meta.get_field(name).verbose_name
            problems.append(
                _("%(step)s: “%(field)s” is not answered.") % {"step": step.title, "field": label}
            )
    return problems


def document_problems(application) -> list[str]:
    """Mandatory application documents that are missing or whose latest version is not clean."""
    latest = latest_versions_by_requirement(application)
    problems = []
    for requirement in application.cohort.programme.document_requirements.all():
        if requirement.stage != DocumentStage.APPLICATION:
            continue
        version = latest.get(requirement.pk)
        if version is None:
            if requirement.mandatory:
                problems.append(
                    _("Document “%(name)s” is not uploaded.") % {"name": requirement.name}
                )
        elif version.scan_status == ScanStatus.PENDING:
            problems.append(
                _("Document “%(name)s” is still being checked; try again in a minute.")
                % {"name": requirement.name}
            )
        elif version.scan_status == ScanStatus.QUARANTINED:
            problems.append(
                _("Document “%(name)s” failed the security check; upload a clean file.")
                % {"name": requirement.name}
            )
    return problems


def latest_versions_by_requirement(application) -> dict:
    """{requirement id: newest DocumentVersion} for an application, in one query."""
    from applications.models import DocumentVersion

    latest = {}
    versions = DocumentVersion.objects.filter(document__application=application).select_related(
        "document"
    )
    for version in versions.order_by("document_id", "-number"):
        latest.setdefault(version.document.requirement_id, version)
    return latest


def submission_problems(application) -> list[str]:
    problems = []
    if not cohort_is_open(application):
        problems.append(
            _("The cohort “%(cohort)s” is not open for applications.")
            % {"cohort": application.cohort.name}
        )
    problems += missing_answers(application)
    problems += document_problems(application)
    if application.declarations_accepted_at is None:
        problems.append(_("The declarations have not been accepted."))
    return problems


def is_ready_to_submit(application) -> bool:
    return not submission_problems(application)


def has_case_officer(application) -> bool:
    return application.case_officer_id is not None


# --- Decisions, onboarding and exit (services/decisions.py, services/participations.py) ---


def decision_released(application) -> bool:
    """The applicant has been told the outcome (the batch was released)."""
    return application.decision_released_at is not None


def onboarding_problems(application) -> list[str]:
    """Pre-commencement conditions not yet confirmed (one query)."""
    from applications.models import OnboardingCondition

    pending = OnboardingCondition.objects.filter(
        participation__application=application, met_at__isnull=True
    ).order_by("position", "id")
    return [
        _("Not yet met: %(condition)s") % {"condition": condition.text} for condition in pending
    ]


def onboarding_complete(application) -> bool:
    from applications.models import OnboardingCondition

    conditions = OnboardingCondition.objects.filter(participation__application=application)
    return conditions.exists() and not conditions.filter(met_at__isnull=True).exists()


def final_report_accepted(application) -> bool:
    from applications.enums import ReportKind, ReportState
    from applications.models import Report

    return Report.objects.filter(
        participation__application=application,
        kind=ReportKind.FINAL,
        state=ReportState.ACCEPTED,
    ).exists()
