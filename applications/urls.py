from django.urls import path

from applications.views import applicant, documents, drafts, staff, staff_documents

app_name = "applications"

urlpatterns = [
    # Drafting (views/drafts.py)
    path("new/<int:cohort_id>/", drafts.ApplicationStartView.as_view(), name="application-start"),
    path("<int:pk>/edit/<slug:step>/", drafts.ApplicationStepView.as_view(), name="application-step"),
    # Documents (views/documents.py)
    path("<int:pk>/documents/", documents.DocumentListView.as_view(), name="document-list"),
    path("<int:pk>/documents/<int:requirement_id>/upload/", documents.document_upload_view, name="document-upload"),
    path("documents/<int:version_id>/download/", documents.DocumentDownloadView.as_view(), name="document-download"),
    # Submitting and following (views/applicant.py)
    path("<int:pk>/", applicant.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/submit/", applicant.ApplicationSubmitView.as_view(), name="application-submit"),
    path("<int:pk>/receipt/", applicant.ApplicationReceiptView.as_view(), name="application-receipt"),
    path("<int:pk>/withdraw/", applicant.ApplicationWithdrawView.as_view(), name="application-withdraw"),
    # Regulator staff (views/staff.py)
    path("staff/", staff.StaffApplicationListView.as_view(), name="staff-application-list"),
    # Staff screening of documents (views/staff_documents.py)
    path("staff/<int:pk>/documents/", staff_documents.StaffDocumentListView.as_view(), name="staff-document-list"),
    path("staff/documents/<int:document_id>/correction/", staff_documents.DocumentCorrectionRequestView.as_view(), name="document-correction-request"),
    path("staff/documents/<int:document_id>/access/", staff_documents.DocumentAccessLogView.as_view(), name="document-access-log"),
]
