"""Programme admins put the case officer and reviewers on applications: on one application's
staff page (section _assignment.html), in bulk from a cohort's list with a preview, and
automatically for a cohort (also previewed). Every change goes through services.assignment."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from applications import queries
from applications.exceptions import WorkflowError
from applications.forms.assignment import (
    AutoAssignForm,
    BulkAssignForm,
    CaseOfficerForm,
    ConfirmPairsForm,
    ReviewerAssignForm,
)
from applications.models import Application
from applications.queries import assignment as assignment_queries
from applications.services import assignment as services
from applications.services import assignment_plans as plans
from portal.accounts.models import Role, User

LIST_TEMPLATE = "applications/staff/assignment/list.html"
PREVIEW_TEMPLATE = "applications/staff/assignment/preview.html"
RESULT_TEMPLATE = "applications/staff/assignment/result.html"


class ProgrammeAdminRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role != Role.PROGRAMME_ADMIN:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OneApplicationMixin(ProgrammeAdminRequiredMixin):
    http_method_names = ["post"]

    def post(self, request, pk, **kwargs):
        application = get_object_or_404(queries.applications_visible_to(request.user), pk=pk)
        try:
            message = self.act(application, **kwargs)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect("applications:staff-application-detail", pk=application.pk)


class ApplicationReviewerAssignView(OneApplicationMixin, View):
    def act(self, application):
        form = ReviewerAssignForm(
            self.request.POST, candidates=assignment_queries.panel_of(application.cohort_id)
        )
        if not form.is_valid():
            raise WorkflowError(_("Choose a reviewer from the cohort's panel."))
        reviewer = form.cleaned_data["reviewer"]
        services.assign_reviewer(
            actor=self.request.user, application_id=application.pk, reviewer_id=reviewer.pk
        )
        return _("%(name)s is assigned.") % {"name": reviewer.display_name}


class ApplicationReviewerUnassignView(OneApplicationMixin, View):
    def act(self, application, reviewer_id):
        reviewer = get_object_or_404(User, pk=reviewer_id)
        services.unassign_reviewer(
            actor=self.request.user, application_id=application.pk, reviewer_id=reviewer.pk
        )
        return _("%(name)s is no longer assigned.") % {"name": reviewer.display_name}


class ApplicationCaseOfficerAssignView(OneApplicationMixin, View):
    def act(self, application):
        form = CaseOfficerForm(
            self.request.POST,
            candidates=assignment_queries.case_officer_candidates(application.cohort_id),
        )
        if not form.is_valid():
            raise WorkflowError(_("Choose a case officer from the list."))
        officer = form.cleaned_data["officer"]
        services.assign_case_officer(
            actor=self.request.user, application_id=application.pk, officer_id=officer.pk
        )
        return _("%(name)s is the case officer.") % {"name": officer.display_name}


class AssignmentListView(ProgrammeAdminRequiredMixin, View):
    """A cohort's applications open for assignment, with who is on each; select some and
    reviewers for a bulk preview, or ask for an automatic plan."""

    http_method_names = ["get"]
    paginate_by = 50

    def get(self, request):
        cohorts = list(assignment_queries.cohorts_for_assignment())
        selected = _selected_cohort(cohorts, request.GET.get("cohort", ""))
        context = {"cohorts": cohorts, "cohort": selected, "auto_form": AutoAssignForm()}
        if selected is not None:
            page = Paginator(
                assignment_queries.assignable_applications(selected.pk), self.paginate_by
            ).get_page(request.GET.get("page"))
            context |= {"page_obj": page, "panel": assignment_queries.panel_of(selected.pk)}
        return render(request, LIST_TEMPLATE, context)


def _selected_cohort(cohorts, raw: str):
    return next((cohort for cohort in cohorts if str(cohort.pk) == raw), None)


class CohortActionMixin(ProgrammeAdminRequiredMixin):
    http_method_names = ["post"]

    def post(self, request, cohort_id):
        cohort = get_object_or_404(assignment_queries.cohorts_for_assignment(), pk=cohort_id)
        return self.act(cohort)

    def back(self, cohort, message):
        messages.error(self.request, message)
        return redirect(f"{_list_url()}?cohort={cohort.pk}")

    def preview(self, cohort, items, kind):
        return render(
            self.request,
            PREVIEW_TEMPLATE,
            {
                "cohort": cohort,
                "kind": kind,
                "assign": [item for item in items if item.outcome == plans.ASSIGN],
                "refused": [item for item in items if item.outcome != plans.ASSIGN],
            },
        )


def _list_url():
    from django.urls import reverse

    return reverse("applications:assignment-list")


class BulkAssignmentPreviewView(CohortActionMixin, View):
    def act(self, cohort):
        rows = assignment_queries.assignable_applications(cohort.pk)
        panel = assignment_queries.panel_of(cohort.pk)
        form = BulkAssignForm(
            self.request.POST,
            application_ids=list(rows.values_list("pk", flat=True)),
            panel=panel,
        )
        if not form.is_valid():
            return self.back(cohort, " ".join(e for errors in form.errors.values() for e in errors))
        applications = list(rows.filter(pk__in=form.cleaned_data["applications"]))
        reviewers = sorted(form.cleaned_data["reviewers"], key=lambda u: (u.display_name, u.pk))
        return self.preview(cohort, plans.plan_bulk(applications, reviewers), "bulk")


class AutoAssignmentPreviewView(CohortActionMixin, View):
    def act(self, cohort):
        form = AutoAssignForm(self.request.POST)
        if not form.is_valid():
            return self.back(
                cohort, _("Give the number of reviewers and the limit as whole numbers.")
            )
        items = plans.plan_automatic(
            list(assignment_queries.assignable_applications(cohort.pk)),
            sorted(assignment_queries.panel_of(cohort.pk), key=lambda user: user.pk),
            per_application=form.cleaned_data["per_application"],
            cap=form.cleaned_data["cap"],
        )
        return self.preview(cohort, items, "auto")


class AssignmentConfirmView(CohortActionMixin, View):
    """Assign the previewed pairs, each on its own, and show what happened to each."""

    def act(self, cohort):
        form = ConfirmPairsForm(self.request.POST)
        if not form.is_valid():
            return self.back(cohort, " ".join(form.non_field_errors()))
        pairs = form.cleaned_data["pairs"]
        applications = Application.objects.select_related("organisation").in_bulk(
            {a for a, _r in pairs}
        )
        reviewers = User.objects.in_bulk({r for _a, r in pairs})
        known = [
            (applications[a], reviewers[r])
            for a, r in pairs
            if a in applications and r in reviewers and applications[a].cohort_id == cohort.pk
        ]
        results = plans.run_pairs(actor=self.request.user, pairs=known)
        done = sum(1 for result in results if result.done)
        return render(
            self.request,
            RESULT_TEMPLATE,
            {"cohort": cohort, "results": results, "done": done, "refused": len(results) - done},
        )
