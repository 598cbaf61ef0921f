"""Workable ``candidate_moved`` webhooks (disqualified), shaped as Workable documents them."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from typing import Any

import pytest

from talentpool.candidates.models import Candidate
from talentpool.openings.models import Opening, RunnerUp
from tests.integrations.conftest import post

pytestmark = pytest.mark.django_db

MOVED: dict[str, Any] = {
    "id": "3b4a8f4a-2c4d-4b1e-9f7e-1c2d3e4f5a6b",
    "firing_rule": "candidate_moved",
    "resource_type": "candidate",
    "created_at": "2025-03-03T14:02:11Z",
    "data": {
        "id": "ce4da98",
        "name": "Lakita Marrero",
        "firstname": "Lakita",
        "lastname": "Marrero",
        "headline": "Operations Manager",
        "account": {"subdomain": "groove-tech", "name": "Groove Tech"},
        "job": {"shortcode": "GROOV005", "title": "Office Manager"},
        "stage": "Second Interview",
        "disqualified": True,
        "disqualification_reason": "Hired someone else",
        "disqualified_at": "2025-03-03T14:02:00Z",
        "sourced": False,
        "email": "lakita.marrero@example.com",
        "phone": "+45 12 34 56 78",
        "created_at": "2025-02-01T10:00:00Z",
        "updated_at": "2025-03-03T14:02:00Z",
    },
}


def signed(body: bytes, secret: str = "workable-shared-secret") -> dict[str, str]:
    return {"X-Workable-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def test_a_disqualification_at_the_second_interview_becomes_a_hiring_decision(connection_for):
    body = json.dumps(MOVED).encode()

    response = post(connection_for("workable"), body, **signed(body))

    assert response.status_code == 200, response.json()
    runner_up = RunnerUp.objects.get()
    assert (runner_up.stage, runner_up.notes) == (
        "SECOND_INTERVIEW",
        "Rejection reason in the ATS: Hired someone else",
    )
    candidate = Candidate.objects.get()
    assert (candidate.external_id, candidate.email, candidate.headline) == (
        "ce4da98",
        "lakita.marrero@example.com",
        "Operations Manager",
    )
    assert Opening.objects.get().external_id == "GROOV005"


def test_a_wrong_signature_is_401(connection_for):
    body = json.dumps(MOVED).encode()

    assert post(connection_for("workable"), body, **signed(body, "nope")).status_code == 401
    assert not RunnerUp.objects.exists()


def test_a_move_that_is_not_a_disqualification_is_ignored(connection_for):
    payload = copy.deepcopy(MOVED)
    payload["data"]["disqualified"] = False
    body = json.dumps(payload).encode()

    assert post(connection_for("workable"), body, **signed(body)).json() == {"status": "ignored"}


def test_the_minimum_stage_is_the_connections(connection_for):
    body = json.dumps(MOVED).encode()

    response = post(connection_for("workable", minimum_stage="FINAL_INTERVIEW"), body, **signed(body))

    assert response.json() == {"status": "ignored"}
