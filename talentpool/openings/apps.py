from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpeningsConfig(AppConfig):
    name = "talentpool.openings"
    label = "openings"
    verbose_name = _("Openings")
