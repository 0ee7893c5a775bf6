"""Project-wide pages: the home page for each kind of user, language choice, health."""

from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django.views.i18n import set_language

from applications import queries
from portal import health


class HomeView(TemplateView):
    """Anonymous visitors see the open cohorts; applicants their organisation and applications;
    regulator staff go to their workspace."""

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_regulator_staff:
            return redirect("applications:staff-application-list")
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return [
            "home/applicant.html" if self.request.user.is_authenticated else "home/landing.html"
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohorts"] = list(queries.open_cohorts())
        user = self.request.user
        if user.is_authenticated:
            context["organisation"] = user.organisation
            context["applications"] = (
                list(queries.applications_of_organisation(user)) if user.organisation_id else []
            )
        return context


class SetLanguageView(View):
    """Django's set_language, plus saving the choice on the signed-in user's profile."""

    def post(self, request, *args, **kwargs):
        response = set_language(request)
        language = request.POST.get("language", "")
        user = request.user
        if user.is_authenticated and language in {code for code, _name in _languages()}:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
        return response

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


@require_safe
def healthz(request):
    """The state of every dependency as JSON; 503 when something production needs is down."""
    healthy, checks = health.run_checks()
    body = {
        "status": "ok" if healthy else "error",
        **checks,
        "worker_heartbeat_age": health.heartbeat_age(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
