"""Participations, at /participations/: the participant's face (views/participations.py) and
programme admins' supervision (views/supervision.py)."""

from django.urls import path

from applications.views import participations as participant
from applications.views import report_attachments as attachments
from applications.views import supervision as staff

app_name = "participations"

urlpatterns = [
    # The participant
    path("<int:pk>/", participant.ParticipantPageView.as_view(), name="detail"),
    path("<int:pk>/decline/", participant.OfferDeclineView.as_view(), name="decline"),
    path("<int:pk>/extension/", participant.ExtensionRequestView.as_view(), name="extension"),
    path(
        "<int:pk>/reports/<int:report_pk>/file/",
        participant.ReportFileView.as_view(),
        name="report-file",
    ),
    path("<int:pk>/incidents/new/", participant.IncidentReportView.as_view(), name="incident"),
    # Programme admins
    path("staff/", staff.ParticipationListView.as_view(), name="staff-list"),
    path("staff/<int:pk>/", staff.ParticipationStaffView.as_view(), name="staff-detail"),
    path("staff/<int:pk>/onboarding/", staff.OnboardingStartView.as_view(), name="onboarding"),
    path(
        "staff/conditions/<int:condition_pk>/confirm/",
        staff.ConditionConfirmView.as_view(),
        name="condition-confirm",
    ),
    path("staff/<int:pk>/testing/", staff.TestingStartView.as_view(), name="testing"),
    path("staff/<int:pk>/suspend/", staff.SuspendView.as_view(), name="suspend"),
    path("staff/<int:pk>/reinstate/", staff.ReinstateView.as_view(), name="reinstate"),
    path("staff/<int:pk>/terminate/", staff.TerminateView.as_view(), name="terminate"),
    path("staff/<int:pk>/exit/", staff.ExitStartView.as_view(), name="exit"),
    path("staff/<int:pk>/exit/complete/", staff.ExitCompleteView.as_view(), name="exit-complete"),
    path(
        "staff/reports/<int:report_pk>/accept/",
        staff.ReportAcceptView.as_view(),
        name="report-accept",
    ),
    path(
        "staff/reports/<int:report_pk>/return/",
        staff.ReportReturnView.as_view(),
        name="report-return",
    ),
    path(
        "staff/extensions/<int:extension_pk>/approve/",
        staff.ExtensionApproveView.as_view(),
        name="extension-approve",
    ),
    path(
        "staff/extensions/<int:extension_pk>/refuse/",
        staff.ExtensionRefuseView.as_view(),
        name="extension-refuse",
    ),
    # Files attached to reports (views/report_attachments.py)
    path(
        "<int:pk>/reports/<int:report_pk>/attachments/",
        attachments.report_attachment_upload_view,
        name="report-attachment-upload",
    ),
    path(
        "reports/attachments/<int:attachment_pk>/download/",
        attachments.ReportAttachmentDownloadView.as_view(),
        name="report-attachment-download",
    ),
]
