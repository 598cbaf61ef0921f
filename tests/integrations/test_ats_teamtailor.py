"""Teamtailor ``job_application.update`` webhooks with a rejection, shaped as Teamtailor documents them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from integrations.ats.teamtailor import payload_signature
from talentpool.candidates.models import Candidate
from talentpool.openings.models import RunnerUp
from tests.factories import CandidateFactory, OpeningFactory
from tests.integrations.conftest import post

pytestmark = pytest.mark.django_db

SECRET = "teamtailor-shared-secret"
PAYLOAD: dict[str, Any] = {
    "event_name": "job_application.update",
    "data": {
        "id": "1234",
        "type": "job-applications",
        "attributes": {
            "created-at": "2025-02-01T10:00:00.000+01:00",
            "updated-at": "2025-03-03T15:10:00.000+01:00",
            "rejected-at": "2025-03-03T15:10:00.000+01:00",
            "sourced": False,
            "changed-stage-at": "2025-02-20T09:00:00.000+01:00",
        },
        "relationships": {
            "candidate": {"data": {"id": "77", "type": "candidates"}},
            "job": {"data": {"id": "2", "type": "jobs"}},
            "stage": {"data": {"id": "9", "type": "stages"}},
            "reject-reason": {"data": {"id": "5", "type": "reject-reasons"}},
        },
    },
    "included": [
        {
            "id": "77",
            "type": "candidates",
            "attributes": {
                "first-name": "Astrid",
                "last-name": "Berg",
                "email": "astrid@example.se",
                "phone": "+46 70 123 45 67",
            },
        },
        {"id": "2", "type": "jobs", "attributes": {"title": "IT Designer 1", "status": "open"}},
        {"id": "9", "type": "stages", "attributes": {"name": "Final interview", "stage-type": "interview"}},
        {
            "id": "5",
            "type": "reject-reasons",
            "attributes": {"reason": "Another candidate was a better fit", "rejected-by-company": True},
        },
    ],
}


def document(payload: dict, secret: str = SECRET) -> dict:
    return {"payload": payload, "signature": payload_signature(payload, secret)}


def test_a_rejected_application_becomes_a_hiring_decision(connection_for):
    response = post(connection_for("teamtailor"), document(PAYLOAD))

    assert response.status_code == 200, response.json()
    runner_up = RunnerUp.objects.get()
    assert runner_up.stage == "FINAL_INTERVIEW"
    assert runner_up.notes == "Rejection reason in the ATS: Another candidate was a better fit"
    candidate = Candidate.objects.get()
    assert (candidate.external_id, candidate.first_name, candidate.email) == (
        "77",
        "Astrid",
        "astrid@example.se",
    )
    assert runner_up.opening.title == "IT Designer 1"


def test_a_signature_that_is_the_documented_shape_base64_of_a_hex_digest(connection_for):
    import base64

    decoded = base64.b64decode(payload_signature(PAYLOAD, SECRET)).decode()

    assert len(decoded) == 64
    assert set(decoded) <= set("0123456789abcdef")


def test_a_wrong_signature_is_401(connection_for):
    response = post(connection_for("teamtailor"), document(PAYLOAD, secret="guess"))

    assert response.status_code == 401
    assert not RunnerUp.objects.exists()


def test_a_payload_changed_after_signing_is_401(connection_for):
    body = document(PAYLOAD)
    body["payload"] = copy.deepcopy(PAYLOAD)
    body["payload"]["included"][0]["attributes"]["email"] = "mallory@example.com"

    assert post(connection_for("teamtailor"), body).status_code == 401


def test_an_application_update_that_is_not_a_rejection_is_ignored(connection_for):
    payload = copy.deepcopy(PAYLOAD)
    payload["data"]["attributes"]["rejected-at"] = None

    assert post(connection_for("teamtailor"), document(payload)).json() == {"status": "ignored"}


def test_known_rows_are_used_when_the_payload_carries_only_ids(connection_for, organization):
    candidate = CandidateFactory(organization=organization, source="teamtailor", external_id="77")
    opening = OpeningFactory(organization=organization, source="teamtailor", external_id="2")
    payload = copy.deepcopy(PAYLOAD)
    payload["included"] = [item for item in payload["included"] if item["type"] == "stages"]

    response = post(connection_for("teamtailor"), document(payload))

    assert response.status_code == 200, response.json()
    runner_up = RunnerUp.objects.get()
    assert (runner_up.candidate, runner_up.opening) == (candidate, opening)


def test_without_the_stage_a_rejection_is_ignored(connection_for):
    payload = copy.deepcopy(PAYLOAD)
    payload["included"] = [item for item in payload["included"] if item["type"] != "stages"]

    assert post(connection_for("teamtailor"), document(payload)).json() == {"status": "ignored"}
