"""Programme admin console (/console/). Decisions and participations have their own url modules."""

from django.urls import path

from applications.views import console, console_cohorts, console_dashboard, console_programmes

app_name = "console"

urlpatterns = [
    path("", console.ConsoleHomeView.as_view(), name="home"),
    # Programmes (views/console_programmes.py)
    path(
        "programmes/new/",
        console_programmes.ProgrammeCreateView.as_view(),
        name="programme-create",
    ),
    path(
        "programmes/<int:pk>/",
        console_programmes.ProgrammeDetailView.as_view(),
        name="programme-detail",
    ),
    path(
        "programmes/<int:pk>/edit/",
        console_programmes.ProgrammeEditView.as_view(),
        name="programme-edit",
    ),
    path(
        "programmes/<int:pk>/criteria/",
        console_programmes.ProgrammeCriteriaView.as_view(),
        name="programme-criteria",
    ),
    path(
        "programmes/<int:pk>/documents/",
        console_programmes.ProgrammeRequirementsView.as_view(),
        name="programme-requirements",
    ),
    # Cohorts (views/console_cohorts.py)
    path(
        "programmes/<int:pk>/cohorts/new/",
        console_cohorts.CohortCreateView.as_view(),
        name="cohort-create",
    ),
    path("cohorts/<int:pk>/", console_cohorts.CohortDetailView.as_view(), name="cohort-detail"),
    path("cohorts/<int:pk>/edit/", console_cohorts.CohortEditView.as_view(), name="cohort-edit"),
    path("cohorts/<int:pk>/open/", console_cohorts.CohortOpenView.as_view(), name="cohort-open"),
    path("cohorts/<int:pk>/close/", console_cohorts.CohortCloseView.as_view(), name="cohort-close"),
    # The dashboard (views/console_dashboard.py)
    path("dashboard/", console_dashboard.DashboardView.as_view(), name="dashboard"),
    path(
        "dashboard/refresh/",
        console_dashboard.DashboardRefreshView.as_view(),
        name="dashboard-refresh",
    ),
]

# Exports of applications, with the "All applications" queue's filters (views/exports.py)
from applications.views import exports  # noqa: E402

urlpatterns += [
    path(
        "exports/applications.csv",
        exports.ApplicationExportView.as_view(file_format="csv"),
        name="export-applications-csv",
    ),
    path(
        "exports/applications.xlsx",
        exports.ApplicationExportView.as_view(file_format="xlsx"),
        name="export-applications-xlsx",
    ),
]
