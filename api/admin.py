"""ATS connections in the admin: the secret, the stages mapped to ours, and the connection's health."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from api.models import AtsConnection, AtsDelivery, AtsStageMapping
from integrations.ats.deliveries import delivery_summary
from integrations.ats.registry import ADAPTERS
from talentpool.core.admin_scoping import OrganizationScopedAdmin, organization_ids


class AtsStageMappingInline(admin.TabularInline[AtsStageMapping, AtsConnection]):
    model = AtsStageMapping
    extra = 1
    fields = ["vendor_stage", "stage"]
    verbose_name_plural = _("Stages in the ATS, and what they are among ours")


class AtsDeliveryInline(admin.TabularInline[AtsDelivery, AtsConnection]):
    """The latest deliveries, read-only: what was done with each, and why."""

    model = AtsDelivery
    fields = ["received_at", "outcome", "reason", "application_id", "runner_up", "feedback_state"]
    readonly_fields = ["received_at", "outcome", "reason", "application_id", "runner_up", "feedback_state"]
    ordering = ["-received_at", "-id"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("Latest deliveries")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("runner_up__opening")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.organization_id in organization_ids(request)


@admin.register(AtsConnection)
class AtsConnectionAdmin(OrganizationScopedAdmin[AtsConnection]):
    list_display = ["vendor", "organization", "minimum_stage", "is_active", "last_received_at", "health"]
    list_filter = ["vendor", "is_active"]
    readonly_fields = [
        "public_id",
        "webhook_url",
        "last_received_at",
        "health",
        "last_error",
        "last_error_at",
    ]
    fieldsets = [
        (None, {"fields": ["organization", "vendor", "is_active", "minimum_stage"]}),
        (_("Webhook"), {"fields": ["webhook_url", "secret"]}),
        (_("The ATS's API"), {"fields": ["api_key", "api_base_url"]}),
        (_("Health"), {"fields": ["last_received_at", "health", "last_error", "last_error_at"]}),
    ]
    inlines = [AtsStageMappingInline, AtsDeliveryInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("webhook URL"))
    def webhook_url(self, obj: AtsConnection) -> str:
        if obj.pk is None:
            return str(_("Shown once the connection is saved."))
        path = reverse("ats-webhook", args=[obj.vendor, obj.public_id])
        return f"{settings.SITE_URL}/api/v1/{path.removeprefix('/api/v1/')}"

    @admin.display(description=_("deliveries"))
    def health(self, obj: AtsConnection) -> str:
        if obj.pk is None:
            return "—"
        counts = delivery_summary(obj)
        labels = [
            (_("recorded"), counts["RECORDED"]),
            (_("ignored"), counts["IGNORED"]),
            (_("failed"), counts["FAILED"]),
            (_("refused"), counts["REFUSED"]),
        ]
        return format_html_join(", ", "{}: {}", ((str(label), count) for label, count in labels))

    def save_model(self, request: HttpRequest, obj: AtsConnection, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # A new connection starts from the vendor's default pipeline; change it to yours.
            AtsStageMapping.objects.bulk_create(
                [
                    AtsStageMapping(connection=obj, vendor_stage=name, stage=stage)
                    for name, stage in ADAPTERS[obj.vendor].default_stages.items()
                ],
                ignore_conflicts=True,
            )


@admin.register(AtsDelivery)
class AtsDeliveryAdmin(OrganizationScopedAdmin[AtsDelivery]):
    """Every delivery an ATS made, and why each that recorded nothing was ignored."""

    admins_only = True

    organization_path = "connection__organization"
    read_only_model = True
    list_display = ["received_at", "connection", "outcome", "reason", "runner_up_link", "feedback_state"]
    list_filter = ["outcome", "feedback_state", "connection__vendor"]
    list_select_related = ["connection", "runner_up"]
    exclude = ["key"]

    @admin.display(description=_("runner-up"))
    def runner_up_link(self, obj: AtsDelivery) -> str:
        if obj.runner_up_id is None:
            return "—"
        url = reverse("admin:openings_runnerup_change", args=[obj.runner_up_id])
        return format_html('<a href="{}">{}</a>', url, obj.runner_up_id)
