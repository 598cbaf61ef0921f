from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "talentpool.candidates"
    label = "candidates"
    verbose_name = _("Candidates")

    def ready(self) -> None:
        from talentpool.candidates import signals  # noqa: F401 - connects the receivers
