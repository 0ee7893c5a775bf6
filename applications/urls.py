from django.urls import path

from applications.views import applicant, documents, drafts, moves, rfis, screening, staff

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
]
