from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from talentpool.core.models import Membership, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ANY_ROLE = tuple(Membership.Role)
WRITE_ROLES = (Membership.Role.ADMIN, Membership.Role.RECRUITER)
ADMIN_ROLES = (Membership.Role.ADMIN,)


def organization_list_for_user(
    *, user: AbstractBaseUser | AnonymousUser, roles: Sequence[str] = ANY_ROLE
) -> QuerySet[Organization]:
    """The organizations in which ``user`` has one of ``roles``; superusers have all."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if getattr(user, "is_superuser", False):
        return Organization.objects.all()
    memberships = Membership.objects.filter(user_id=user.pk, role__in=roles)
    return Organization.objects.filter(pk__in=memberships.values("organization_id"))
