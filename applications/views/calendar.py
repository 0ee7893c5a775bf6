"""The working-day calendar screen (programme admins): the year's public holidays and the
admin-entered bridge days off and transferred working days, with adding and removing."""

from datetime import date

import holidays
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.exceptions import WorkflowError
from applications.forms.calendar import CalendarDayForm
from applications.models import CalendarDay
from applications.services.calendar_days import add_calendar_day, remove_calendar_day

FIRST_YEAR, LAST_YEAR = 2020, 2100
# The holidays package names Kazakh holidays in Kazakh and English.
HOLIDAY_LANGUAGES = {"kk": "kk"}


class CalendarPermissionMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("applications.manage_calendar"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def public_holidays(year: int) -> list[tuple[date, str]]:
    language = HOLIDAY_LANGUAGES.get(translation.get_language() or "", "en_US")
    return sorted(holidays.country_holidays("KZ", years=year, language=language).items())


class CalendarView(CalendarPermissionMixin, TemplateView):
    template_name = "applications/staff/calendar/calendar.html"

    def get_context_data(self, **kwargs):
        year = _year(self.request.GET.get("year"))
        return super().get_context_data(
            year=year,
            previous_year=year - 1 if year > FIRST_YEAR else None,
            next_year=year + 1 if year < LAST_YEAR else None,
            public_holidays=public_holidays(year),
            admin_days=CalendarDay.objects.filter(date__year=year).select_related("created_by"),
            form=kwargs.pop("form", None) or CalendarDayForm(initial={"date": None}),
            **kwargs,
        )


class CalendarDayAddView(CalendarPermissionMixin, View):
    def post(self, request):
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["date"]
            try:
                add_calendar_day(
                    actor=request.user,
                    day=day,
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                )
            except WorkflowError as error:
                form.add_error("date", str(error))
            else:
                messages.success(request, _("The calendar was changed."))
                return redirect(f"{reverse('applications:calendar')}?year={day.year}")
        view = CalendarView()
        view.setup(request)
        context = view.get_context_data(form=form)
        return view.render_to_response(context, status=400)


class CalendarDayRemoveView(CalendarPermissionMixin, View):
    def post(self, request, pk: int):
        year = CalendarDay.objects.filter(pk=pk).values_list("date__year", flat=True).first()
        try:
            remove_calendar_day(actor=request.user, calendar_day_id=pk)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The day was removed from the calendar."))
        suffix = f"?year={year}" if year else ""
        return redirect(f"{reverse('applications:calendar')}{suffix}")
