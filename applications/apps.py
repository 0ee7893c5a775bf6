from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Sandbox applications")

    def ready(self) -> None:
        from applications import signals

        signals.connect()
