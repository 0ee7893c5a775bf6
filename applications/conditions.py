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
    for requirement in application.cohort.programme.document_requirements.active():
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


# --- Screening, requests for information and stage moves (issue 4) ---

# States in which staff may ask for information and the applicant may answer.
RFI_STATES = ("screening", "eligibility", "evaluation")


def _open_rfis(application):
    from applications.enums import RfiState

    return application.rfis.filter(state=RfiState.OPEN)


def has_no_open_rfi(application) -> bool:
    return not _open_rfis(application).exists()


def open_rfi_problems(application) -> list[str]:
    if has_no_open_rfi(application):
        return []
    return [
        _(
            "A request for information is still open: wait for the applicant's answer or cancel the request first."
        )
    ]


def unlocked_steps(application) -> set[str]:
    """Slugs of the steps a submitted application's open requests for information let the
    applicant change (a draft is not "unlocked": all of it is editable)."""
    if application.state not in RFI_STATES:
        return set()
    slugs: set[str] = set()
    for steps in _open_rfis(application).values_list("editable_steps", flat=True):
        slugs.update(steps)
    return slugs


def unlocked_fields(application) -> set[str]:
    from applications.steps import STEP_BY_SLUG

    return {
        name
        for slug in unlocked_steps(application)
        if slug in STEP_BY_SLUG
        for name in STEP_BY_SLUG[slug].fields
    }


def replaceable_requirement_ids(application) -> set[int]:
    """Requirements of which a submitted application may get a new version: those an open
    request for information names, and those screening marked to be corrected."""
    from applications.enums import DocumentCheck
    from applications.models import RequestForInformation

    if application.state not in RFI_STATES:
        return set()
    through = RequestForInformation.editable_requirements.through
    named = through.objects.filter(requestforinformation__in=_open_rfis(application)).values_list(
        "documentrequirement_id", flat=True
    )
    to_correct = application.documents.filter(screening=DocumentCheck.TO_CORRECT).values_list(
        "requirement_id", flat=True
    )
    return set(named) | set(to_correct)


def package_problems(application) -> list[str]:
    """What stops screening from accepting the package as complete, in plain words."""
    from applications.enums import DocumentCheck

    latest = latest_versions_by_requirement(application)
    checks = dict(application.documents.values_list("requirement_id", "screening"))
    problems = []
    requirements = application.cohort.programme.document_requirements.filter(
        stage=DocumentStage.APPLICATION
    ).order_by("position", "id")
    for requirement in requirements:
        version, check = latest.get(requirement.pk), checks.get(requirement.pk, "")
        name = {"name": requirement.name}
        if check == DocumentCheck.TO_CORRECT:
            problems.append(_("Document “%(name)s” is marked to be corrected.") % name)
        elif not requirement.mandatory:
            continue
        elif version is None:
            problems.append(_("Document “%(name)s” is not uploaded.") % name)
        elif version.scan_status != ScanStatus.CLEAN:
            problems.append(_("The latest version of “%(name)s” is not clean.") % name)
        elif check != DocumentCheck.ACCEPTED:
            problems.append(_("Document “%(name)s” has not been accepted in screening.") % name)
    return problems + open_rfi_problems(application)


def is_package_complete(application) -> bool:
    return not package_problems(application)


def not_eligible_problems(application) -> list[str]:
    problems = []
    if not application.not_eligible_reasons.strip():
        problems.append(_("Nobody has proposed that this application is not eligible."))
    return problems + open_rfi_problems(application)


def may_confirm_not_eligible(application) -> bool:
    return not not_eligible_problems(application)


def submitted_review_count(application) -> int:
    from applications.enums import ReviewState

    return application.reviews.filter(state=ReviewState.SUBMITTED).count()


def evaluation_problems(application) -> list[str]:
    required = application.cohort.programme.reviews_required
    submitted = submitted_review_count(application)
    problems = []
    if submitted < required:
        problems.append(
            _("%(submitted)s of the %(required)s reviews required have been submitted.")
            % {"submitted": submitted, "required": required}
        )
    return problems + open_rfi_problems(application)


def is_evaluation_complete(application) -> bool:
    return not evaluation_problems(application)


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
