from __future__ import annotations

from django.contrib import admin

from api.models import AtsConnection
from talentpool.core.admin_scoping import OrganizationScopedAdmin


@admin.register(AtsConnection)
class AtsConnectionAdmin(OrganizationScopedAdmin[AtsConnection]):
    list_display = ["vendor", "organization", "public_id", "minimum_stage", "is_active", "last_received_at"]
    list_filter = ["vendor", "is_active"]
    readonly_fields = ["public_id", "last_received_at"]
