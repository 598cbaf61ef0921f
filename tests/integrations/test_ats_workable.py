"""Workable ``candidate_moved`` webhooks for disqualified candidates, signed as Workable documents.

https://workable.readme.io/reference/webhook-subscriptions-candidates-employees: HMAC-SHA256 of the
payload, keyed with the account token, in ``X-Workable-Signature``; the body is ``{"data":
{candidate}}`` as ``GET /candidates/:id`` returns it. Ratings from ``/candidates/:id/activities``.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from api.models import AtsDelivery
from talentpool.candidates.models import Candidate
from talentpool.openings.models import RunnerUp
from tests.integrations.conftest import post, warm_rejection_of

pytestmark = pytest.mark.django_db
TOKEN = "workable-account-token"


def moved(**candidate) -> dict:
    return {
        "data": {
            "id": "ce4da98",
            "name": "Oliver Brown",
            "firstname": "Oliver",
            "lastname": "Brown",
            "headline": "Quantity surveyor",
            "account": {"subdomain": "nordkyst", "name": "Nordkyst"},
            "job": {"shortcode": "GROOV005", "title": "Quantity Surveyor"},
            "stage": "Interview",
            "disqualified": True,
            "disqualified_at": "2026-11-02T10:00:00Z",
            "disqualification_reason": "Another candidate was a closer fit",
            "withdrew": False,
            "sourced": False,
            "address": "Manchester, United Kingdom",
            "phone": "+44 7700 900123",
            "email": "oliver.brown@example.co.uk",
            "created_at": "2026-10-10T09:00:00Z",
            "updated_at": "2026-11-02T10:00:00Z",
            **candidate,
        }
    }


def send(connection, body: dict, *, secret: str = TOKEN):
    raw = json.dumps(body).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return post(connection, raw, **{"X-Workable-Signature": signature})


ACTIVITIES = {
    "activities": [
        {"action": "moved", "stage_name": "Interview", "created_at": "2026-10-20T00:00:00Z", "body": None},
        {
            "action": "rating",
            "created_at": "2026-10-21T00:00:00Z",
            "member": {"id": "13e0eb0e", "name": "Hiring manager"},
            "body": "Strong on cost planning, less on NEC contracts.",
            "rating": {
                "scale": "thumbs",
                "grade": 1,
                "score_card": {
                    "sections": [
                        {"traits": [
                            {"name": "Cost planning", "score": "definite"},
                            {"name": "NEC contracts", "score": "negative"},
                        ]}
                    ]
                },
            },
        },
    ]
}  # fmt: skip


@pytest.fixture
def connection(connection_for, organization, vendor_api):
    organization.language, organization.country = "da", "DK"
    organization.save()
    vendor_api.authorization = f"Bearer {TOKEN}"
    vendor_api.routes["/spi/v3/candidates/ce4da98/activities"] = ACTIVITIES
    return connection_for("workable", secret=TOKEN, api_base_url=f"{vendor_api.url}/spi/v3")


def test_a_disqualification_at_the_default_interview_stage_is_recorded_with_the_ratings(
    connection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(connection, moved())

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recorded"
    runner_up = RunnerUp.objects.get()
    assert (runner_up.stage, runner_up.opening.title, runner_up.closeness) == (
        "FIRST_INTERVIEW",
        "Quantity Surveyor",
        85,
    )
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.email, candidate.language) == (
        "Oliver",
        "oliver.brown@example.co.uk",
        "en",
    )
    items = sorted((item.kind, item.text) for item in runner_up.feedback.items.all())
    assert items == [("DEVELOPMENT_AREA", "NEC contracts"), ("STRENGTH", "Cost planning")]
    assert warm_rejection_of(runner_up).language == "en"


def test_a_stage_move_a_withdrawal_or_an_early_disqualification_records_nothing_and_says_why(connection):
    cases = [
        (moved(disqualified=False, stage="Offer"), "Not disqualified (a stage move)."),
        (moved(withdrew=True), "The candidate withdrew."),
        (moved(stage="Applied"), "Rejected at 'Applied', before the connection's minimum stage."),
    ]
    for body, reason in cases:
        response = send(connection, body)
        assert response.status_code == 200
        assert response.json() == {"status": "ignored", "reason": reason}
    assert not RunnerUp.objects.exists()
    assert AtsDelivery.objects.filter(outcome="IGNORED").count() == 3


def test_a_forged_signature_or_a_changed_body_is_refused(connection):
    raw = json.dumps(moved()).encode()
    signature = hmac.new(TOKEN.encode(), raw, hashlib.sha256).hexdigest()
    changed = raw.replace(b"oliver.brown", b"someone.else")

    assert send(connection, moved(), secret="guess").status_code == 401
    assert post(connection, changed, **{"X-Workable-Signature": signature}).status_code == 401
    assert not Candidate.objects.exists()


def test_a_replay_records_once(connection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(connection, moved())
        again = send(connection, moved())

    assert again.json()["status"] == "ignored"
    assert RunnerUp.objects.count() == 1
