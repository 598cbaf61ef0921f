from __future__ import annotations

import hashlib

import pytest

from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey, AuditEvent
from talentpool.core.services import api_key_create

pytestmark = pytest.mark.django_db


def test_api_key_create_stores_the_sha256_of_the_secret_and_not_the_secret(organization, recruiter):
    # when
    key, secret = api_key_create(organization=organization, actor=Actor.user(recruiter), name="Teamtailor")

    # then
    stored = ApiKey.objects.values().get(pk=key.pk)
    assert stored["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(value) for value in stored.values()}


def test_api_key_create_returns_a_secret_that_starts_with_the_prefix(organization, recruiter):
    # when
    key, secret = api_key_create(organization=organization, actor=Actor.user(recruiter), name="Teamtailor")

    # then
    assert key.prefix
    assert secret.startswith(key.prefix)
    assert len(secret) > len(key.prefix) + 30


def test_api_key_create_records_who_created_the_key(organization, recruiter):
    # when
    key, _secret = api_key_create(
        organization=organization, actor=Actor.user(recruiter), name="Teamtailor", scope=ApiKey.Scope.WRITE
    )

    # then
    assert key.created_by == recruiter
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_user_id, event.target_id, event.changes) == (
        "api_key.created",
        recruiter.pk,
        key.pk,
        ["scope"],
    )
