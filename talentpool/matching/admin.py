from __future__ import annotations

from django.contrib import admin

from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.matching.models import MatchAlert


@admin.register(MatchAlert)
class MatchAlertAdmin(OrganizationScopedAdmin[MatchAlert]):
    list_display = ["candidate", "opening", "score", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["candidate__first_name", "candidate__last_name", "opening__title"]
    list_select_related = ["candidate", "opening"]
    readonly_fields = ["score", "reasons", "notified_at"]
