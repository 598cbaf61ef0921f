from __future__ import annotations

from django.contrib import admin

from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.webhooks.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(OrganizationScopedAdmin[WebhookEndpoint]):
    list_display = ["url", "organization", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["consecutive_failures", "disabled_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OrganizationScopedAdmin[WebhookDelivery]):
    read_only_model = True
    list_display = ["event_type", "endpoint", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["event_type", "endpoint__url"]
    list_select_related = ["endpoint"]
