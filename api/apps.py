from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # Registers the OpenAPI description of API-key authentication.
        from api import schema  # noqa: F401
        from api.idempotency import idempotency_records_redact
        from talentpool.rights.signals import candidate_erasing

        def redact(*, candidate: Any, person: Any, **kwargs: Any) -> None:
            idempotency_records_redact(organization_id=candidate.organization_id, person=person)

        candidate_erasing.connect(redact, dispatch_uid="api.idempotency_records_redact", weak=False)
