from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent, Organization


def audit_record(
    *,
    organization: Organization | int,
    actor: Actor,
    action: str,
    target: models.Model,
    changes: Iterable[str] = (),
    context: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``.

    ``changes`` names the fields touched, never their values: the audit trail outlives erasure
    and must hold no personal data.
    """
    organization_id = organization if isinstance(organization, int) else organization.pk
    return AuditEvent.objects.create(
        organization_id=organization_id,
        actor_type=actor.type,
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        changes=sorted(set(changes)),
        context=context or {},
    )
