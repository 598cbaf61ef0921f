from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from talentpool.core.models import Membership, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

WRITE_ROLES = (Membership.Role.ADMIN, Membership.Role.RECRUITER)


def organization_list_for_user(
    *, user: AbstractBaseUser | AnonymousUser, writable: bool = False
) -> QuerySet[Organization]:
    """The organizations ``user`` may see (or change, with ``writable``); superusers see all."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if getattr(user, "is_superuser", False):
        return Organization.objects.all()
    memberships = Membership.objects.filter(user_id=user.pk)
    if writable:
        memberships = memberships.filter(role__in=WRITE_ROLES)
    return Organization.objects.filter(pk__in=memberships.values("organization_id"))
