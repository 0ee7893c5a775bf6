"""The printable dossier of one application: answers, documents with their checksums, reviews,
decision and history, in a constant number of queries whatever their number.

What a member of staff reads follows the staff application page: blind review hides the
applicant's identity (names, BIN, file names) from reviewers; a reviewer sees the other reviews
only once their own is submitted, and never the other reviewers' names; the decision is shown
to programme admins only; reviewers see only clean document versions (as on their pages) while
admins see every version with its check.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications import queries
from applications.enums import ApplicationState, ReviewState
from applications.models import AuditEvent, Decision, DecisionReason
from applications.queries import reviews as review_queries
from applications.rules import identity_hidden_from
from applications.views.presentation import answer_sections
from applications.views.reviewer import pending_assignment
from applications.views.workspace_sections import neutral_name
from portal.accounts.models import Role


class StaffDossierView(LoginRequiredMixin, TemplateView):
    """The dossier, for the staff who may open the staff application page, scoped the same way:
    admins, and reviewers assigned with no conflict declared (404 for anyone else on the staff
    side; a reviewer who has not declared yet is sent to the declaration first)."""

    template_name = "applications/staff/dossier.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_regulator_staff:
            raise PermissionDenied
        if pending_assignment(request.user, kwargs["pk"]) is not None:
            return redirect("applications:reviewer-declaration", pk=kwargs["pk"])
        self.application = get_object_or_404(
            queries.applications_visible_to(request.user)
            .exclude(state=ApplicationState.DRAFT)
            .select_related("case_officer"),
            pk=kwargs["pk"],
        )
        if not request.user.has_perm("applications.view_application", self.application):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **dossier(self.request.user, self.application),
            sections=answer_sections(self.application),
            **kwargs,
        )


def dossier(user, application) -> dict:
    is_admin = user.role == Role.PROGRAMME_ADMIN
    hidden = identity_hidden_from(user, application)
    return {
        "application": application,
        "is_admin": is_admin,
        "identity_hidden": hidden,
        "documents": _documents(application, hidden=hidden, clean_only=not is_admin),
        "reviews": _reviews(user, application, is_admin=is_admin),
        "decisions": _decisions(application) if is_admin else None,
        "history": _history(user, application, is_admin=is_admin),
    }


def _documents(application, *, hidden: bool, clean_only: bool) -> list[dict]:
    slots = queries.document_slots(application, clean_only=clean_only)
    for slot in slots:
        for version in slot["versions"]:
            version.shown_name = (
                neutral_name(application, slot["requirement"], version)
                if hidden
                else version.original_name
            )
    return slots


def _reviews(user, application, *, is_admin: bool) -> dict:
    """Admins: every submitted review under its reviewer's name. Reviewers: nothing of the others
    until their own is submitted, then every review under a number ("Reviewer 2"), theirs "You"."""
    if not is_admin:
        own = review_queries.own_review(application, user)
        if own is None or own.state != ReviewState.SUBMITTED:
            return {"visible": False}
    summary = review_queries.review_summary(application)
    for number, item in enumerate(summary["reviews"], start=1):
        reviewer = item["review"].reviewer
        if is_admin:
            item["label"] = reviewer.display_name
        elif reviewer.pk == user.pk:
            item["label"] = _("You")
        else:
            item["label"] = _("Reviewer %(number)s") % {"number": number}
    return {"visible": True, **summary}


def _decisions(application) -> list[Decision]:
    reasons = DecisionReason.objects.select_related("criterion").order_by(
        "criterion__position", "criterion_id"
    )
    return list(
        Decision.objects.filter(application=application)
        .select_related("made_by", "checked_by", "released_by")
        .prefetch_related(Prefetch("reasons", queryset=reasons))
        .order_by("made_at", "id")
    )


def _history(user, application, *, is_admin: bool) -> list[AuditEvent]:
    """Every audit event of the application, oldest first. Admins read who acted; a reviewer
    reads only "You", "Applicant", "Regulator staff" or "System", so neither the applicant's
    people (blind review) nor the other reviewers are named to them."""
    events = list(
        AuditEvent.objects.filter(application=application).select_related("actor").order_by("id")
    )
    for event in events:
        event.actor_label = _actor_label(user, event.actor, is_admin=is_admin)
    return events


def _actor_label(user, actor, *, is_admin: bool) -> str:
    if actor is None:
        return _("System")
    if is_admin:
        return actor.display_name
    if actor.pk == user.pk:
        return _("You")
    if actor.role == Role.APPLICANT:
        return _("Applicant")
    return _("Regulator staff")
