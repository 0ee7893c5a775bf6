"""A reviewer's own pages: the declaration before opening an assigned application, and the
review form (autosaved with htmx, submitted once)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from applications import queries
from applications.enums import Declaration
from applications.exceptions import EditConflict, WorkflowError
from applications.forms.reviews import RecusalForm, ReviewForm
from applications.models import ReviewerAssignment
from applications.queries import reviews as review_queries
from applications.rules import identity_hidden_from
from applications.services import declarations, reviews
from applications.services.conflicts import ConflictIndex
from portal.accounts.models import Role

DECLARATION_TEMPLATE = "applications/reviewer/declaration.html"
REVIEW_TEMPLATE = "applications/reviewer/review.html"


def pending_assignment(user, application_id: int) -> ReviewerAssignment | None:
    """The user's assignment on this application while they have not declared yet."""
    if not user.is_authenticated or user.role != Role.REVIEWER:
        return None
    return (
        ReviewerAssignment.objects.filter(
            application_id=application_id,
            reviewer=user,
            declaration=Declaration.PENDING,
            application__cohort__panel=user,
        )
        .select_related("application__cohort__programme", "application__organisation")
        .first()
    )


class ReviewerDeclarationView(LoginRequiredMixin, View):
    """What the reviewer declares on, then "no conflict" (POST here) or a recusal."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_regulator_staff:
            raise Http404
        self.assignment = pending_assignment(request.user, kwargs["pk"])
        if self.assignment is None:
            if queries.applications_visible_to(request.user).filter(pk=kwargs["pk"]).exists():
                return redirect("applications:staff-application-detail", pk=kwargs["pk"])
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_page(RecusalForm())

    def post(self, request, pk):
        try:
            declarations.declare_no_conflict(actor=request.user, application_id=pk)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("applications:reviewer-declaration", pk=pk)
        messages.success(request, _("You declared no conflict of interest."))
        return redirect("applications:staff-application-detail", pk=pk)

    def render_page(self, recusal_form):
        application = self.assignment.application
        hidden = identity_hidden_from(self.request.user, application)
        matches = ConflictIndex([self.request.user.pk], [application.organisation_id]).matches(
            self.request.user.pk, application.organisation
        )
        context = {
            "application": application,
            "identity_hidden": hidden,
            "people": [] if hidden else list(application.organisation.people.order_by("id")),
            "conflict_found": bool(matches),
            "matches": [] if hidden else matches,
            "recusal_form": recusal_form,
        }
        return render(self.request, DECLARATION_TEMPLATE, context)


class ReviewerRecuseView(LoginRequiredMixin, View):
    """Recusal with a reason; allowed before declaring and after declaring no conflict."""

    http_method_names = ["post"]

    def post(self, request, pk):
        # Who may act on it first: a stranger to the application learns nothing, not even
        # whether their form was valid.
        if not request.user.is_regulator_staff or (
            pending_assignment(request.user, pk) is None
            and not queries.applications_visible_to(request.user).filter(pk=pk).exists()
        ):
            raise Http404
        form = RecusalForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give a reason for recusing yourself."))
            return redirect("applications:reviewer-declaration", pk=pk)
        try:
            declarations.recuse(
                actor=request.user, application_id=pk, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("applications:reviewer-declaration", pk=pk)
        messages.success(request, _("You recused yourself from this application."))
        return redirect("applications:staff-application-list")


class ReviewMixin(LoginRequiredMixin):
    """Loads the application (cleared reviewers only: 404 otherwise) and the reviewer's review."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role != Role.REVIEWER:
            raise Http404
        self.application = get_object_or_404(
            queries.applications_visible_to(request.user), pk=kwargs["pk"]
        )
        self.criteria = review_queries.criteria_of(self.application)
        self.review = review_queries.own_review(self.application, request.user)
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form=None, problems=None):
        may_review = self.request.user.has_perm("applications.review_application", self.application)
        submitted = self.review is not None and self.review.state == "submitted"
        if form is None and may_review and not submitted:
            form = ReviewForm(criteria=self.criteria, review=self.review)
        context = {
            "application": self.application,
            "review": self.review,
            "submitted": submitted,
            "form": form if may_review and not submitted else None,
            "own_scores": _scores_by_criterion(self.review, self.criteria) if submitted else [],
            "problems": problems or [],
            "identity_hidden": identity_hidden_from(self.request.user, self.application),
        }
        return render(self.request, REVIEW_TEMPLATE, context)


def _scores_by_criterion(review, criteria):
    found = {row.criterion_id: row for row in review.scores.all()}
    return [(criterion, found.get(criterion.pk)) for criterion in criteria]


class ReviewView(ReviewMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        return self.render_page()


class ReviewSaveView(ReviewMixin, View):
    """Autosave (htmx: answers the status line and the new revision) or a plain "Save draft"."""

    http_method_names = ["post"]

    def post(self, request, pk):
        form = ReviewForm(request.POST, criteria=self.criteria, review=self.review)
        if not form.is_valid():
            return self.status({"kind": "invalid"}) if request.htmx else self.render_page(form)
        try:
            saved = reviews.save_review_draft(
                actor=request.user,
                application_id=pk,
                base_revision=form.cleaned_data["revision"],
                answers=form.to_input(),
            )
        except EditConflict as error:
            return (
                self.status({"kind": "conflict", "message": str(error)})
                if request.htmx
                else self.refused(error)
            )
        except WorkflowError as error:
            if request.htmx:
                return HttpResponseClientRedirect(reverse("applications:review", args=[pk]))
            return self.refused(error)
        if request.htmx:
            return self.status({"kind": "saved", "at": timezone.now()}, revision=saved.revision)
        messages.success(request, _("Your draft review is saved."))
        return redirect("applications:review", pk=pk)

    def status(self, status, revision=None):
        context = {"status": status, "revision": revision}
        return render(self.request, f"{REVIEW_TEMPLATE}#review-status", context)

    def refused(self, error):
        messages.error(self.request, str(error))
        return redirect("applications:review", pk=self.application.pk)


class ReviewSubmitView(ReviewMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ReviewForm(request.POST, criteria=self.criteria, review=self.review)
        if not form.is_valid():
            return self.render_page(form)
        try:
            reviews.submit_review(
                actor=request.user,
                application_id=pk,
                base_revision=form.cleaned_data["revision"],
                answers=form.to_input(),
            )
        except EditConflict as error:
            messages.error(request, str(error))
            return redirect("applications:review", pk=pk)
        except WorkflowError as error:
            if error.problems:
                return self.keep_as_draft(form, error.problems)
            messages.error(request, str(error))
            return redirect("applications:review", pk=pk)
        messages.success(request, _("Your review is submitted."))
        return redirect("applications:staff-application-detail", pk=pk)

    def keep_as_draft(self, form, problems):
        """An incomplete submission: keep what was typed as the draft, show what is missing."""
        try:
            reviews.save_review_draft(
                actor=self.request.user,
                application_id=self.application.pk,
                base_revision=form.cleaned_data["revision"],
                answers=form.to_input(),
            )
        except WorkflowError as error:  # pragma: no cover - the submit just passed these checks
            messages.error(self.request, str(error))
            return redirect("applications:review", pk=self.application.pk)
        self.review = review_queries.own_review(self.application, self.request.user)
        return self.render_page(ReviewForm(criteria=self.criteria, review=self.review), problems)
