from __future__ import annotations

import pytest

from api.models import IdempotencyRecord
from talentpool.candidates.models import Candidate

pytestmark = pytest.mark.django_db

BODY = {"first_name": "Ida", "email": "ida@example.dk"}


def post(client, body, key="key-1"):
    return client.post("/api/v1/candidates/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_replay_returns_the_first_response_and_writes_once(api):
    first = post(api, BODY)
    second = post(api, BODY)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1


def test_the_same_body_with_other_whitespace_is_the_same_request(api):
    first = api.post(
        "/api/v1/candidates/",
        '{"first_name":"Ida","email":"ida@example.dk"}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    second = api.post(
        "/api/v1/candidates/",
        '{ "email": "ida@example.dk",  "first_name": "Ida" }',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert second.json() == first.json()
    assert Candidate.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api):
    post(api, BODY)

    response = post(api, {**BODY, "first_name": "Ada"})

    assert response.status_code == 422
    assert response.json() == {
        "code": "idempotency_key_reused",
        "message": "This Idempotency-Key was used for a different request; use a new key for a new request.",
        "fields": {"Idempotency-Key": ["Already used for a different request."]},
    }
    assert Candidate.objects.get().first_name == "Ida"


def test_the_same_key_on_another_route_is_refused(api):
    post(api, BODY)

    response = api.post(
        "/api/v1/openings/", {"title": "Elektriker"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )

    assert response.status_code == 422


def test_keys_are_scoped_to_the_organization(api, other_api):
    mine = post(api, BODY)
    theirs = post(other_api, BODY)

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert Candidate.objects.count() == 2


def test_a_refused_request_is_replayed_as_refused(api):
    first = post(api, {"first_name": "Ida"})
    second = post(api, {"first_name": "Ida"})

    assert first.status_code == second.status_code == 400
    assert second.json() == first.json()


def test_a_request_still_running_is_409(api, organization):
    IdempotencyRecord.objects.create(
        organization=organization, key="busy", request_hash="x", method="POST", path="/api/v1/candidates/"
    )
    # The same request: compute its hash as the server does, by sending it once under another key.
    post(api, BODY, key="probe")
    IdempotencyRecord.objects.filter(key="busy").update(
        request_hash=IdempotencyRecord.objects.get(key="probe").request_hash
    )

    response = post(api, BODY, key="busy")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_request_in_progress"


def test_a_server_error_forgets_the_key_so_it_can_be_retried(api, monkeypatch):
    import api.candidates as candidates_api

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(candidates_api, "candidate_create", broken)
    with pytest.raises(RuntimeError):
        post(api, BODY)
    monkeypatch.undo()

    response = post(api, BODY)

    assert response.status_code == 201
    assert Candidate.objects.count() == 1


def test_reads_ignore_the_key(api):
    assert api.get("/api/v1/candidates/", HTTP_IDEMPOTENCY_KEY="k").status_code == 200
    assert not IdempotencyRecord.objects.exists()


def test_a_key_too_long_is_400(api):
    response = post(api, BODY, key="k" * 300)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["Idempotency-Key"]


def test_keys_are_forgotten_after_a_day(api, organization):
    import datetime as dt

    import time_machine

    from api.tasks import idempotency_record_purge_task

    post(api, BODY)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)):
        assert idempotency_record_purge_task() == 1
        response = post(api, {**BODY, "email": "other@example.dk"})

    assert response.status_code == 201


def test_a_response_echoing_a_nul_character_is_kept_for_replay(api):
    body = {"first_name": "Ida", "email": "ida@example.dk", "bad\x00field": 1}

    first = post(api, body, key="nul")
    second = post(api, body, key="nul")

    assert first.status_code == second.status_code == 400
    assert second.json() == first.json()
