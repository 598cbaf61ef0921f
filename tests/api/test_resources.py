"""Openings, match alerts, messages and webhook endpoints over the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from talentpool.matching.models import MatchAlert
from talentpool.openings.models import Opening
from talentpool.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.candidates.test_search import pooled
from tests.factories import MatchAlertFactory, MembershipFactory, MessageFactory, OpeningFactory, UserFactory

NOW = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]
NOW_JSON = "2025-03-04T09:30:00.000000Z"


@time_machine.travel(NOW, tick=False)
def test_creating_an_open_opening_queues_matching(
    api, organization, django_capture_on_commit_callbacks, monkeypatch
):
    matched: list[int] = []
    monkeypatch.setattr(
        "talentpool.matching.tasks.opening_match_task.delay", lambda **kw: matched.append(kw["opening_id"])
    )
    monkeypatch.setattr("talentpool.search.tasks.opening_index_task.delay", lambda **kw: None)
    recruiter = UserFactory(username="mette", email="mette@kystlys.example")
    MembershipFactory(user=recruiter, organization=organization)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/openings/",
            {
                "title": "Elektriker",
                "must_have_skills": ["el-installation"],
                "languages": ["da"],
                "location": "Aarhus",
                "recruiter_emails": ["mette@kystlys.example"],
                "source": "teamtailor",
                "external_id": "j-9",
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    opening = Opening.objects.get()
    assert response.json() == {
        "id": opening.pk,
        "title": "Elektriker",
        "description": "",
        "location": "Aarhus",
        "latitude": None,
        "longitude": None,
        "radius_km": None,
        "remote": False,
        "must_have_skills": ["el-installation"],
        "nice_to_have_skills": [],
        "hard_skills": [],
        "languages": ["da"],
        "experience_level": None,
        "min_years_of_experience": None,
        "status": "OPEN",
        "source": "teamtailor",
        "external_id": "j-9",
        "recruiter_emails": ["mette@kystlys.example"],
        "opened_at": NOW_JSON,
        "matched_at": None,
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    assert matched == [opening.pk]


def test_reopening_an_opening_matches_it_again(
    api, organization, django_capture_on_commit_callbacks, monkeypatch
):
    matched: list[int] = []
    monkeypatch.setattr(
        "talentpool.matching.tasks.opening_match_task.delay", lambda **kw: matched.append(kw["opening_id"])
    )
    monkeypatch.setattr("talentpool.search.tasks.opening_index_task.delay", lambda **kw: None)
    opening = OpeningFactory(organization=organization, status=Opening.Status.CLOSED)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(f"/api/v1/openings/{opening.pk}/", {"status": "OPEN"}, format="json")

    assert response.status_code == 200
    assert matched == [opening.pk]


def test_a_recruiter_who_is_not_a_member_is_refused(api):
    response = api.post(
        "/api/v1/openings/",
        {"title": "Elektriker", "recruiter_emails": ["stranger@example.com"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "recruiter_emails": ["Not a member of the organization: stranger@example.com"]
    }


def test_opening_upsert_by_ats_id(api, organization):
    body = {"source": "workable", "external_id": "GROOV005", "title": "Groovy engineer", "status": "CLOSED"}

    assert api.post("/api/v1/openings/upsert/", body, format="json").status_code == 201
    assert (
        api.post("/api/v1/openings/upsert/", {**body, "title": "Groovy lead"}, format="json").status_code
        == 200
    )
    assert Opening.objects.get().title == "Groovy lead"


@time_machine.travel(NOW, tick=False)
def test_match_alert_status_is_set(api, organization):
    alert = MatchAlertFactory(opening__organization=organization)

    response = api.patch(f"/api/v1/match-alerts/{alert.pk}/", {"status": "CONTACTED"}, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "id": alert.pk,
        "opening_id": alert.opening_id,
        "candidate_id": alert.candidate_id,
        "score": 0.8,
        "reasons": alert.reasons,
        "reasons_text": "har Projektledelse (profil)",
        "status": "CONTACTED",
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    assert MatchAlert.objects.get().status == "CONTACTED"


def test_match_alert_status_must_be_known(api, organization):
    alert = MatchAlertFactory(opening__organization=organization)

    response = api.patch(f"/api/v1/match-alerts/{alert.pk}/", {"status": "MARRIED"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status"]


@time_machine.travel(NOW, tick=False)
def test_message_status_is_read(api, organization):
    message = MessageFactory(candidate__organization=organization)

    response = api.get(f"/api/v1/messages/{message.pk}/")

    assert response.json() == {
        "id": message.pk,
        "kind": "WARM_REJECTION",
        "status": "DRAFT",
        "candidate_id": message.candidate_id,
        "opening_id": None,
        "language": "da",
        "subject": "Tak for din ansøgning",
        "scheduled_at": None,
        "sent_at": None,
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }


def test_registering_a_webhook_shows_its_secret_once(api, organization):
    created = api.post(
        "/api/v1/webhooks/",
        {"url": "https://ats.example/hooks", "events": ["consent.granted"]},
        format="json",
    )
    read = api.get(f"/api/v1/webhooks/{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    assert created.json()["secret"] == WebhookEndpoint.objects.get().secret
    assert "secret" not in read.json()
    assert read.json()["events"] == ["consent.granted"]


def test_a_disabled_webhook_is_re_enabled(api, organization):
    endpoint_id = api.post("/api/v1/webhooks/", {"url": "https://ats.example/hooks"}, format="json").json()[
        "id"
    ]
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        is_active=False, consecutive_failures=20, disabled_at=NOW
    )

    response = api.patch(f"/api/v1/webhooks/{endpoint_id}/", {"is_active": True}, format="json")

    assert response.json()["is_active"] is True
    assert response.json()["consecutive_failures"] == 0
    assert response.json()["disabled_at"] is None


def test_webhook_deliveries_are_listed(api, organization):
    endpoint_id = api.post("/api/v1/webhooks/", {"url": "https://ats.example/hooks"}, format="json").json()[
        "id"
    ]
    WebhookDelivery.objects.create(
        organization=organization, endpoint_id=endpoint_id, event_type="candidate.updated", payload={"a": 1}
    )

    response = api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries/")

    assert [row["event_type"] for row in response.json()["results"]] == ["candidate.updated"]


def test_unknown_webhook_events_are_refused(api):
    response = api.post(
        "/api/v1/webhooks/", {"url": "https://ats.example/h", "events": ["everything"]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["events.0"]


def test_a_webhook_inside_a_private_network_is_refused_naming_the_url(api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    response = api.post("/api/v1/webhooks/", {"url": "https://169.254.169.254/latest/"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "private or reserved address" in response.json()["fields"]["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_an_opening_states_its_radius_level_and_hard_requirements(api, organization):
    response = api.post(
        "/api/v1/openings/",
        {
            "title": "Lastbilchauffør",
            "status": "CLOSED",
            "location": "Kolding",
            "radius_km": 60,
            "must_have_skills": ["Kørekort CE", "Kode 95"],
            "hard_skills": ["Kørekort CE"],
            "languages": ["da"],
            "experience_level": "MID",
            "min_years_of_experience": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["radius_km"], body["remote"], body["experience_level"]) == (60, False, "MID")
    assert (body["hard_skills"], body["min_years_of_experience"]) == (["Kørekort CE"], 2)


@pytest.mark.parametrize(
    ("field", "value"),
    [("radius_km", 0), ("experience_level", "GURU"), ("min_years_of_experience", -1), ("remote", "maybe")],
)
def test_a_bad_opening_requirement_is_a_400_naming_the_field(api, organization, field, value):
    response = api.post("/api/v1/openings/", {"title": "Tømrer", field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


@pytest.mark.usefixtures("search_engine")
def test_the_matches_of_an_opening_rank_the_pool_with_reasons_as_json_and_one_sentence(
    api, organization, django_capture_on_commit_callbacks
):
    # given two carpenters in the pool, one of them alerted for the opening
    with django_capture_on_commit_callbacks(execute=True):
        ida = pooled(
            organization, first_name="Ida", headline="Tømrer", skills=["Tagrenovering"], location="Vejle"
        )
        bo = pooled(
            organization, first_name="Bo", headline="Snickare", location="Vejle", languages=["da", "sv"]
        )
        created = api.post(
            "/api/v1/openings/",
            {"title": "Tømrer", "location": "Vejle", "must_have_skills": ["Tømrer", "Tagrenovering"]},
            format="json",
        )
    opening_id = created.json()["id"]
    # when the integrator reads the opening's matches and its alerts
    matches = api.get(f"/api/v1/openings/{opening_id}/matches/").json()
    alerts = api.get(f"/api/v1/match-alerts/?opening={opening_id}").json()["results"]
    # then both are ranked, best first, with structured reasons and a sentence in Danish
    assert [match["candidate_id"] for match in matches] == [ida.pk, bo.pk]
    assert all(match["alerted"] for match in matches)
    roofing = next(reason for reason in matches[0]["reasons"] if reason.get("requirement") == "Tagrenovering")
    assert roofing == {
        "kind": "skill",
        "requirement": "Tagrenovering",
        "concept": "roofing",
        "label": "Roofing",
        "found_in": ["profile"],
        "must": True,
    }
    assert matches[0]["reasons_text"].startswith("har Tømrer (overskrift) og Tagdækning (profil)")
    assert {alert["candidate_id"]: alert["reasons"] for alert in alerts}[ida.pk] == matches[0]["reasons"]
