from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The recruiter's workspace in the admin: its static files, middleware and navigation."""

    default = True
    name = "talentpool.workspace"
    label = "workspace"
    verbose_name = _("Workspace")


class WorkspaceAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the workspace's site: navigation by role, the profile page."""

    default = False
    default_site = "talentpool.workspace.site.WorkspaceAdminSite"
