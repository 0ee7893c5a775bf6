from django.urls import path

from applications.views import applicant, documents, drafts, staff
from applications.views import calendar as calendar_views
from applications.views import queues as queue_views

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
    path(
        "staff/<int:pk>/",
        staff.StaffApplicationDetailView.as_view(),
        name="staff-application-detail",
    ),
    # Reviewer workspace: queues (views/queues.py) and the working-day calendar (views/calendar.py)
    path("staff/queues/mine/", queue_views.QueueView.as_view(queue="mine"), name="queue-mine"),
    path(
        "staff/queues/triage/", queue_views.QueueView.as_view(queue="triage"), name="queue-triage"
    ),
    path("staff/queues/all/", queue_views.QueueView.as_view(queue="all"), name="queue-all"),
    path("staff/calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path(
        "staff/calendar/add/", calendar_views.CalendarDayAddView.as_view(), name="calendar-day-add"
    ),
    path(
        "staff/calendar/<int:pk>/remove/",
        calendar_views.CalendarDayRemoveView.as_view(),
        name="calendar-day-remove",
    ),
]
