from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey, Organization
from talentpool.core.services import api_key_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def client_for(organization: Organization, *, scope: str) -> APIClient:
    key, secret = api_key_create(
        organization=organization, actor=Actor.system(), name=f"ATS {scope}", scope=scope
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.api_key = key  # type: ignore[attr-defined]
    return client


@pytest.fixture
def api(organization: Organization) -> APIClient:
    """A client with a write key of ``organization``."""
    return client_for(organization, scope=ApiKey.Scope.WRITE)


@pytest.fixture
def read_api(organization: Organization) -> APIClient:
    return client_for(organization, scope=ApiKey.Scope.READ)


@pytest.fixture
def other_api(other_organization: Organization) -> APIClient:
    """A client with a write key of another organization."""
    return client_for(other_organization, scope=ApiKey.Scope.WRITE)
