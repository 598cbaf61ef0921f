"""Admin scoping: a recruiter sees and changes only their organizations' rows; superusers see all.

Every ModelAdmin of a tenant model derives from ``OrganizationScopedAdmin``. It scopes the
change list, the object pages (another organization's row is a 404, not a 403), the choices of
every foreign key, and the list filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from talentpool.core.actors import Actor
from talentpool.core.models import Membership, Organization
from talentpool.core.selectors import ADMIN_ROLES, ANY_ROLE, WRITE_ROLES, organization_list_for_user
from talentpool.core.services import audit_record

if TYPE_CHECKING:
    from django.forms import ModelChoiceField, ModelMultipleChoiceField

_M = TypeVar("_M", bound=models.Model)


def organization_ids(request: HttpRequest, *, roles: Sequence[str] = ANY_ROLE) -> set[int]:
    """The ids of the organizations where the user has one of ``roles``, computed once per request."""
    cache: dict[tuple[str, ...], set[int]] = request.__dict__.setdefault("_talentpool_org_ids", {})
    key = tuple(roles)
    if key not in cache:
        organizations = organization_list_for_user(user=request.user, roles=roles)
        cache[key] = set(organizations.values_list("id", flat=True))
    return cache[key]


def is_tenant_model(model: type[models.Model]) -> bool:
    return any(f.name == "organization" for f in model._meta.get_fields())


class OrganizationScopedForm(forms.ModelForm):
    """Refuses references across organizations (a candidate of A on an opening of B)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organization = cleaned.get("organization") or getattr(self.instance, "organization", None)
        if organization is None:
            return cleaned
        for name, value in list(cleaned.items()):
            related_org_id = getattr(value, "organization_id", None)
            if name != "organization" and related_org_id is not None and related_org_id != organization.pk:
                self.add_error(name, "This belongs to another organization.")
        return cleaned


class OrganizationScopedAdmin(admin.ModelAdmin[_M], Generic[_M]):
    form = OrganizationScopedForm
    organization_path = "organization"  # The lookup from this model to its organization.
    read_only_model = False  # View-only for everyone (audit trail, evidence, logs).
    admins_only = False  # A technical record (the System section): the organization's admins only.

    def get_queryset(self, request: HttpRequest) -> QuerySet[_M]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.organization_path}__in": self._readable_ids(request)})

    def _organization_id_of(self, obj: _M) -> int | None:
        value: Any = obj
        for part in self.organization_path.split("__"):
            value = getattr(value, part, None)
        return value.pk if isinstance(value, Organization) else None

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # Someone who writes for one organization only starts a new row in it.
        initial = dict(super().get_changeform_initial_data(request))
        if self.organization_path == "organization" and "organization" not in initial:
            writable = organization_ids(request, roles=WRITE_ROLES)
            if len(writable) == 1 and not request.user.is_superuser:
                initial["organization"] = str(next(iter(writable)))
        return initial

    def _readable_ids(self, request: HttpRequest) -> set[int]:
        return organization_ids(request, roles=ADMIN_ROLES if self.admins_only else ANY_ROLE)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff and bool(self._readable_ids(request))

    def has_view_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self._organization_id_of(obj) in self._readable_ids(request)

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        if self.read_only_model or not self.has_module_permission(request):
            return False
        writable = organization_ids(request, roles=ADMIN_ROLES if self.admins_only else WRITE_ROLES)
        return bool(writable) if obj is None else self._organization_id_of(obj) in writable

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only_model and self.has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        kwargs.setdefault("queryset", self._scoped_choices(db_field.related_model, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        kwargs.setdefault("queryset", self._scoped_choices(db_field.related_model, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scoped_choices(self, model: Any, request: HttpRequest) -> QuerySet[Any]:
        queryset = model._default_manager.all()
        if request.user.is_superuser:
            return queryset
        if model is Organization:
            return queryset.filter(pk__in=organization_ids(request, roles=WRITE_ROLES))
        if model is get_user_model():
            members = Membership.objects.filter(organization_id__in=organization_ids(request))
            return queryset.filter(pk__in=members.values("user_id"))
        if is_tenant_model(model):
            return queryset.filter(organization_id__in=organization_ids(request))
        return queryset

    def get_list_filter(self, request: HttpRequest) -> Any:
        # Only the organizations that appear in the (scoped) change list are offered.
        filters = list(super().get_list_filter(request))
        if self.organization_path == "organization" and "organization" not in filters:
            filters.insert(0, ("organization", admin.RelatedOnlyFieldListFilter))
        return filters

    @staticmethod
    def actor(request: HttpRequest) -> Actor:
        return Actor.user(request.user)

    # Every admin write leaves an audit event. Models with services override save_model to call them.
    def audit(
        self, request: HttpRequest, obj: models.Model, verb: str, changes: Any = (), *, org_id: Any = None
    ) -> None:
        organization_id = org_id or getattr(obj, "organization_id", None)
        if organization_id is None and isinstance(obj, Organization):
            organization_id = obj.pk
        if organization_id is None:
            return
        audit_record(
            organization=organization_id,
            actor=self.actor(request),
            action=f"{obj._meta.model_name}.{verb}",
            target=obj,
            changes=changes,
        )

    def save_model(self, request: HttpRequest, obj: _M, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.audit(request, obj, "updated" if change else "created", form.changed_data)

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        self.audit(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        for obj in queryset:
            self.audit(request, obj, "deleted")
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        org_id = self._organization_id_of(form.instance)
        for obj in formset.new_objects:
            self.audit(request, obj, "created", org_id=org_id)
        for obj, changed in formset.changed_objects:
            self.audit(request, obj, "updated", changed, org_id=org_id)
        for obj in formset.deleted_objects:
            self.audit(request, obj, "deleted", org_id=org_id)


def concrete_changes(form: forms.ModelForm) -> dict[str, Any]:
    """The changed model fields of an admin form, by attribute name (``opening_id`` style for FKs)."""
    model = form._meta.model
    assert model is not None
    data: dict[str, Any] = {}
    for name in form.changed_data:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a form-only field
            continue
        if field.many_to_many or not field.concrete:
            continue
        data[name] = form.cleaned_data[name]
    return data
