"""The OpenAPI schema, the offline documentation, and Schemathesis run against the schema."""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey
from talentpool.core.services import api_key_create
from talentpool.wsgi import application
from tests.factories import MatchAlertFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_without_a_key():
    response = APIClient().get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/runner-ups/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["ApiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An organization's API key: `Authorization: Bearer tp_xxxxxxxx.secret`.",
    }


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/swagger/"])
def test_the_documentation_pages_load_nothing_from_the_internet(path):
    response = APIClient().get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.findall(r"""(?:src|href)=["']?https?://""", html)
    assert "cdn" not in html.lower()


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def _connections_kept_open():
    # Requests go through the real WSGI handler, which closes the database connection at the end
    # of each request; inside a test's transaction that would end the test's connection (Django's
    # own test client does the same as this).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def secret(organization, _connections_kept_open):
    """A write key, and a few rows for the generated requests to find."""
    cache.clear()
    MatchAlertFactory(opening__organization=organization)
    OrganizationFactory(slug="someone-else")
    _key, value = api_key_create(
        organization=organization, actor=Actor.system(), name="fuzz", scope=ApiKey.Scope.WRITE
    )
    return value


@pytest.mark.usefixtures("search_engine")
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=not os.environ.get("SCHEMATHESIS_EXPLORE"),  # set it to look for new failures
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_conforms_to_its_schema(case, secret):
    # Every check schemathesis has, but ``positive_data_acceptance``: valid-looking input that the
    # rules refuse (a duplicate email, an unknown id, a host that does not resolve) is a 4xx on
    # purpose. The stateful checks need links between operations, which this schema has none of.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"}, excluded_checks=[positive_data_acceptance]
    )
