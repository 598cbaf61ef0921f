from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.webhooks.models import WebhookDelivery, WebhookEndpoint
from talentpool.webhooks.signing import secret_generate


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(OrganizationScopedAdmin[WebhookEndpoint]):
    list_display = ["url", "organization", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "consecutive_failures", "disabled_at"]

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        if not obj.secret:
            obj.secret = secret_generate()
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OrganizationScopedAdmin[WebhookDelivery]):
    admins_only = True
    read_only_model = True
    list_display = ["event_type", "endpoint", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["event_type", "endpoint__url"]
    list_select_related = ["endpoint"]
