from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talentpool.core"
    label = "core"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from talentpool.core.queueing import request_answered, request_begun

        request_started.connect(request_begun, dispatch_uid="talentpool.request_begun")
        request_finished.connect(request_answered, dispatch_uid="talentpool.request_answered")
        # Embedded default only (no broker): run the periodic sweepers in the web process.
        from talentpool.embedded_beat import embedded_beat_start, embedded_beat_wanted

        if embedded_beat_wanted():
            embedded_beat_start()
