"""Context for the staff page's assignment, reviews and notes sections (one call from the view)."""

from applications.enums import ASSIGNABLE_STATES, ReviewState
from applications.forms.assignment import CaseOfficerForm, ReviewerAssignForm
from applications.forms.reviews import NoteForm
from applications.models import InternalNote
from applications.queries import assignment as assignment_queries
from applications.queries import reviews as review_queries
from applications.rules import identity_hidden_from
from portal.accounts.models import Role


def workspace_sections(user, application) -> dict:
    return {
        "identity_hidden": identity_hidden_from(user, application),
        "assignment": _assignment(user, application),
        "reviews_section": _reviews(user, application),
        "notes_section": _notes(user, application),
    }


def _assignment(user, application) -> dict | None:
    if user.role != Role.PROGRAMME_ADMIN:
        return None
    assignments = assignment_queries.assignments_of(application)
    taken = {assignment.reviewer_id for assignment in assignments}
    panel = [
        person
        for person in assignment_queries.panel_of(application.cohort_id)
        if person.pk not in taken
    ]
    editable = application.state in ASSIGNABLE_STATES
    return {
        "assignments": assignments,
        "editable": editable,
        "reviewer_form": ReviewerAssignForm(candidates=panel) if editable and panel else None,
        "officer_form": CaseOfficerForm(
            candidates=assignment_queries.case_officer_candidates(application.cohort_id)
        )
        if editable
        else None,
    }


def _reviews(user, application) -> dict:
    """Admins see every submitted review; a reviewer sees the others only once theirs is in."""
    own = review_queries.own_review(application, user) if user.role == Role.REVIEWER else None
    own_submitted = own is not None and own.state == ReviewState.SUBMITTED
    show_all = user.role == Role.PROGRAMME_ADMIN or own_submitted
    return {
        "own": own,
        "own_submitted": own_submitted,
        "may_review": user.has_perm("applications.review_application", application),
        "is_reviewer": user.role == Role.REVIEWER,
        "summary": review_queries.review_summary(application) if show_all else None,
    }


def _notes(user, application) -> dict:
    notes = InternalNote.objects.filter(application=application).select_related("author")
    return {"notes": list(notes), "form": NoteForm()}


def download_name(user, version) -> str:
    """The file name a download is offered under. Under blind review a reviewer gets a neutral
    one (reference, requirement code, version) since the applicant's own file name may name them."""
    application = version.document.application
    if not identity_hidden_from(user, application):
        return version.original_name
    return neutral_name(application, version.document.requirement, version)


def neutral_name(application, requirement, version) -> str:
    extension = (
        version.original_name.rsplit(".", 1)[-1].lower() if "." in version.original_name else ""
    )
    stem = f"{application.reference}-{requirement.code}-v{version.number}"
    return f"{stem}.{extension}" if extension else stem
