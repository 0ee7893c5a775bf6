"""Starting an application and filling in its steps (applicant side).

The step page autosaves with htmx and works as a plain form without JavaScript. Each save sends
only the answers this person changed since the page was shown, with the revision it was shown
at; services.drafts.save_draft merges that with co-applicants' saves or refuses an overwrite.
"""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from applications import conditions, queries
from applications.exceptions import EditConflict, WorkflowError
from applications.forms.drafts import ApplicationStartForm, display_answer, step_form_class
from applications.models import Cohort
from applications.services.applications import start_application
from applications.services.drafts import save_draft
from applications.steps import STEP_BY_SLUG, STEPS, Step

STEP_TEMPLATE = "applications/application/step.html"


class ApplicationStartView(LoginRequiredMixin, View):
    http_method_names = ["get", "post"]
    template_name = "applications/application/start.html"

    def get(self, request, cohort_id):
        cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_id)
        return self.refusal() or self.render_page(cohort, ApplicationStartForm())

    def post(self, request, cohort_id):
        cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_id)
        if refusal := self.refusal():
            return refusal
        form = ApplicationStartForm(request.POST)
        if not form.is_valid():
            return self.render_page(cohort, form)
        try:
            application = start_application(
                actor=request.user, cohort=cohort, title=form.cleaned_data["title"]
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("applications:application-start", cohort_id=cohort.pk)
        messages.success(request, _("Your application is started. Fill in the steps in any order."))
        return redirect(step_url(application, STEPS[0]))

    def refusal(self):
        user = self.request.user
        if not user.has_perm("applications.start_application"):
            raise PermissionDenied
        if user.organisation_id is None:
            messages.info(
                self.request, _("Register your organisation before starting an application.")
            )
            return redirect("accounts:organisation-create")
        return None

    def render_page(self, cohort, form):
        now = timezone.now()
        context = {
            "cohort": cohort,
            "form": form,
            "is_open": cohort.is_open(now),
            "not_yet_open": now < cohort.opens_at,
        }
        return render(self.request, self.template_name, context)


class EditableDraftMixin:
    """Loads self.step and self.application; what the user may not edit answers 404, and a
    submitted (or withdrawn) application sends them to its detail page."""

    def dispatch(self, request, *args, **kwargs):
        self.step = STEP_BY_SLUG.get(kwargs["step"])
        if self.step is None:
            raise Http404
        self.application = editable_application(request.user, kwargs["pk"])
        # After submission, only the steps an open request for information names may change.
        self.unlocked = (
            set() if self.application.is_draft else conditions.unlocked_steps(self.application)
        )
        if not self.application.is_draft and self.step.slug not in self.unlocked:
            messages.info(
                request,
                _("This application is no longer a draft, so its answers cannot be changed.")
                if not self.unlocked
                else _(
                    "The regulator's request for information does not unlock “%(step)s”; it stays as you submitted it."
                )
                % {"step": self.step.title},
            )
            url = reverse("applications:application-detail", args=[self.application.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, **kwargs):
        return step_form_class(self.step)(
            max_months=self.application.programme.max_test_months, **kwargs
        )


class StepResponsesMixin:
    """The answers a step page gives: the page itself, and the autosave status line."""

    def render_page(self, form, baseline_form=None, application=None, **extra):
        application = application or self.application
        context = {
            "application": application,
            "step": self.step,
            "step_number": STEPS.index(self.step) + 1,
            "step_count": len(STEPS),
            "form": form,
            "baseline_form": form if baseline_form is None else baseline_form,
            "nav": step_navigation(application, self.step),
            "status": {"kind": "idle"},
            "unlocked_steps": self.unlocked,
            **extra,
        }
        return render(self.request, STEP_TEMPLATE, context)

    def render_status(self, status: dict, **extra):
        # With extra context the status comes with out-of-band updates of the page around it.
        partial = "autosave-response" if extra else "save-status"
        context = {"application": self.application, "step": self.step, "status": status, **extra}
        return render(self.request, f"{STEP_TEMPLATE}#{partial}", context)

    def saved_response(self, form, saved):
        if not self.request.htmx:
            messages.success(self.request, _("Your answers are saved."))
            action = self.request.POST.get("action")
            return redirect(
                next_url(saved, self.step) if action == "continue" else step_url(saved, self.step)
            )
        # The browser may move to the new revision only if it shows exactly what is now saved;
        # otherwise a co-applicant's merged change would be overwritten by the next autosave.
        in_step = all(
            _same(form.cleaned_data[name], getattr(saved, name)) for name in self.step.fields
        )
        extra = {"oob": True, "nav": step_navigation(saved, self.step)}
        if in_step:
            extra["baseline_form"] = self.make_form(instance=saved)
        return self.render_status(
            {"kind": "saved", "at": timezone.now(), "merged": not in_step}, **extra
        )

    def conflict_response(self, form, error: EditConflict):
        if self.request.htmx:
            return self.render_status({"kind": "conflict", "message": str(error)})
        current = editable_application(self.request.user, self.application.pk)
        yours = form.changed_answers()
        conflicts = [
            {
                "label": form[name].label,
                "theirs": display_answer(name, getattr(current, name)),
                "yours": display_answer(name, yours[name]),
            }
            for name in error.fields
        ]
        # Conflicting answers show their version; the person's other changes stay as typed.
        kept = {name: value for name, value in yours.items() if name not in error.fields}
        return self.render_page(
            self.make_form(instance=current, initial=kept),
            baseline_form=self.make_form(instance=current),
            application=current,
            conflict={"message": str(error), "fields": conflicts},
        )

    def refusal_response(self, error: WorkflowError):
        if self.request.htmx:
            return self.render_status(
                {"kind": "refused", "message": str(error), "problems": error.problems}
            )
        messages.error(self.request, str(error))
        return redirect(step_url(self.application, self.step))


class ApplicationStepView(LoginRequiredMixin, EditableDraftMixin, StepResponsesMixin, View):
    http_method_names = ["get", "post"]

    def handle_no_permission(self):
        # An autosave after the session ended: send the whole page to sign-in, not the status line.
        response = super().handle_no_permission()
        return HttpResponseClientRedirect(response.url) if self.request.htmx else response

    def get(self, request, *args, **kwargs):
        return self.render_page(self.make_form(instance=self.application))

    def post(self, request, *args, **kwargs):
        # A copy: validating a ModelForm writes the input onto its instance.
        form = self.make_form(data=request.POST, instance=copy.copy(self.application))
        if not form.is_valid():
            if request.htmx:
                return self.render_status({"kind": "invalid", "problems": form.error_summary()})
            return self.render_page(form)
        try:
            saved = save_draft(
                actor=request.user,
                application_id=self.application.pk,
                base_revision=form.cleaned_data["base_revision"],
                answers=form.changed_answers(),
            )
        except EditConflict as error:
            return self.conflict_response(form, error)
        except WorkflowError as error:
            return self.refusal_response(error)
        return self.saved_response(form, saved)


def editable_application(user, pk: int):
    application = get_object_or_404(queries.applications_visible_to(user), pk=pk)
    if not user.has_perm("applications.edit_application", application):
        # Programme admins may view any application, but only the applicant edits it.
        raise Http404
    return application


def step_navigation(application, current: Step) -> list[dict]:
    return [
        {
            "step": step,
            "number": number,
            "url": step_url(application, step),
            "complete": not step.missing(application),
            "current": step.slug == current.slug,
        }
        for number, step in enumerate(STEPS, start=1)
    ]


def step_url(application, step: Step) -> str:
    return reverse("applications:application-step", args=[application.pk, step.slug])


def next_url(application, step: Step) -> str:
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return step_url(application, STEPS[index + 1])
    return reverse("applications:document-list", args=[application.pk])


def _same(submitted, saved) -> bool:
    if isinstance(submitted, list) and isinstance(saved, list):
        return sorted(submitted) == sorted(saved)
    return submitted == saved
