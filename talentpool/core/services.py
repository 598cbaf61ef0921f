from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey, AuditEvent, Language, Membership, Organization


def _audit_event(
    *,
    organization: Organization | int,
    actor: Actor,
    action: str,
    target: models.Model,
    changes: Iterable[str],
    context: dict[str, Any] | None,
) -> AuditEvent:
    return AuditEvent(
        organization_id=organization if isinstance(organization, int) else organization.pk,
        actor_type=actor.type,
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        changes=sorted(set(changes)),
        context=context or {},
    )


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
    event = _audit_event(
        organization=organization, actor=actor, action=action, target=target, changes=changes, context=context
    )
    event.save()
    return event


def audit_record_many(
    *,
    organization: Organization | int,
    actor: Actor,
    action: str,
    targets: Iterable[tuple[models.Model, Iterable[str]]],
) -> list[AuditEvent]:
    """``audit_record`` for a batch of ``(target, changes)`` written together, in one insert."""
    return AuditEvent.objects.bulk_create(
        [
            _audit_event(
                organization=organization,
                actor=actor,
                action=action,
                target=target,
                changes=changes,
                context=None,
            )
            for target, changes in targets
        ]
    )


def api_key_create(
    *, organization: Organization, actor: Actor, name: str, scope: str = ApiKey.Scope.READ
) -> tuple[ApiKey, str]:
    """Create an API key; return it with the full secret, which is shown once and never stored."""
    prefix = f"tp_{secrets.token_hex(4)}"
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        organization=organization,
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scope=scope,
        created_by_id=actor.user_id,
    )
    audit_record(
        organization=organization, actor=actor, action="api_key.created", target=key, changes=["scope"]
    )
    return key, secret


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy random secret (a password hash is not needed for those)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def membership_language_set(*, user_id: int, language: str, actor: Actor) -> int:
    """Set the admin's language on all of a user's memberships ("" follows the browser)."""
    if language and language not in Language.values:
        raise ValidationError({"language": "Not a language of the admin."})
    changed = 0
    for membership in (
        Membership.objects.select_for_update().filter(user_id=user_id).exclude(language=language)
    ):
        membership.language = language
        membership.save(update_fields=["language", "updated_at"])
        audit_record(
            organization=membership.organization_id,
            actor=actor,
            action="membership.updated",
            target=membership,
            changes=["language"],
        )
        changed += 1
    return changed
