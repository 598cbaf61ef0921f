from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from talentpool.candidates.models import Candidate
from talentpool.consent.models import MagicLink
from talentpool.core.models import AuditEvent
from tests.factories import CandidateFactory, ConsentEventFactory, ConsentTextFactory

NOW = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]
NOW_JSON = "2025-03-04T09:30:00.000000Z"


def candidate_json(candidate: Candidate, **changes) -> dict:
    expected = {
        "id": candidate.pk,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "language": candidate.language,
        "headline": candidate.headline,
        "location": candidate.location,
        "latitude": candidate.latitude,
        "longitude": candidate.longitude,
        "skills": candidate.skills,
        "languages": candidate.languages,
        "years_of_experience": candidate.years_of_experience,
        "links": candidate.links,
        "tags": candidate.tags,
        "availability": candidate.availability,
        "source": candidate.source,
        "external_id": candidate.external_id,
        "in_pool": False,
        "consent_expires_at": None,
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    return {**expected, **changes}


@time_machine.travel(NOW, tick=False)
def test_creating_a_candidate_returns_it_whole(api, organization):
    # when
    response = api.post(
        "/api/v1/candidates/",
        {
            "first_name": "Sofie",
            "last_name": "Jensen",
            "email": "Sofie.Jensen@Example.dk",
            "language": "da",
            "headline": "IT-projektleder",
            "skills": ["PRINCE2", "projektleder"],
            "languages": ["DA", "en"],
            "years_of_experience": 8,
            "latitude": 55.68,
            "longitude": 12.57,
            "source": "greenhouse",
            "external_id": "265788",
        },
        format="json",
    )

    # then
    assert response.status_code == 201, response.json()
    candidate = Candidate.objects.get()
    assert candidate.organization == organization
    assert response.json() == {
        "id": candidate.pk,
        "first_name": "Sofie",
        "last_name": "Jensen",
        "email": "sofie.jensen@example.dk",
        "phone": "",
        "language": "da",
        "headline": "IT-projektleder",
        "location": "",
        "latitude": 55.68,
        "longitude": 12.57,
        "skills": candidate.skills,
        "languages": ["da", "en"],
        "years_of_experience": 8,
        "links": [],
        "tags": [],
        "availability": "",
        "source": "greenhouse",
        "external_id": "265788",
        "in_pool": False,
        "consent_expires_at": None,
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    assert candidate.skills == ["PRINCE2", "projektleder"]  # as typed


def test_the_acting_api_key_is_recorded_in_the_audit_trail(api, organization):
    response = api.post(
        "/api/v1/candidates/", {"first_name": "Ida", "email": "ida@example.dk"}, format="json"
    )

    event = AuditEvent.objects.get(action="candidate.created")
    assert event.target_id == response.json()["id"]
    assert event.actor_type == AuditEvent.ActorType.API_KEY
    assert event.actor_api_key == api.api_key


@time_machine.travel(NOW, tick=False)
def test_reading_a_candidate_shows_pool_membership(api, organization):
    candidate = CandidateFactory(organization=organization, email="a@example.dk")
    ConsentEventFactory(candidate=candidate, expires_at=NOW + dt.timedelta(days=365))
    candidate.consent_expires_at = NOW + dt.timedelta(days=365)
    candidate.save()

    response = api.get(f"/api/v1/candidates/{candidate.pk}/")

    assert response.status_code == 200
    assert response.json() == candidate_json(
        candidate, in_pool=True, consent_expires_at="2026-03-04T09:30:00.000000Z"
    )


@time_machine.travel(NOW, tick=False)
def test_a_candidate_is_changed_with_patch(api, organization):
    candidate = CandidateFactory(organization=organization)

    response = api.patch(f"/api/v1/candidates/{candidate.pk}/", {"headline": "Scrum master"}, format="json")

    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.headline == "Scrum master"
    assert response.json() == candidate_json(candidate)


def test_upsert_creates_then_updates_by_ats_id(api, organization):
    body = {"source": "lever", "external_id": "c-1", "first_name": "Ole", "email": "ole@example.dk"}

    created = api.post("/api/v1/candidates/upsert/", body, format="json")
    updated = api.post("/api/v1/candidates/upsert/", {**body, "headline": "Elektriker"}, format="json")

    assert created.status_code == 201
    assert updated.status_code == 200
    assert created.json()["id"] == updated.json()["id"]
    assert Candidate.objects.get().headline == "Elektriker"


def test_upsert_adopts_a_candidate_known_only_by_email(api, organization):
    known = CandidateFactory(organization=organization, email="ole@example.dk", source="", external_id="")

    response = api.post(
        "/api/v1/candidates/upsert/",
        {"source": "lever", "external_id": "c-1", "first_name": "Ole", "email": "OLE@example.dk"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["id"] == known.pk
    known.refresh_from_db()
    assert (known.source, known.external_id) == ("lever", "c-1")


def test_bulk_upsert_creates_and_updates_in_one_call(api, organization):
    CandidateFactory(organization=organization, source="ats", external_id="1", email="one@example.dk")
    rows = [
        {"source": "ats", "external_id": str(n), "first_name": f"P{n}", "email": f"p{n}@example.dk"}
        for n in range(1, 4)
    ]
    rows[0]["email"] = "one@example.dk"

    response = api.post("/api/v1/candidates/bulk-upsert/", {"candidates": rows}, format="json")

    assert response.status_code == 200
    body = response.json()
    ids = dict(Candidate.objects.values_list("external_id", "pk"))
    assert body == {
        "created": 2,
        "updated": 1,
        "results": [
            {"id": ids["1"], "source": "ats", "external_id": "1", "created": False},
            {"id": ids["2"], "source": "ats", "external_id": "2", "created": True},
            {"id": ids["3"], "source": "ats", "external_id": "3", "created": True},
        ],
    }


def test_bulk_upsert_writes_nothing_when_one_item_is_refused(api, organization):
    CandidateFactory(organization=organization, email="taken@example.dk", source="admin", external_id="x")
    rows = [
        {"source": "ats", "external_id": "1", "first_name": "A", "email": "a@example.dk"},
        {"source": "ats", "external_id": "2", "first_name": "B", "email": "taken@example.dk"},
    ]

    response = api.post("/api/v1/candidates/bulk-upsert/", {"candidates": rows}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["candidates.1.email"]
    assert not Candidate.objects.filter(source="ats").exists()


def test_bulk_upsert_names_the_invalid_items(api):
    rows = [
        {"source": "ats", "external_id": "1", "first_name": "A", "email": "not an email"},
        {"source": "ats", "external_id": "2", "first_name": "B", "email": "b@example.dk", "shoe_size": 44},
    ]

    response = api.post("/api/v1/candidates/bulk-upsert/", {"candidates": rows}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The request is not valid; see `fields`.",
        "fields": {
            "candidates.0.email": ["Enter a valid email address."],
            "candidates.1.shoe_size": ["Unknown field."],
        },
    }


def test_listing_filters_by_updated_after(api, organization):
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        CandidateFactory(organization=organization)
    with time_machine.travel(NOW, tick=False):
        recent = CandidateFactory(organization=organization)

    response = api.get("/api/v1/candidates/", {"updated_after": "2025-03-03T00:00:00Z"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]


def test_listing_filters_by_ats_id_and_pool(api, organization):
    wanted = CandidateFactory(organization=organization, source="lever", external_id="x-1")
    CandidateFactory(organization=organization, source="lever", external_id="x-2")

    by_id = api.get("/api/v1/candidates/", {"source": "lever", "external_id": "x-1"})
    in_pool = api.get("/api/v1/candidates/", {"in_pool": "true"})

    assert [row["id"] for row in by_id.json()["results"]] == [wanted.pk]
    assert in_pool.json()["results"] == []


def test_erasing_a_candidate_removes_them(api, organization):
    candidate = CandidateFactory(organization=organization)

    response = api.delete(f"/api/v1/candidates/{candidate.pk}/")

    assert response.status_code == 204
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert api.get(f"/api/v1/candidates/{candidate.pk}/").status_code == 404


def test_exporting_a_candidate_returns_their_data(api, organization):
    candidate = CandidateFactory(organization=organization, email="export@example.dk")

    response = api.get(f"/api/v1/candidates/{candidate.pk}/export/")

    assert response.status_code == 200
    assert "export@example.dk" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_consent_state_lists_the_events(api, organization):
    candidate = CandidateFactory(organization=organization)
    event = ConsentEventFactory(candidate=candidate, expires_at=NOW + dt.timedelta(days=30))
    Candidate.objects.filter(pk=candidate.pk).update(consent_expires_at=NOW + dt.timedelta(days=30))

    response = api.get(f"/api/v1/candidates/{candidate.pk}/consent/")

    assert response.status_code == 200
    assert response.json() == {
        "candidate_id": candidate.pk,
        "in_pool": True,
        "consent_expires_at": "2025-04-03T09:30:00.000000Z",
        "events": [
            {
                "id": event.pk,
                "kind": "GRANTED",
                "channel": "MAGIC_LINK",
                "text_version": 1,
                "text_language": "en",
                "expires_at": "2025-04-03T09:30:00.000000Z",
                "created_at": NOW_JSON,
            }
        ],
    }


def test_a_consent_request_emails_the_candidate_a_link(api, organization, django_capture_on_commit_callbacks):
    candidate = CandidateFactory(organization=organization, email="ask@example.dk", language="da")
    ConsentTextFactory(organization=organization, language="da")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/candidates/{candidate.pk}/consent-requests/")

    assert response.status_code == 202
    link = MagicLink.objects.get(candidate=candidate)
    assert link.scope == MagicLink.Scope.CONSENT
    assert response.json()["candidate_id"] == candidate.pk
    assert [message.to for message in mail.outbox] == [["ask@example.dk"]]


def test_bulk_upsert_refuses_one_email_twice_in_a_batch(api):
    rows = [
        {"source": "ats", "external_id": "1", "first_name": "A", "email": "same@example.dk"},
        {"source": "ats", "external_id": "2", "first_name": "B", "email": "SAME@example.dk"},
    ]

    response = api.post("/api/v1/candidates/bulk-upsert/", {"candidates": rows}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "candidates.1.email": ["A candidate with this email already exists in this organization."]
    }
    assert not Candidate.objects.exists()


def test_bulk_upsert_takes_one_candidate_twice_in_order(api):
    rows = [
        {"source": "ats", "external_id": "1", "first_name": "A", "email": "a@example.dk"},
        {
            "source": "ats",
            "external_id": "1",
            "first_name": "A",
            "email": "a@example.dk",
            "headline": "Later",
        },
    ]

    response = api.post("/api/v1/candidates/bulk-upsert/", {"candidates": rows}, format="json")

    assert (response.json()["created"], response.json()["updated"]) == (1, 1)
    assert Candidate.objects.get().headline == "Later"


def test_bulk_created_candidates_are_audited_with_the_api_key(api):
    rows = [
        {"source": "ats", "external_id": str(n), "first_name": "A", "email": f"{n}@example.dk"}
        for n in range(3)
    ]

    api.post("/api/v1/candidates/bulk-upsert/", {"candidates": rows}, format="json")

    events = AuditEvent.objects.filter(action="candidate.created")
    assert set(events.values_list("target_id", flat=True)) == set(
        Candidate.objects.values_list("pk", flat=True)
    )
    assert {event.actor_api_key_id for event in events} == {api.api_key.pk}
    assert events[0].changes == ["email", "external_id", "first_name", "source"]


def test_a_consent_request_without_a_consent_text_is_400(api, organization):
    candidate = CandidateFactory(organization=organization)

    response = api.post(f"/api/v1/candidates/{candidate.pk}/consent-requests/")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not MagicLink.objects.exists()


def test_a_candidate_posted_without_a_language_speaks_the_organizations_language(api, organization):
    organization.language, organization.country = "sv", "SE"
    organization.save()

    response = api.post(
        "/api/v1/candidates/", {"first_name": "Elin", "email": "elin@example.se"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["language"] == "sv"
