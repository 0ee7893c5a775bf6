from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.SetLanguageView.as_view(), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("organisation/", include("portal.accounts.urls")),
    path("applications/", include("applications.urls")),
    path("django-admin/", admin.site.urls),
    path("console/", include("applications.urls_console")),
    path("register/", include("applications.urls_register")),
    path("console/decisions/", include("applications.urls_decisions")),
    path("participations/", include("applications.urls_participations")),
]
