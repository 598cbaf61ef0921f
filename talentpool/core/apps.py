from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talentpool.core"
    label = "core"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        # Embedded default only (no broker): run the periodic sweepers in the web process.
        from talentpool.embedded_beat import embedded_beat_start, embedded_beat_wanted

        if embedded_beat_wanted():
            embedded_beat_start()
