from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentpool.consent.models import ConsentEvent, ConsentText, MagicLink
from talentpool.core.admin_scoping import OrganizationScopedAdmin


@admin.register(ConsentText)
class ConsentTextAdmin(OrganizationScopedAdmin[ConsentText]):
    list_display = ["title", "organization", "language", "version", "created_at"]
    list_filter = ["language"]
    search_fields = ["title", "body"]

    def get_readonly_fields(self, request: HttpRequest, obj: ConsentText | None = None) -> Any:
        # A text someone agreed to is evidence: publish a new version instead of editing it.
        if obj is not None and obj.events.exists():
            return ["organization", "language", "version", "title", "body"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: ConsentText | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.events.exists())


@admin.register(ConsentEvent)
class ConsentEventAdmin(OrganizationScopedAdmin[ConsentEvent]):
    admins_only = True
    read_only_model = True  # Append-only evidence.
    list_display = ["candidate", "kind", "channel", "text", "expires_at", "created_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["candidate__first_name", "candidate__last_name", "candidate__email"]
    list_select_related = ["candidate", "text"]
    date_hierarchy = "created_at"


@admin.register(MagicLink)
class MagicLinkAdmin(OrganizationScopedAdmin[MagicLink]):
    admins_only = True
    read_only_model = True
    list_display = ["candidate", "scope", "expires_at", "used_at", "created_at"]
    list_filter = ["scope"]
    search_fields = ["candidate__first_name", "candidate__last_name"]
    exclude = ["token_hash"]
    list_select_related = ["candidate"]
