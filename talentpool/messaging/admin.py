from __future__ import annotations

from django.contrib import admin

from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.messaging.models import FeedbackRequest, Message, TouchpointPlan


@admin.register(Message)
class MessageAdmin(OrganizationScopedAdmin[Message]):
    list_display = ["subject", "kind", "candidate", "language", "status", "scheduled_at", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["subject", "to_email", "candidate__first_name", "candidate__last_name"]
    list_select_related = ["candidate", "organization"]
    readonly_fields = [
        "dedupe_key",
        "approved_by",
        "approved_at",
        "sent_at",
        "provider_id",
        "attempts",
        "last_error",
    ]
    date_hierarchy = "created_at"


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(OrganizationScopedAdmin[FeedbackRequest]):
    list_display = ["candidate", "runner_up", "status", "due_at", "answered_at"]
    list_filter = ["status", "due_at"]
    search_fields = ["candidate__first_name", "candidate__last_name", "question"]
    list_select_related = ["candidate", "runner_up__opening"]


@admin.register(TouchpointPlan)
class TouchpointPlanAdmin(OrganizationScopedAdmin[TouchpointPlan]):
    list_display = ["candidate", "next_touchpoint", "next_due_at", "last_contacted_at", "stopped_at"]
    list_filter = ["next_touchpoint"]
    search_fields = ["candidate__first_name", "candidate__last_name"]
    list_select_related = ["candidate"]
