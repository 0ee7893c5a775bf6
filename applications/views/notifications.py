"""The notification centre, email preferences, and the admins' screen of failed notifications."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from applications import queries
from applications.exceptions import WorkflowError
from applications.forms.notifications import NotificationPreferencesForm
from applications.services import inbox, outbox
from portal.accounts.models import NotificationPreference

LIST = "applications:notification-list"


class NotificationListView(LoginRequiredMixin, ListView):
    """Two queries whatever the page size: the count for the pager and the page's rows."""

    template_name = "applications/notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return queries.notifications_of(self.request.user)


class NotificationReadView(LoginRequiredMixin, View):
    """Marks one notification read and opens the page it is about."""

    def post(self, request, pk):
        notification = get_object_or_404(queries.notifications_of(request.user), pk=pk)
        inbox.mark_read(actor=request.user, notification_id=notification.pk)
        target = notification.link
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ):
            target = LIST
        return redirect(target)


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = inbox.mark_all_read(actor=request.user)
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
        return redirect(LIST)


class NotificationPreferencesView(LoginRequiredMixin, FormView):
    template_name = "applications/notifications/preferences.html"
    form_class = NotificationPreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        current = dict(
            NotificationPreference.objects.filter(user=self.request.user).values_list(
                "category", "delivery"
            )
        )
        return {**kwargs, "user": self.request.user, "current": current}

    def form_valid(self, form):
        inbox.set_preferences(actor=self.request.user, choices=form.cleaned_data)
        messages.success(self.request, _("Your email preferences have been saved."))
        return redirect("applications:notification-preferences")


class StaffNotificationListView(LoginRequiredMixin, ListView):
    """Programme admins: notifications that failed or are stuck, with their last error."""

    template_name = "applications/notifications/staff_list.html"
    context_object_name = "notifications"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "applications.view_notification_outbox"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            outbox.needs_attention()
            .select_related("recipient", "application")
            .order_by("-created_at", "-pk")
        )


class StaffNotificationRetryView(LoginRequiredMixin, View):
    def post(self, request, pk):
        if not request.user.has_perm("applications.retry_notification"):
            raise PermissionDenied
        try:
            notification = outbox.retry_notification(actor=request.user, notification_id=pk)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The notification to %(email)s will be sent again.")
                % {"email": notification.recipient_email},
            )
        return redirect("applications:staff-notification-list")
