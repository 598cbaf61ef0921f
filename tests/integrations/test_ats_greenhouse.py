"""Greenhouse "Candidate/Prospect rejected" web hooks, shaped as Greenhouse documents them."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from typing import Any

import pytest

from talentpool.candidates.models import Candidate
from talentpool.core.models import AuditEvent
from talentpool.openings.models import FeedbackItem, Opening, RunnerUp
from tests.integrations.conftest import post

pytestmark = pytest.mark.django_db

REJECTED: dict[str, Any] = {
    "action": "reject_candidate",
    "payload": {
        "application": {
            "id": 265293,
            "rejected_at": "2015-02-11T15:50:41Z",
            "prospect": False,
            "status": "rejected",
            "applied_at": "2013-03-22T00:00:00Z",
            "last_activity_at": "2015-02-11T15:50:41Z",
            "source": {"id": 27, "public_name": "LinkedIn"},
            "credited_to": None,
            "rejection_reason": {
                "id": 14,
                "name": "Hired another candidate",
                "type": {"id": 1, "name": "We rejected them"},
            },
            "current_stage": {"id": 1073533, "name": "Final Interview", "interviews": []},
            "candidate": {
                "id": 265788,
                "created_at": "2013-10-04T01:24:48Z",
                "first_name": "Hector",
                "last_name": "Porter",
                "title": "Designer",
                "company": None,
                "phone_numbers": [{"value": "330-281-8004", "type": "home"}],
                "email_addresses": [{"value": "hector.porter.265788@example.com", "type": "personal"}],
                "addresses": [],
                "website_addresses": [],
                "social_media_addresses": [],
                "recruiter": None,
                "coordinator": None,
                "attachments": [],
                "tags": ["Imported"],
                "custom_fields": {},
            },
            "jobs": [
                {
                    "id": 3485,
                    "name": "Designer",
                    "requisition_id": None,
                    "status": "open",
                    "opened_at": "2015-01-23T00:25:04Z",
                    "departments": [{"id": 237, "name": "Community"}],
                    "offices": [{"id": 54, "name": "New York", "location": "New York, NY"}],
                }
            ],
            "scorecards": [
                {
                    "overall_recommendation": "yes",
                    "attributes": [
                        {"name": "Portfolio", "type": "Skills", "rating": "strong_yes", "note": None},
                        {"name": "Figma", "type": "Skills", "rating": "no", "note": None},
                        {
                            "name": "Presenting to clients",
                            "type": "Presentation",
                            "rating": "no",
                            "note": None,
                        },
                    ],
                }
            ],
        }
    },
}


def signed(body: bytes, secret: str = "greenhouse-shared-secret") -> dict[str, str]:
    return {"Signature": "sha256 " + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def test_a_rejection_at_the_final_interview_becomes_a_hiring_decision(connection_for, organization):
    connection = connection_for("greenhouse")
    body = json.dumps(REJECTED).encode()

    response = post(connection, body, **signed(body))

    assert response.status_code == 200, response.json()
    runner_up = RunnerUp.objects.get()
    assert response.json() == {"status": "recorded", "runner_up_id": runner_up.pk}
    candidate = Candidate.objects.get()
    assert (candidate.organization, candidate.source, candidate.external_id) == (
        organization,
        "greenhouse",
        "265788",
    )
    assert (candidate.first_name, candidate.last_name, candidate.email) == (
        "Hector",
        "Porter",
        "hector.porter.265788@example.com",
    )
    opening = Opening.objects.get()
    assert (opening.external_id, opening.title, opening.status) == ("3485", "Designer", "FILLED")
    assert runner_up.stage == RunnerUp.Stage.FINAL_INTERVIEW
    assert runner_up.closeness == 85
    assert runner_up.notes == "Rejection reason in the ATS: Hired another candidate (We rejected them)"
    assert runner_up.decided_at.isoformat() == "2015-02-11T15:50:41+00:00"
    items = [
        (item.kind, item.category, item.text)
        for item in runner_up.feedback.items.order_by("kind", "position")
    ]
    assert items == [
        ("DEVELOPMENT_AREA", "SKILL", "Figma"),
        ("DEVELOPMENT_AREA", "PRESENTATION", "Presenting to clients"),
        ("STRENGTH", "", "Portfolio"),
    ]
    assert AuditEvent.objects.filter(action="runner_up.recorded", actor_type="SYSTEM").exists()


def test_a_wrong_signature_is_401_and_records_nothing(connection_for):
    connection = connection_for("greenhouse")
    body = json.dumps(REJECTED).encode()

    response = post(connection, body, **signed(body, secret="guessed"))

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    assert not RunnerUp.objects.exists()


def test_a_missing_signature_is_401(connection_for):
    response = post(connection_for("greenhouse"), REJECTED)

    assert response.status_code == 401


def test_an_altered_body_is_401(connection_for):
    connection = connection_for("greenhouse")
    body = json.dumps(REJECTED).encode()

    response = post(connection, body.replace(b"Hector", b"Mallory"), **signed(body))

    assert response.status_code == 401


def test_an_early_rejection_is_ignored(connection_for):
    payload = copy.deepcopy(REJECTED)
    payload["payload"]["application"]["current_stage"]["name"] = "Application Review"
    body = json.dumps(payload).encode()

    response = post(connection_for("greenhouse"), body, **signed(body))

    assert response.json() == {"status": "ignored"}
    assert not Candidate.objects.exists()


def test_a_candidate_who_withdrew_is_not_a_runner_up(connection_for):
    payload = copy.deepcopy(REJECTED)
    payload["payload"]["application"]["rejection_reason"]["type"]["name"] = "They rejected us"
    body = json.dumps(payload).encode()

    response = post(connection_for("greenhouse"), body, **signed(body))

    assert response.json() == {"status": "ignored"}


def test_other_actions_are_ignored(connection_for):
    body = json.dumps({"action": "ping", "payload": {"web_hook_id": 1}}).encode()

    assert post(connection_for("greenhouse"), body, **signed(body)).json() == {"status": "ignored"}


def test_a_malformed_rejection_is_400(connection_for):
    body = json.dumps({"action": "reject_candidate", "payload": {}}).encode()

    response = post(connection_for("greenhouse"), body, **signed(body))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_payload"


def test_an_unknown_or_inactive_connection_is_404(connection_for):
    connection = connection_for("greenhouse", is_active=False)
    body = json.dumps(REJECTED).encode()

    assert post(connection, body, **signed(body)).status_code == 404
    connection.vendor = "workable"
    assert post(connection, body, **signed(body)).status_code == 404


def test_resending_the_same_rejection_updates_the_decision(connection_for):
    connection = connection_for("greenhouse")
    body = json.dumps(REJECTED).encode()

    post(connection, body, **signed(body))
    post(connection, body, **signed(body))

    assert RunnerUp.objects.count() == Candidate.objects.count() == 1
    assert FeedbackItem.objects.count() == 3
