from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # Registers the OpenAPI description of API-key authentication.
        from api import schema  # noqa: F401
