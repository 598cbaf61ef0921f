"""Teamtailor ``job_application.update`` company webhooks, with Teamtailor's API on a local server.

https://partner.teamtailor.com/company_webhooks: ``TT-Signature`` v2 is the Base64 of
``t=<unix>,v2=<hex HMAC(key, "<t>." + raw body)>``; v1 the Base64 of the hex HMAC of ``data.id``.
The application and its candidate, job, stage and reject reason come from
``GET /v1/job-applications/{id}?include=...`` (``Authorization: Token token=<key>``).
"""

from __future__ import annotations

import json
import time

import pytest

from api.models import AtsDelivery
from integrations.ats.teamtailor import signature_v1, signature_v2
from talentpool.candidates.models import Candidate
from talentpool.openings.models import RunnerUp
from tests.integrations.conftest import post, warm_rejection_of

pytestmark = pytest.mark.django_db
SECRET = "tt-signature-key"
APPLICATION = "1337"


def update(*, rejected_at: str | None = "2026-11-03T09:12:44.000+01:00", **attributes) -> dict:
    """A ``job_application.update`` as Teamtailor lists its attributes (snake_case)."""
    return {
        "payload": {
            "event_name": "job_application.update",
            "data": {
                "id": APPLICATION,
                "type": "job-applications",
                "attributes": {
                    "id": APPLICATION,
                    "updated_at": "2026-11-03T09:12:44.000+01:00",
                    "job_id": "57",
                    "job_title": "Stilladsmontør",
                    "last_moved_at": "2026-10-30T13:00:00.000+01:00",
                    "stage_name": "Andet interview",
                    "rejected_at": rejected_at,
                    "company_uuid": "0c4e8a8e",
                    "transparent_recruiting_visible_at": "2026-11-05T09:00:00.000+01:00",
                    **attributes,
                },
            },
        }
    }


def application(
    *,
    rejected_at: str | None = "2026-11-03T09:12:44.000+01:00",
    by_company: bool = True,
    stage: str = "Andet interview",
) -> dict:
    """Teamtailor's API answer for the application, with what it includes (kebab-case)."""
    return {
        "data": {
            "id": APPLICATION,
            "type": "job-applications",
            "attributes": {"created-at": "2026-10-01T10:30:43.910+02:00", "rejected-at": rejected_at},
            "relationships": {
                "candidate": {"data": {"id": "42", "type": "candidates"}},
                "job": {"data": {"id": "57", "type": "jobs"}},
                "stage": {"data": {"id": "9", "type": "stages"}},
                "reject-reason": {"data": {"id": "3", "type": "reject-reasons"}},
            },
        },
        "included": [
            {"id": "42", "type": "candidates", "attributes": {
                "first-name": "Jonas", "last-name": "Bech",
                "email": "jonas.bech@example.dk", "phone": "+4522334455",
            }},
            {"id": "57", "type": "jobs", "attributes": {"title": "Stilladsmontør til industri og havn"}},
            {"id": "9", "type": "stages", "attributes": {"name": stage, "stage-type": "In process"}},
            {"id": "3", "type": "reject-reasons",
             "attributes": {"reason": "Anden kandidat", "rejected-by-company": by_company}},
        ],
    }  # fmt: skip


def send(connection, body: dict, *, secret: str = SECRET, at: int | None = None):
    raw = json.dumps(body).encode()
    return post(connection, raw, **{"TT-Signature": signature_v2(raw, secret, at=at or int(time.time()))})


@pytest.fixture
def connection(connection_for, organization, vendor_api):
    organization.language, organization.country = "en", "DK"
    organization.save()
    vendor_api.authorization = "Token token=tt-api-key"
    vendor_api.routes[f"/v1/job-applications/{APPLICATION}"] = application()
    return connection_for("teamtailor", secret=SECRET, api_key="tt-api-key", api_base_url=vendor_api.url)


def test_a_rejection_is_recorded_from_teamtailors_api_and_told_no_earlier_than_teamtailor_allows(
    connection, vendor_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(connection, update())

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recorded"
    runner_up = RunnerUp.objects.get()
    assert (runner_up.stage, runner_up.opening.title) == (
        "SECOND_INTERVIEW",
        "Stilladsmontør til industri og havn",
    )
    assert runner_up.notify_not_before is not None
    assert runner_up.notify_not_before.isoformat() == "2026-11-05T08:00:00+00:00"
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.email, candidate.language) == (
        "Jonas",
        "jonas.bech@example.dk",
        "da",
    )
    message = warm_rejection_of(runner_up)
    assert message.language == "da"
    assert message.scheduled_at is not None
    assert message.scheduled_at >= runner_up.notify_not_before
    path, headers = vendor_api.requests[0]
    assert path.startswith(f"/v1/job-applications/{APPLICATION}?include=")
    assert headers["X-Api-Version"]


def test_kebab_case_attributes_are_read_as_well(connection, django_capture_on_commit_callbacks):
    body = update()
    attributes = body["payload"]["data"]["attributes"]
    body["payload"]["data"]["attributes"] = {
        key.replace("_", "-"): value for key, value in attributes.items()
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = send(connection, body)

    assert response.json()["status"] == "recorded"


def test_the_deprecated_v1_signature_is_taken_as_it_covers_the_id_and_the_api_is_asked(
    connection, django_capture_on_commit_callbacks
):
    raw = json.dumps(update()).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(connection, raw, **{"TT-Signature": signature_v1(APPLICATION, SECRET)})

    assert response.json()["status"] == "recorded"


def test_a_forged_or_old_signature_is_refused(connection, vendor_api):
    forged = send(connection, update(), secret="guess")
    old = send(connection, update(), at=int(time.time()) - 3600)

    assert (forged.status_code, old.status_code) == (401, 401)
    assert vendor_api.requests == []


def test_a_body_naming_an_application_teamtailor_has_not_rejected_records_nothing(connection, vendor_api):
    vendor_api.routes[f"/v1/job-applications/{APPLICATION}"] = application(rejected_at=None)

    response = send(connection, update())

    assert response.json() == {
        "status": "ignored",
        "reason": "Teamtailor's API says the application is not rejected.",
    }
    assert not RunnerUp.objects.exists()


@pytest.mark.parametrize(
    ("body", "api", "reason"),
    [
        (update(rejected_at=None), application(), "Not a rejection (a stage move)."),
        (update(), application(by_company=False), "The candidate withdrew."),
        (update(), application(stage="Inbox"), "Rejected at 'Inbox', before the connection's minimum stage."),
    ],
)
def test_a_stage_move_a_withdrawal_or_an_early_rejection_records_nothing_and_says_why(
    connection, vendor_api, body, api, reason
):
    vendor_api.routes[f"/v1/job-applications/{APPLICATION}"] = api

    response = send(connection, body)

    assert response.json() == {"status": "ignored", "reason": reason}
    assert AtsDelivery.objects.get().reason == reason


def test_a_replayed_delivery_records_once(connection, django_capture_on_commit_callbacks):
    raw = json.dumps(update()).encode()
    header = {"TT-Signature": signature_v2(raw, SECRET, at=int(time.time()))}
    with django_capture_on_commit_callbacks(execute=True):
        post(connection, raw, **header)
        again = post(connection, raw, **header)

    assert again.json()["status"] == "ignored"
    assert RunnerUp.objects.count() == 1
