"""Lever ``candidateArchiveChange`` webhooks, with Lever's Data API played by a local HTTP server.

https://hire.lever.co/developer/documentation: the body's ``signature`` is the hex HMAC-SHA256 of
``token + triggeredAt``; the data is ids only; the opportunity, its archive reason, posting and
feedback come from the API (Basic auth with the API key as user name), in ``{"data": ...}``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pytest

from api.models import AtsDelivery
from talentpool.candidates.models import Candidate
from talentpool.openings.models import RunnerUp
from tests.integrations.conftest import post, warm_rejection_of

pytestmark = pytest.mark.django_db
SECRET = "lever-signature-token"
OPPORTUNITY = "250d8f03-738a-4bba-a671-8a3d73477145"
IN_PROCESS = "8c1b4a60-96a4-4d3c-9e3a-0f6d7c3b2a11"
REASON = "63dd55b2-a99f-4e7b-985f-22c7bf80ab42"
POSTING = "f2f01e16-27f8-4711-a728-7d49499795a0"


def opportunity(**changes) -> dict:
    return {
        "id": OPPORTUNITY,
        "name": "Sara Holm",
        "contact": "7f23e772-a8d9-4c3e-9e8c-6a1d1d3b9a10",
        "headline": "Platform engineer",
        "emails": ["sara.holm@example.se"],
        "phones": [{"type": "mobile", "value": "+46 70 123 45 67"}],
        "location": "Göteborg",
        "stage": {"id": "c3a7b0c1", "text": "On-site Interview"},
        "archived": {"archivedAt": 1762180800000, "reason": REASON},
        "applications": [{"id": "cdb9ee5a", "type": "posting", "posting": POSTING}],
        **changes,
    }


def event(
    *,
    opportunity_id: str = OPPORTUNITY,
    triggered_at: int | None = None,
    secret: str = SECRET,
    token: str = "",
) -> dict:
    token = token or secrets.token_hex(24)  # 48 characters, as Lever's
    triggered_at = triggered_at or int(time.time() * 1000)
    return {
        "id": "1f5d6b3c-event",
        "triggeredAt": triggered_at,
        "event": "candidateArchiveChange",
        "signature": hmac.new(secret.encode(), f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest(),
        "token": token,
        "data": {
            "opportunityId": opportunity_id,
            "candidateId": opportunity_id,
            "contactId": "7f23e772-a8d9-4c3e-9e8c-6a1d1d3b9a10",
            "fromArchived": None,
            "toArchived": {"archivedAt": 1762180800000, "reason": REASON},
        },
    }  # fmt: skip


FEEDBACK = [
    {
        "id": "feedback-1",
        "type": "interview",
        "text": "On-site interview",
        "fields": [
            {
                "type": "score-system",
                "text": "Rating",
                "options": [
                    {"text": "4 - Strong Hire"}, {"text": "3 - Hire"},
                    {"text": "2 - No Hire"}, {"text": "1 - Strong No Hire"},
                ],
                "value": "3 - Hire",
            },
            {
                "type": "scorecard",
                "text": "Skills",
                "scores": [{"text": "Kubernetes"}, {"text": "Terraform"}],
                "value": [{"score": 4, "comment": ""}, {"score": 2, "comment": "Not used in production"}],
            },
            {"type": "textarea", "text": "Notes", "value": "Stark kandidat; vi valde någon med Terraform."},
        ],
    }
]  # fmt: skip


@pytest.fixture
def connection(connection_for, organization, vendor_api):
    organization.language, organization.country = "sv", "SE"
    organization.save()
    vendor_api.authorization = "Basic bGV2ZXIta2V5Og=="  # "lever-key:"
    vendor_api.routes.update(
        {
            f"/v1/opportunities/{OPPORTUNITY}": {"data": opportunity()},
            f"/v1/opportunities/{IN_PROCESS}": {"data": opportunity(id=IN_PROCESS, archived=None)},
            f"/v1/archive_reasons/{REASON}": {
                "data": {"id": REASON, "text": "Underqualified", "status": "active", "type": "non-hired"}
            },
            f"/v1/postings/{POSTING}": {"data": {"id": POSTING, "text": "Platform Engineer"}},
            f"/v1/opportunities/{OPPORTUNITY}/feedback": {"data": FEEDBACK, "hasNext": False},
        }
    )
    return connection_for("lever", secret=SECRET, api_key="lever-key", api_base_url=f"{vendor_api.url}/v1")


def test_an_archived_opportunity_is_recorded_from_levers_api_with_its_feedback_in_swedish(
    connection, vendor_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(connection, event())

    assert response.status_code == 200, response.content
    runner_up = RunnerUp.objects.get()
    assert (runner_up.stage, runner_up.closeness, runner_up.opening.title) == (
        "FINAL_INTERVIEW",
        85,
        "Platform Engineer",
    )
    assert runner_up.notes == "Rejection reason in the ATS: Underqualified"
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.last_name, candidate.email, candidate.language) == (
        "Sara",
        "Holm",
        "sara.holm@example.se",
        "sv",
    )
    items = sorted((item.kind, item.text) for item in runner_up.feedback.items.all())
    assert items == [("DEVELOPMENT_AREA", "Terraform"), ("STRENGTH", "Kubernetes")]
    assert warm_rejection_of(runner_up).language == "sv"


def test_a_token_seen_before_is_not_honoured_again(connection, django_capture_on_commit_callbacks):
    delivery = event(token="a" * 48)
    with django_capture_on_commit_callbacks(execute=True):
        post(connection, delivery)
        again = post(connection, delivery)

    assert again.json()["status"] == "ignored"
    assert RunnerUp.objects.count() == 1
    assert AtsDelivery.objects.count() == 1


def test_a_captured_delivery_with_the_id_swapped_to_someone_in_process_records_nothing(connection):
    response = post(connection, event(opportunity_id=IN_PROCESS))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ignored",
        "reason": "Lever's API says the opportunity is not archived: it is still in process.",
    }
    assert not RunnerUp.objects.exists()
    assert not Candidate.objects.exists()


def test_a_forged_or_stale_signature_is_refused_and_lever_is_not_asked(connection, vendor_api):
    forged = post(connection, event(secret="guess"))
    stale = post(connection, event(triggered_at=int(time.time() * 1000) - 3 * 24 * 3600 * 1000))

    assert (forged.status_code, stale.status_code) == (401, 401)
    assert vendor_api.requests == []
    connection.refresh_from_db()
    assert connection.refused_count == 2


@pytest.mark.parametrize(
    ("route_changes", "reason"),
    [
        ({f"/v1/opportunities/{OPPORTUNITY}":
          {"data": opportunity(stage={"id": "lead-new", "text": "New Lead"})}},
         "Rejected at 'New Lead', before the connection's minimum stage."),
        ({f"/v1/archive_reasons/{REASON}": {"data": {"id": REASON, "text": "Withdrew", "type": "non-hired"}}},
         "The candidate withdrew."),
        ({f"/v1/archive_reasons/{REASON}": {"data": {"id": REASON, "text": "Hired", "type": "hired"}}},
         "Archived as hired."),
    ],
)  # fmt: skip
def test_an_early_rejection_a_withdrawal_or_a_hire_records_nothing_and_says_why(
    connection, vendor_api, route_changes, reason
):
    vendor_api.routes.update(route_changes)

    response = post(connection, event())

    assert response.json() == {"status": "ignored", "reason": reason}
    assert not RunnerUp.objects.exists()


def test_lever_being_down_is_a_502_and_the_retry_is_taken(
    connection, vendor_api, django_capture_on_commit_callbacks
):
    vendor_api.down = True
    delivery = event(token="b" * 48)
    first = post(connection, delivery)
    vendor_api.down = False
    with django_capture_on_commit_callbacks(execute=True):
        retry = post(connection, delivery)

    assert first.status_code == 502
    assert first.json()["code"] == "ats_api_error"
    assert retry.json()["status"] == "recorded"


def test_without_an_api_key_lever_is_told_what_is_missing(connection_for):
    connection = connection_for("lever", secret=SECRET)

    response = post(connection, event())

    assert response.status_code == 400
    assert response.json()["code"] == "ats_not_configured"
    connection.refresh_from_db()
    assert "API key" in connection.last_error
