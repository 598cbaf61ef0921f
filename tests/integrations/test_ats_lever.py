"""Lever ``candidateArchiveChange`` webhooks, with Lever's API played by a local HTTP server."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from talentpool.candidates.models import Candidate
from talentpool.openings.models import RunnerUp
from tests.integrations.conftest import post

pytestmark = pytest.mark.django_db

SECRET = "lever-shared-secret"
OPPORTUNITY = "250d8f03-738a-4bba-a671-8a3d73477145"

LEVER_API: dict[str, Any] = {
    f"/opportunities/{OPPORTUNITY}": {
        "id": OPPORTUNITY,
        "name": "Shane Smith",
        "contact": "7f23e772-a8d9-4c3e-9e8c-6a1d1d3b9a10",
        "headline": "Brickly LLC, Vandelay Industries",
        "emails": ["shane@example.com"],
        "phones": [{"type": "mobile", "value": "(123) 456-7891"}],
        "stage": {"id": "offer", "text": "Offer"},
        "archived": {"archivedAt": 1417588008493, "reason": "63dd55b2-a99f-4e7b-985f-22c7bf80ab42"},
        "applications": [
            {"id": "cdb9ee5a", "type": "posting", "posting": "f2f01e16-27f8-4711-a728-7d49499795a0"}
        ],
    },
    "/postings/f2f01e16-27f8-4711-a728-7d49499795a0": {
        "id": "f2f01e16-27f8-4711-a728-7d49499795a0",
        "text": "Infrastructure Engineer",
    },
    "/archive_reasons/63dd55b2-a99f-4e7b-985f-22c7bf80ab42": {
        "id": "63dd55b2-a99f-4e7b-985f-22c7bf80ab42",
        "text": "Hired other candidate",
        "status": "active",
        "type": "non-hired",
    },
    f"/opportunities/{OPPORTUNITY}/feedback": [
        {
            "id": "feedback-1",
            "type": "interview",
            "fields": [
                {"type": "score-system", "text": "Rating", "value": 3},
                {
                    "type": "scorecard",
                    "text": "Scorecard",
                    "scores": [{"text": "Kubernetes"}, {"text": "Communication"}],
                    "value": [{"score": 4}, {"score": 2}],
                },
            ],
        }
    ],
}


@pytest.fixture
def lever_api() -> Iterator[dict]:
    """Lever's API: answers the documented resources, records what was asked, checks the key."""
    state: dict = {"paths": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0].removeprefix("/v1")
            state["paths"].append(path)
            if self.headers.get("Authorization") != "Basic bGV2ZXIta2V5Og==":  # "lever-key:"
                self.send_response(401)
                self.end_headers()
                return
            data = LEVER_API.get(path)
            body = json.dumps({"data": data}).encode()
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield state
    server.shutdown()
    server.server_close()


def event(*, triggered_at: int | None = None, secret: str = SECRET, to_archived: dict | None = None) -> dict:
    token = "59a62a7f1c4e4a1e8b5d9d5a7c1c8f55"
    triggered_at = triggered_at or int(time.time() * 1000)
    return {
        "triggeredAt": triggered_at,
        "event": "candidateArchiveChange",
        "signature": hmac.new(secret.encode(), f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest(),
        "token": token,
        "data": {
            "opportunityId": OPPORTUNITY,
            "candidateId": OPPORTUNITY,
            "contactId": "7f23e772-a8d9-4c3e-9e8c-6a1d1d3b9a10",
            "fromArchived": None,
            "toArchived": to_archived
            if to_archived is not None
            else {"archivedAt": 1417588008493, "reason": "63dd55b2-a99f-4e7b-985f-22c7bf80ab42"},
        },
    }


@pytest.fixture
def connection(connection_for, lever_api):
    return connection_for("lever", secret=SECRET, api_key="lever-key", api_base_url=lever_api["url"])


def test_an_archived_opportunity_at_offer_becomes_a_hiring_decision(connection, lever_api):
    response = post(connection, event())

    assert response.status_code == 200, response.json()
    runner_up = RunnerUp.objects.get()
    assert runner_up.stage == "OFFER"
    assert runner_up.notes == "Rejection reason in the ATS: Hired other candidate"
    assert runner_up.closeness == 85
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.last_name, candidate.email, candidate.external_id) == (
        "Shane",
        "Smith",
        "shane@example.com",
        "7f23e772-a8d9-4c3e-9e8c-6a1d1d3b9a10",
    )
    assert runner_up.opening.title == "Infrastructure Engineer"
    items = sorted((item.kind, item.text) for item in runner_up.feedback.items.all())
    assert items == [("DEVELOPMENT_AREA", "Communication"), ("STRENGTH", "Kubernetes")]
    assert lever_api["paths"][0] == f"/opportunities/{OPPORTUNITY}"


def test_a_wrong_signature_is_401_and_lever_is_not_asked(connection, lever_api):
    response = post(connection, event(secret="guess"))

    assert response.status_code == 401
    assert lever_api["paths"] == []


def test_an_old_event_is_refused_as_the_signature_does_not_cover_the_body(connection, lever_api):
    response = post(connection, event(triggered_at=int(time.time() * 1000) - 2 * 3600 * 1000))

    assert response.status_code == 401
    assert not RunnerUp.objects.exists()


def test_unarchiving_is_ignored(connection, lever_api):
    assert post(connection, event(to_archived={})).json() == {"status": "ignored"}
    assert lever_api["paths"] == []


def test_an_opportunity_archived_early_is_ignored(connection, lever_api, monkeypatch):
    early = copy.deepcopy(LEVER_API)
    early[f"/opportunities/{OPPORTUNITY}"]["stage"] = {"id": "lead-new", "text": "New lead"}
    monkeypatch.setattr(f"{__name__}.LEVER_API", early)

    assert post(connection, event()).json() == {"status": "ignored"}


def test_lever_being_down_is_a_502_so_lever_retries(connection_for):
    connection = connection_for(
        "lever", secret=SECRET, api_key="lever-key", api_base_url="http://127.0.0.1:9/v1"
    )

    response = post(connection, event())

    assert response.status_code == 502
    assert response.json()["code"] == "ats_api_error"
