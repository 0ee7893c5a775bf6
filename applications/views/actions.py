"""One POST-only view per action: scope the object (404), check the permission (403), validate a
form, call one service, turn a WorkflowError into a message, and go back to the page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from applications import queries
from applications.exceptions import WorkflowError
from applications.rules import is_programme_admin


class ActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]
    permission = ""
    form_class = None
    success_message = ""

    def post(self, request, *args, **kwargs):
        self.application = get_object_or_404(
            queries.applications_visible_to(request.user), pk=self.application_pk()
        )
        if not request.user.has_perm(self.permission, self.application):
            raise PermissionDenied
        form = self.get_form()
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.done()
        try:
            self.perform(form)
        except WorkflowError as error:
            messages.error(request, str(error))
            for problem in error.problems:
                messages.error(request, problem)
            return self.done()
        messages.success(request, self.success_message)
        return self.done()

    def application_pk(self) -> int:
        return self.kwargs["pk"]

    def get_form(self):
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {}

    def perform(self, form) -> None:  # pragma: no cover - every action defines it
        raise NotImplementedError

    def done(self):
        return redirect("participations:staff-detail", pk=self.application.pk)


class StaffPageMixin(LoginRequiredMixin):
    """Programme admins only; anything else gets 403, and an unknown object 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_programme_admin(request.user):
            raise PermissionDenied
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Fetch what the page is about, once the user is known to be a programme admin."""
