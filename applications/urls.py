from django.urls import path

from applications.views import applicant, documents, drafts, staff
from applications.views import notifications as notification_views

app_name = "applications"

urlpatterns = [
    # Drafting (views/drafts.py)
    path("new/<int:cohort_id>/", drafts.ApplicationStartView.as_view(), name="application-start"),
    path(
        "<int:pk>/edit/<slug:step>/", drafts.ApplicationStepView.as_view(), name="application-step"
    ),
    # Documents (views/documents.py)
    path("<int:pk>/documents/", documents.DocumentListView.as_view(), name="document-list"),
    path(
        "<int:pk>/documents/<int:requirement_id>/upload/",
        documents.document_upload_view,
        name="document-upload",
    ),
    path(
        "documents/<int:version_id>/download/",
        documents.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    # Submitting and following (views/applicant.py)
    path("<int:pk>/", applicant.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/submit/", applicant.ApplicationSubmitView.as_view(), name="application-submit"),
    path(
        "<int:pk>/receipt/", applicant.ApplicationReceiptView.as_view(), name="application-receipt"
    ),
    path(
        "<int:pk>/withdraw/",
        applicant.ApplicationWithdrawView.as_view(),
        name="application-withdraw",
    ),
    # Regulator staff (views/staff.py)
    path("staff/", staff.StaffApplicationListView.as_view(), name="staff-application-list"),
    # Notifications (views/notifications.py)
    path(
        "notifications/",
        notification_views.NotificationListView.as_view(),
        name="notification-list",
    ),
    path(
        "notifications/<int:pk>/read/",
        notification_views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notification_views.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        notification_views.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path(
        "staff/notifications/",
        notification_views.StaffNotificationListView.as_view(),
        name="staff-notification-list",
    ),
    path(
        "staff/notifications/<int:pk>/retry/",
        notification_views.StaffNotificationRetryView.as_view(),
        name="staff-notification-retry",
    ),
]
