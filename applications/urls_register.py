from django.urls import path

from applications.views.register import PublicRegisterView

app_name = "register"

urlpatterns = [
    path("", PublicRegisterView.as_view(), name="list"),
]
