"""Who is acting: passed as ``actor=`` to every service so the audit trail can name them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from talentpool.core.models import ApiKey, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class Actor:
    type: AuditEvent.ActorType
    user_id: int | None = None
    api_key_id: int | None = None

    @classmethod
    def user(cls, user: AbstractBaseUser | AnonymousUser) -> Actor:
        return cls(type=AuditEvent.ActorType.USER, user_id=user.pk)

    @classmethod
    def api_key(cls, key: ApiKey) -> Actor:
        return cls(type=AuditEvent.ActorType.API_KEY, api_key_id=key.pk)

    @classmethod
    def candidate(cls) -> Actor:
        return cls(type=AuditEvent.ActorType.CANDIDATE)

    @classmethod
    def system(cls) -> Actor:
        return cls(type=AuditEvent.ActorType.SYSTEM)
