"""Stage moves on the staff page (POST only): package complete, eligible, not eligible (proposed,
then confirmed or sent back by an admin), evaluation complete."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import conditions
from applications.enums import ApplicationState
from applications.forms.casework import NotEligibleProposalForm, SendBackForm
from applications.services import review_stages
from applications.views.casework import StaffActionView
from applications.views.rfi_sections import staff_rfi_context
from applications.views.screening import screening_context

S = ApplicationState


class MoveView(StaffActionView):
    section = "moves"
    service = None
    success = ""

    def act(self, form) -> str:
        self.service(
            actor=self.request.user,
            application_id=self.application.pk,
            ip_address=self.client_ip(),
            **(form.cleaned_data if form is not None else {}),
        )
        return str(self.success)


class AcceptAsCompleteView(MoveView):
    permission = "applications.accept_as_complete_application"
    service = staticmethod(review_stages.accept_as_complete)
    success = gettext_lazy("The package is complete; the eligibility assessment has started.")


class FindEligibleView(MoveView):
    permission = "applications.find_eligible_application"
    service = staticmethod(review_stages.find_eligible)
    success = gettext_lazy("Found eligible; the evaluation has started.")


class ProposeNotEligibleView(MoveView):
    permission = "applications.propose_not_eligible_application"
    service = staticmethod(review_stages.propose_not_eligible)
    form_class = NotEligibleProposalForm
    success = gettext_lazy("Proposal recorded; a programme admin must confirm it.")


class ConfirmNotEligibleView(MoveView):
    permission = "applications.find_not_eligible_application"
    service = staticmethod(review_stages.confirm_not_eligible)
    success = gettext_lazy("Found not eligible; the applicant can read the reasons.")


class SendBackNotEligibleView(MoveView):
    permission = "applications.find_not_eligible_application"
    service = staticmethod(review_stages.send_back_not_eligible)
    form_class = SendBackForm
    success = gettext_lazy("Proposal sent back; the eligibility assessment carries on.")


class CompleteEvaluationView(MoveView):
    permission = "applications.complete_evaluation_application"
    service = staticmethod(review_stages.complete_evaluation)
    success = gettext_lazy("Evaluation complete; the decision is now due.")


def moves_context(user, application) -> dict:
    """The moves this user may make now, each with what still stops it (if anything)."""
    state, moves = application.state, []

    def offer(name, permission, label, problems=None, form=None):
        if user.has_perm(f"applications.{permission}_application", application):
            moves.append({"name": name, "label": label, "problems": problems or [], "form": form})

    if state == S.SCREENING:
        offer(
            "accept-as-complete",
            "accept_as_complete",
            _("Package complete"),
            conditions.package_problems(application),
        )
    elif state == S.ELIGIBILITY:
        offer(
            "find-eligible",
            "find_eligible",
            _("Eligible: start evaluation"),
            conditions.open_rfi_problems(application),
        )
        if application.not_eligible_reasons:
            offer(
                "confirm-not-eligible",
                "find_not_eligible",
                _("Confirm: not eligible"),
                conditions.open_rfi_problems(application),
            )
            offer(
                "send-back-not-eligible",
                "find_not_eligible",
                _("Send the proposal back"),
                form=SendBackForm(),
            )
        else:
            offer(
                "propose-not-eligible",
                "propose_not_eligible",
                _("Propose: not eligible"),
                form=NotEligibleProposalForm(),
            )
    elif state == S.EVALUATION:
        offer(
            "complete-evaluation",
            "complete_evaluation",
            _("Evaluation complete"),
            conditions.evaluation_problems(application),
        )
    return {"moves": moves}


def casework_context(user, application) -> dict:
    """Everything the screening, requests and moves sections of the staff page need."""
    return {
        **screening_context(user, application),
        **staff_rfi_context(user, application),
        **moves_context(user, application),
    }
