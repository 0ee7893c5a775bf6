"""Programme admins' decisions console, at /console/decisions/ (views/decisions.py)."""

from django.urls import path

from applications.views import decisions

app_name = "decisions"

urlpatterns = [
    path("", decisions.DecisionConsoleView.as_view(), name="index"),
    path(
        "application/<int:pk>/propose/",
        decisions.DecisionProposeView.as_view(),
        name="propose",
    ),
    path("<int:decision_pk>/confirm/", decisions.DecisionConfirmView.as_view(), name="confirm"),
    path(
        "<int:decision_pk>/send-back/", decisions.DecisionSendBackView.as_view(), name="send-back"
    ),
    path("cohort/<int:pk>/release/", decisions.DecisionReleaseView.as_view(), name="release"),
    path("reports/overdue/", decisions.OverdueReportListView.as_view(), name="overdue-reports"),
]
