"""Concurrent writes of one person or opening end in one row, never in a 400 that blames the input."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from talentpool.candidates.models import Candidate
from talentpool.core.models import ApiKey
from talentpool.openings.models import Opening
from tests.api.conftest import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 8


def at_once(request: Callable[[Any], Any], clients: list[Any]) -> list[Any]:
    """Send one request per client at the same moment; return the responses."""
    barrier = threading.Barrier(len(clients))
    responses: list[Any] = []

    def send(client: Any) -> None:
        try:
            barrier.wait(timeout=10)
            responses.append(request(client))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_concurrent_upserts_of_one_candidate_all_end_in_the_one_row(organization):
    # given
    clients = [client_for(organization, scope=ApiKey.Scope.WRITE) for _ in range(CLIENTS)]
    body = {"source": "teamtailor", "external_id": "tt-77", "first_name": "Maja", "email": "maja@example.dk"}

    # when
    responses = at_once(
        lambda client: client.post("/api/v1/candidates/upsert/", body, format="json"), clients
    )

    # then
    assert len(responses) == CLIENTS
    assert sorted({response.status_code for response in responses}) in ([200, 201], [201], [200, 201, 409])
    assert [r.status_code for r in responses].count(201) == 1
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "conflict"
        assert "unique" not in response.content.decode().lower()
    assert Candidate.objects.filter(organization=organization).count() == 1


def test_concurrent_upserts_of_one_opening_all_end_in_the_one_row(organization):
    # given
    clients = [client_for(organization, scope=ApiKey.Scope.WRITE) for _ in range(CLIENTS)]
    body = {"source": "teamtailor", "external_id": "job-9", "title": "Stilladsmontør", "status": "CLOSED"}

    # when
    responses = at_once(lambda client: client.post("/api/v1/openings/upsert/", body, format="json"), clients)

    # then
    assert {response.status_code for response in responses} <= {200, 201, 409}
    assert [r.status_code for r in responses].count(201) == 1
    assert Opening.objects.filter(organization=organization).count() == 1
