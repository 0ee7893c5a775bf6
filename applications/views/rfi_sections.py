"""The request-for-information parts of the staff page and of the applicant's detail page."""

from applications import conditions
from applications.enums import DocumentCheck, RfiState
from applications.forms.casework import RfiCancelForm
from applications.queries.rfis import rfi_thread


def staff_rfi_context(user, application) -> dict:
    return {
        "rfis": rfi_thread(application),
        "can_raise_rfi": application.state in conditions.RFI_STATES
        and user.has_perm("applications.raise_rfi_application", application),
        "can_cancel_rfi": user.has_perm("applications.cancel_rfi_application", application),
        "cancel_form": RfiCancelForm(),
    }


def applicant_rfi_context(user, application) -> dict:
    """The applicant's detail page: the thread, what needs action, and the reasons for a
    not-eligible finding once confirmed."""
    rfis = rfi_thread(application)
    to_correct = []
    if application.state in conditions.RFI_STATES:
        to_correct = application.documents.filter(
            screening=DocumentCheck.TO_CORRECT
        ).select_related("requirement")
    return {
        "rfis": rfis,
        "open_rfis": [rfi for rfi in rfis if rfi.state == RfiState.OPEN],
        "documents_to_correct": list(to_correct),
        "can_answer_rfi": user.has_perm("applications.answer_rfi_application", application),
    }
