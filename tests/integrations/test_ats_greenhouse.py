"""Greenhouse ``reject_candidate`` web hooks, shaped and signed as Greenhouse documents them.

https://developers.greenhouse.io/webhooks.html: ``Signature: sha256 <hex HMAC of the raw body>``,
a ``Greenhouse-Event-ID`` per delivery; Harvest's scorecards at ``/v1/applications/{id}/scorecards``.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json

import pytest

from api.models import AtsDelivery
from integrations.ats.deliveries import delivery_feedback_fetch
from talentpool.candidates.models import Candidate
from talentpool.openings.models import Feedback, RunnerUp
from tests.integrations.conftest import post, warm_rejection_of

pytestmark = pytest.mark.django_db
SECRET = "greenhouse-secret-key"


def rejection(**application) -> dict:
    """A ``reject_candidate`` delivery as Greenhouse's documentation shows it (our values)."""
    body = {
        "action": "reject_candidate",
        "payload": {
            "application": {
                "id": 265293,
                "rejected_at": "2026-11-03T14:20:41Z",
                "prospect": False,
                "status": "rejected",
                "applied_at": "2026-09-22T00:00:00Z",
                "last_activity_at": "2026-11-03T14:20:41Z",
                "source": {"id": 27, "public_name": "LinkedIn"},
                "rejection_reason": {
                    "id": 14, "name": "Other candidate chosen", "type": {"id": 3, "name": "We rejected them"}
                },
                "rejection_details": {"custom_fields": {}},
                "current_stage": {"id": 2708728, "name": "Face to Face 2", "interviews": []},
                "custom_fields": {},
                "candidate": {
                    "id": 265788,
                    "first_name": "Mette",
                    "last_name": "Lund",
                    "title": "Projektleder",
                    "company": None,
                    "phone_numbers": [{"value": "+45 20 30 40 50", "type": "mobile"}],
                    "email_addresses": [{"value": "mette.lund@example.dk", "type": "personal"}],
                    "addresses": [{"value": "Vesterbrogade 1, 1620 København V", "type": "home"}],
                    "website_addresses": [],
                    "social_media_addresses": [],
                    "tags": [],
                    "custom_fields": {},
                    "attachments": [],
                },
                "jobs": [
                    {"id": 4466, "name": "IT-projektleder", "requisition_id": None, "custom_fields": {}}
                ],
                **application,
            }
        },
    }  # fmt: skip
    return body


def send(connection, body: dict, *, secret: str = SECRET, event_id: str = "e-1", raw: bytes | None = None):
    raw = raw if raw is not None else json.dumps(body).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return post(connection, raw, Signature=f"sha256 {signature}", **{"Greenhouse-Event-ID": event_id})


SCORECARDS = [
    {
        "id": 211231,
        "interview": "Face to Face 2",
        "overall_recommendation": "yes",
        "attributes": [
            {"name": "Stakeholder management", "type": "Skills", "note": None, "rating": "strong_yes"},
            {"name": "PRINCE2 certification", "type": "Qualifications", "note": None, "rating": "no"},
        ],
        "questions": [
            {"id": None, "question": "Key Take-Aways", "answer": "Meget tæt på; manglede PRINCE2."}
        ],
    },
    {"id": 211232, "interview": "Face to Face 2", "overall_recommendation": "strong_yes", "attributes": []},
]


@pytest.fixture
def connection(connection_for, organization, vendor_api):
    organization.language, organization.country = "da", "DK"
    organization.save()
    vendor_api.authorization = "Basic aGFydmVzdC1rZXk6"  # "harvest-key:"
    vendor_api.routes["/v1/applications/265293/scorecards"] = SCORECARDS
    return connection_for("greenhouse", secret=SECRET, api_key="harvest-key", api_base_url=vendor_api.url)


def test_a_rejection_after_the_minimum_stage_is_recorded_with_feedback_and_a_danish_rejection(
    connection, vendor_api, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = send(connection, rejection())

    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recorded"
    runner_up = RunnerUp.objects.get()
    assert (runner_up.stage, runner_up.opening.title, runner_up.closeness) == (
        "FINAL_INTERVIEW",
        "IT-projektleder",
        90,
    )
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.email, candidate.language) == (
        "Mette",
        "mette.lund@example.dk",
        "da",
    )
    items = sorted((item.kind, item.text) for item in runner_up.feedback.items.all())
    assert items == [("DEVELOPMENT_AREA", "PRINCE2 certification"), ("STRENGTH", "Stakeholder management")]
    assert runner_up.feedback.free_text == "Meget tæt på; manglede PRINCE2."
    assert warm_rejection_of(runner_up).language == "da"
    assert AtsDelivery.objects.get().feedback_state == "DONE"


def test_the_same_delivery_twice_records_once_and_says_why(connection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(connection, rejection())
        second = send(connection, rejection())

    assert first.json()["status"] == "recorded"
    assert second.json() == {
        "status": "ignored",
        "reason": "Already received (a replay or a retry): nothing recorded twice.",
    }
    assert RunnerUp.objects.count() == 1


def test_a_forged_signature_is_refused_and_counted(connection):
    response = send(connection, rejection(), secret="guess")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    connection.refresh_from_db()
    assert connection.refused_count == 1
    assert not RunnerUp.objects.exists()


def test_a_body_changed_after_signing_is_refused(connection):
    signed = json.dumps(rejection()).encode()
    swapped = signed.replace(b"265788", b"999999")
    signature = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()

    response = post(connection, swapped, Signature=f"sha256 {signature}")

    assert response.status_code == 401
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"current_stage": {"id": 1, "name": "Application Review"}},
            "Rejected at 'Application Review', before",
        ),
        (
            {
                "rejection_reason": {
                    "id": 9,
                    "name": "Took another job",
                    "type": {"id": 1, "name": "They rejected us"},
                }
            },
            "The candidate withdrew.",
        ),
        ({"prospect": True, "jobs": []}, "A prospect, not an applicant to a job."),
    ],
)
def test_an_early_rejection_a_withdrawal_or_a_prospect_changes_nothing_and_says_why(
    connection, change, reason
):
    response = send(connection, rejection(**change))

    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert response.json()["reason"].startswith(reason)
    assert AtsDelivery.objects.get().reason.startswith(reason)
    assert not RunnerUp.objects.exists()


def test_another_event_is_ignored_with_a_200_so_greenhouse_does_not_retry(connection):
    body = copy.deepcopy(rejection())
    body["action"] = "candidate_stage_change"

    response = send(connection, body)

    assert response.status_code == 200
    assert response.json() == {"status": "ignored", "reason": "Not a rejection (candidate_stage_change)."}


def test_the_decision_is_recorded_while_harvest_is_down_and_the_feedback_follows(
    connection, vendor_api, django_capture_on_commit_callbacks
):
    # given: Harvest does not answer
    vendor_api.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = send(connection, rejection())
    assert response.json()["status"] == "recorded"
    delivery = AtsDelivery.objects.get()
    assert delivery.feedback_state == "PENDING"
    assert not Feedback.objects.exists()

    # when it is back and the sweeper runs
    vendor_api.down = False
    delivery_feedback_fetch(delivery_id=delivery.pk)

    # then
    delivery.refresh_from_db()
    assert delivery.feedback_state == "DONE"
    assert RunnerUp.objects.get().feedback.items.count() == 2
