from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The candidate's pages behind a magic link (``/me/``): consent, profile, CV, feedback, data."""

    name = "talentpool.portal"
    label = "portal"
    verbose_name = _("Candidate pages")
