"""Each member of staff manages their own conflict-of-interest register."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from applications.exceptions import NotAllowed, WorkflowError
from applications.forms.conflicts import ConflictForm
from applications.models import ConflictOfInterest
from applications.services import conflicts as services

TEMPLATE = "applications/reviewer/conflicts.html"


class ConflictRegisterMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "applications.manage_conflicts"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form, search=""):
        lines = ConflictOfInterest.objects.filter(reviewer=self.request.user).select_related(
            "organisation"
        )
        context = {"form": form, "conflicts": lines, "search": search}
        return render(self.request, TEMPLATE, context)


class ConflictListView(ConflictRegisterMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        search = request.GET.get("q", "")
        return self.render_page(ConflictForm(search=search), search)


class ConflictAddView(ConflictRegisterMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = ConflictForm(request.POST, search=request.POST.get("q", ""))
        if not form.is_valid():
            return self.render_page(form)
        try:
            services.add_conflict(actor=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The line is added to your register."))
        return redirect("applications:conflict-list")


class ConflictRemoveView(ConflictRegisterMixin, View):
    http_method_names = ["post"]

    def post(self, request, conflict_id):
        try:
            services.remove_conflict(actor=request.user, conflict_id=conflict_id)
        except NotAllowed as error:  # someone else's line looks like no line at all
            raise Http404 from error
        messages.success(request, _("The line is removed from your register."))
        return redirect("applications:conflict-list")
