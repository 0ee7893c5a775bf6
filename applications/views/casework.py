"""What staff's screening, request and move actions share: loading the application for a member
of staff (404 for what they may not see, 403 for what they may see but not do), POST only, and
turning WorkflowError into a message on the application's staff page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from applications.enums import ApplicationState
from applications.exceptions import WorkflowError
from applications.models import Application


def staff_application(user, pk: int, permission: str) -> Application:
    """The application for a member of staff who may view it or take this action on it."""
    application = get_object_or_404(
        Application.objects.select_related("cohort__programme", "organisation").exclude(
            state=ApplicationState.DRAFT
        ),
        pk=pk,
    )
    may_act = user.has_perm(permission, application)
    if not user.is_regulator_staff or not (
        may_act or user.has_perm("applications.view_application", application)
    ):
        raise Http404
    if not may_act:
        raise PermissionDenied
    return application


def report(request, error: WorkflowError) -> None:
    messages.error(request, " ".join([str(error), *map(str, error.problems)]))


def staff_page(application, section: str = ""):
    url = reverse("applications:staff-application-detail", kwargs={"pk": application.pk})
    return redirect(f"{url}#{section}" if section else url)


class StaffActionView(LoginRequiredMixin, View):
    """POST only. Subclasses set `permission`, `section` and `form_class` (optional) and
    implement `act(form)` returning the success message."""

    http_method_names = ["post"]
    permission = ""
    section = ""
    form_class = None

    def post(self, request, *args, **kwargs):
        self.application = staff_application(request.user, kwargs["pk"], self.permission)
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return staff_page(self.application, self.section)
        try:
            text = self.act(form)
        except WorkflowError as error:
            report(request, error)
        else:
            messages.success(request, text)
        return staff_page(self.application, self.section)

    def act(self, form) -> str:  # pragma: no cover -- every subclass defines it
        raise NotImplementedError

    def client_ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") or None
