from django.urls import path

from applications.views import (
    applicant,
    documents,
    drafts,
    moves,
    rfis,
    screening,
    staff,
    staff_documents,
)
from applications.views import calendar as calendar_views
from applications.views import notifications as notification_views
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
    # Staff screening of documents (views/staff_documents.py)
    path(
        "staff/<int:pk>/documents/",
        staff_documents.StaffDocumentListView.as_view(),
        name="staff-document-list",
    ),
    path(
        "staff/documents/<int:document_id>/correction/",
        staff_documents.DocumentCorrectionRequestView.as_view(),
        name="document-correction-request",
    ),
    path(
        "staff/documents/<int:document_id>/access/",
        staff_documents.DocumentAccessLogView.as_view(),
        name="document-access-log",
    ),
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

# Reviewer workspace: assignment, declarations, conflicts, reviews, notes
from applications.views import assignment, conflicts, notes, reviewer  # noqa: E402

urlpatterns += [
    path(
        "staff/<int:pk>/reviewers/assign/",
        assignment.ApplicationReviewerAssignView.as_view(),
        name="assignment-reviewer-add",
    ),
    path(
        "staff/<int:pk>/reviewers/<int:reviewer_id>/unassign/",
        assignment.ApplicationReviewerUnassignView.as_view(),
        name="assignment-reviewer-remove",
    ),
    path(
        "staff/<int:pk>/case-officer/",
        assignment.ApplicationCaseOfficerAssignView.as_view(),
        name="assignment-case-officer",
    ),
    path("staff/assignment/", assignment.AssignmentListView.as_view(), name="assignment-list"),
    path(
        "staff/assignment/<int:cohort_id>/preview/",
        assignment.BulkAssignmentPreviewView.as_view(),
        name="assignment-bulk-preview",
    ),
    path(
        "staff/assignment/<int:cohort_id>/automatic/",
        assignment.AutoAssignmentPreviewView.as_view(),
        name="assignment-auto-preview",
    ),
    path(
        "staff/assignment/<int:cohort_id>/confirm/",
        assignment.AssignmentConfirmView.as_view(),
        name="assignment-confirm",
    ),
    path("staff/<int:pk>/notes/", notes.NoteAddView.as_view(), name="note-add"),
    path("staff/conflicts/", conflicts.ConflictListView.as_view(), name="conflict-list"),
    path("staff/conflicts/add/", conflicts.ConflictAddView.as_view(), name="conflict-add"),
    path(
        "staff/conflicts/<int:conflict_id>/remove/",
        conflicts.ConflictRemoveView.as_view(),
        name="conflict-remove",
    ),
    path(
        "review/<int:pk>/declaration/",
        reviewer.ReviewerDeclarationView.as_view(),
        name="reviewer-declaration",
    ),
    path("review/<int:pk>/recuse/", reviewer.ReviewerRecuseView.as_view(), name="reviewer-recuse"),
    path("review/<int:pk>/", reviewer.ReviewView.as_view(), name="review"),
    path("review/<int:pk>/save/", reviewer.ReviewSaveView.as_view(), name="review-save"),
    path("review/<int:pk>/submit/", reviewer.ReviewSubmitView.as_view(), name="review-submit"),
    # Screening, requests for information and stage moves (views/screening.py, rfis.py, moves.py)
    path(
        "staff/<int:pk>/screening/<int:requirement_id>/accept/",
        screening.DocumentAcceptView.as_view(),
        name="screening-accept",
    ),
    path(
        "staff/<int:pk>/screening/<int:requirement_id>/to-correct/",
        screening.DocumentToCorrectView.as_view(),
        name="screening-to-correct",
    ),
    path("staff/<int:pk>/rfis/new/", rfis.RfiRaiseView.as_view(), name="rfi-raise"),
    path(
        "staff/<int:pk>/rfis/<int:rfi_id>/cancel/",
        rfis.RfiCancelView.as_view(),
        name="rfi-cancel",
    ),
    path("<int:pk>/rfis/<int:rfi_id>/answer/", rfis.RfiAnswerView.as_view(), name="rfi-answer"),
    path(
        "staff/<int:pk>/moves/package-complete/",
        moves.AcceptAsCompleteView.as_view(),
        name="move-accept-as-complete",
    ),
    path(
        "staff/<int:pk>/moves/eligible/",
        moves.FindEligibleView.as_view(),
        name="move-find-eligible",
    ),
    path(
        "staff/<int:pk>/moves/propose-not-eligible/",
        moves.ProposeNotEligibleView.as_view(),
        name="move-propose-not-eligible",
    ),
    path(
        "staff/<int:pk>/moves/confirm-not-eligible/",
        moves.ConfirmNotEligibleView.as_view(),
        name="move-confirm-not-eligible",
    ),
    path(
        "staff/<int:pk>/moves/send-back-not-eligible/",
        moves.SendBackNotEligibleView.as_view(),
        name="move-send-back-not-eligible",
    ),
    path(
        "staff/<int:pk>/moves/evaluation-complete/",
        moves.CompleteEvaluationView.as_view(),
        name="move-complete-evaluation",
    ),
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

# The printable dossier of one application (views/dossier.py)
from applications.views import dossier  # noqa: E402

urlpatterns += [
    path("staff/<int:pk>/dossier/", dossier.StaffDossierView.as_view(), name="staff-dossier"),
]
