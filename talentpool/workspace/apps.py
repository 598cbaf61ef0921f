from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The recruiter's workspace in the admin: its static files, middleware and navigation."""

    name = "talentpool.workspace"
    label = "workspace"
    verbose_name = _("Workspace")
