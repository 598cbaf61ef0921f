from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentpool.core.admin_scoping import OrganizationScopedAdmin, organization_ids
from talentpool.core.models import ApiKey, AuditEvent, Membership, Organization
from talentpool.core.selectors import ADMIN_ROLES
from talentpool.core.services import api_key_create


def is_organization_admin(request: HttpRequest, organization_id: int | None) -> bool:
    """Is the user an admin of that organization (or, given None, of any)?"""
    admin_of = organization_ids(request, roles=ADMIN_ROLES)
    return bool(admin_of) if organization_id is None else organization_id in admin_of


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin[Organization]):
    list_display = [
        "name",
        "slug",
        "language",
        "consent_months",
        "documentation_months",
        "auto_approve_messages",
    ]
    list_filter = ["language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_superuser else queryset.filter(pk__in=organization_ids(request))

    def _organization_id_of(self, obj: Organization) -> int | None:
        return obj.pk

    def get_list_filter(self, request: HttpRequest) -> Any:
        return self.list_filter

    def has_change_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        # Organization settings are for the organization's admins.
        return is_organization_admin(request, obj.pk if obj else None)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin[Membership]):
    list_display = ["user", "organization", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organization"]

    def has_change_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        # Memberships are managed by the organization's admins.
        return is_organization_admin(request, obj.organization_id if obj else None)


@admin.register(ApiKey)
class ApiKeyAdmin(OrganizationScopedAdmin[ApiKey]):
    list_display = ["name", "organization", "prefix", "scope", "last_used_at", "revoked_at", "created_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix"]
    fields = ["organization", "name", "scope", "prefix", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "last_used_at"]
    list_select_related = ["organization"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, secret = api_key_create(
            organization=obj.organization, actor=self.actor(request), name=obj.name, scope=obj.scope
        )
        obj.pk, obj.prefix, obj.secret_hash = key.pk, key.prefix, key.secret_hash
        obj._state.adding = False
        self.message_user(
            request,
            _("The new key is %(secret)s. Copy it now: it is not stored and will not be shown again.")
            % {"secret": secret},
            messages.WARNING,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(OrganizationScopedAdmin[AuditEvent]):
    admins_only = True
    read_only_model = True
    list_display = [
        "created_at",
        "organization",
        "action",
        "target_type",
        "target_id",
        "actor_type",
        "actor_user",
    ]
    list_filter = ["action", "actor_type", "target_type"]
    search_fields = ["action", "target_type"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "actor_user"]
