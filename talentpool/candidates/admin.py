from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate, CvFile
from talentpool.candidates.services import candidate_create, candidate_update
from talentpool.core.admin_scoping import OrganizationScopedAdmin, concrete_changes


class InPoolFilter(admin.SimpleListFilter):
    title = _("talent pool")
    parameter_name = "in_pool"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In the pool")), ("no", _("Not in the pool"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(consent_expires_at__gt=now)
        if self.value() == "no":
            return queryset.exclude(consent_expires_at__gt=now)
        return queryset


class CvFileInline(admin.StackedInline[CvFile, Candidate]):
    model = CvFile
    extra = 0
    fields = ["file", "content_type", "size", "extracted_at"]
    readonly_fields = ["file", "content_type", "size", "extracted_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(OrganizationScopedAdmin[Candidate]):
    list_display = [
        "full_name",
        "headline",
        "location",
        "language",
        "in_pool",
        "consent_expires_at",
        "updated_at",
    ]
    list_filter = [InPoolFilter, "language", "source"]
    search_fields = ["first_name", "last_name", "email", "headline", "external_id"]
    readonly_fields = ["consent_expires_at", "indexed_at", "created_at", "updated_at"]
    list_select_related = ["organization"]
    inlines = [CvFileInline]
    fieldsets = [
        (None, {"fields": ["organization", ("first_name", "last_name"), ("email", "phone"), "language"]}),
        (
            _("Profile"),
            {"fields": ["headline", "skills", "languages", "years_of_experience", "availability", "tags"]},
        ),
        (_("Location"), {"fields": ["location", ("latitude", "longitude")]}),
        (_("CV and links"), {"fields": ["cv_text", "links"], "classes": ["collapse"]}),
        (_("Source"), {"fields": [("source", "external_id")]}),
        (_("Talent pool"), {"fields": ["consent_expires_at", "indexed_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("in pool"), boolean=True)
    def in_pool(self, obj: Candidate) -> bool:
        return obj.is_in_pool()

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        data = concrete_changes(form)
        if change:
            candidate_update(candidate=Candidate.objects.get(pk=obj.pk), actor=self.actor(request), data=data)
            return
        data.pop("organization", None)
        created = candidate_create(organization=obj.organization, actor=self.actor(request), data=data)
        obj.pk, obj._state.adding = created.pk, False


@admin.register(CvFile)
class CvFileAdmin(OrganizationScopedAdmin[CvFile]):
    read_only_model = True
    list_display = ["candidate", "organization", "content_type", "size", "created_at"]
    list_select_related = ["candidate", "organization"]
