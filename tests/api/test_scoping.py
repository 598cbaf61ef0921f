"""Every route is scoped to the API key's organization and to its scope, found from the schema."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.webhooks.services import webhook_endpoint_create
from tests.factories import (
    CandidateFactory,
    MatchAlertFactory,
    MessageFactory,
    OpeningFactory,
    RunnerUpFactory,
)

pytestmark = pytest.mark.django_db

SAFE = {"get", "head", "options"}


def operations() -> list[tuple[str, str]]:
    """Every (method, path) the API documents; the schema is generated from the URL conf."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = operations()
WRITES = [(method, path) for method, path in OPERATIONS if method.lower() not in SAFE]
DETAIL_OPERATIONS = [(method, path) for method, path in OPERATIONS if "{id}" in path]


def test_the_schema_lists_the_routes_we_expect():
    # A guard on the introspection itself: if it found nothing, the tests below would prove nothing.
    assert ("POST", "/api/v1/runner-ups/") in WRITES
    assert ("DELETE", "/api/v1/candidates/{id}/") in WRITES
    assert ("GET", "/api/v1/candidates/{id}/export/") in DETAIL_OPERATIONS
    assert len(WRITES) >= 12


def objects_of(organization):
    """One object of each kind a detail route names, in ``organization``."""
    runner_up = RunnerUpFactory(opening__organization=organization)
    endpoint = webhook_endpoint_create(
        organization=organization, actor=Actor.system(), url="https://ats.example/hook"
    )
    return {
        "candidates": runner_up.candidate,
        "openings": runner_up.opening,
        "runner-ups": runner_up,
        "messages": MessageFactory(candidate=runner_up.candidate),
        "match-alerts": MatchAlertFactory(opening=runner_up.opening, candidate=runner_up.candidate),
        "webhooks": endpoint,
    }


def concrete(path: str, objects: dict) -> str:
    resource = path.removeprefix("/api/v1/").split("/")[0]
    return path.replace("{id}", str(objects[resource].pk)) if "{id}" in path else path


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_a_read_key_gets_403_on_every_write(read_api, organization, method, path):
    # given
    objects = objects_of(organization)
    audit_events = AuditEvent.objects.count()

    # when
    response = read_api.generic(method, concrete(path, objects), "{}", content_type="application/json")

    # then
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "insufficient_scope"
    assert AuditEvent.objects.count() == audit_events


@pytest.mark.parametrize(
    ("method", "path"), DETAIL_OPERATIONS, ids=[f"{m} {p}" for m, p in DETAIL_OPERATIONS]
)
def test_another_organizations_rows_are_404_on_every_detail_route(other_api, organization, method, path):
    # given: rows of `organization`, and a write key of another organization
    objects = objects_of(organization)
    audit_events = AuditEvent.objects.count()

    # when
    response = other_api.generic(method, concrete(path, objects), "{}", content_type="application/json")

    # then
    assert response.status_code == 404, response.content
    assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}
    assert AuditEvent.objects.count() == audit_events
    assert Candidate.objects.filter(pk=objects["candidates"].pk).exists()


def test_a_hiring_decision_cannot_name_another_organizations_rows(other_api, organization):
    runner_up = RunnerUpFactory(opening__organization=organization)

    response = other_api.post(
        "/api/v1/runner-ups/",
        {
            "candidate": {"id": runner_up.candidate_id},
            "opening": {"id": runner_up.opening_id},
            "stage": "OFFER",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"candidate.id"}


def test_lists_show_only_the_callers_rows(api, other_api, organization, other_organization):
    mine = CandidateFactory(organization=organization)
    CandidateFactory(organization=other_organization)
    OpeningFactory(organization=other_organization)

    assert [row["id"] for row in api.get("/api/v1/candidates/").json()["results"]] == [mine.pk]
    assert api.get("/api/v1/openings/").json()["results"] == []


def test_every_write_route_is_a_documented_one():
    # Write routes outside the schema would escape the tests above; the ATS webhooks are the one
    # exception, and they are authenticated by the vendor's signature instead of an API key.
    from django.urls import get_resolver

    documented = {re.sub(r"\{[^}]+\}", "X", path) for _method, path in OPERATIONS}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    api_routes = {
        "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]+\)", "X", route).replace("^", "").replace("$", "")
        for route in walk(get_resolver().url_patterns)
        if route.startswith("api/v1/")
    }
    undocumented = {
        route for route in api_routes if route not in documented and not route.startswith("/api/v1/ats/")
    }
    # The catch-all answers every other path with a JSON 404; it writes nothing.
    assert undocumented <= {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/swagger/", "/api/v1/.*"}
