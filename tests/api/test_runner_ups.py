from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from talentpool.candidates.models import Candidate
from talentpool.openings.models import Opening, RunnerUp
from tests.factories import CandidateFactory, OpeningFactory

NOW = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]
NOW_JSON = "2025-03-04T09:30:00.000000Z"

DECISION = {
    "candidate": {
        "source": "greenhouse",
        "external_id": "265788",
        "first_name": "Sofie",
        "last_name": "Jensen",
        "email": "sofie@example.dk",
        "language": "da",
    },
    "opening": {"source": "greenhouse", "external_id": "3485", "title": "IT-projektleder"},
    "stage": "FINAL_INTERVIEW",
    "rank": 2,
    "closeness": 90,
    "contact_first": True,
    "decided_at": "2025-03-03T15:00:00Z",
    "notes": "Very close; the other candidate had PRINCE2.",
    "feedback": {
        "strengths": ["Clear stakeholder communication", "Strong case presentation"],
        "development_areas": [{"category": "CERTIFICATION", "text": "PRINCE2 certification"}],
        "next_steps": ["Take PRINCE2 Foundation"],
        "free_text": "Thank you for a great process.",
        "share_with_candidate": True,
    },
}


@time_machine.travel(NOW, tick=False)
def test_a_hiring_decision_creates_candidate_opening_and_runner_up(api, organization):
    # when
    response = api.post("/api/v1/runner-ups/", DECISION, format="json")

    # then
    assert response.status_code == 201, response.json()
    runner_up = RunnerUp.objects.get()
    candidate = Candidate.objects.get()
    opening = Opening.objects.get()
    assert response.json() == {
        "id": runner_up.pk,
        "candidate_id": candidate.pk,
        "opening_id": opening.pk,
        "stage": "FINAL_INTERVIEW",
        "rank": 2,
        "closeness": 90,
        "contact_first": True,
        "decided_at": "2025-03-03T15:00:00.000000Z",
        "notes": "Very close; the other candidate had PRINCE2.",
        "feedback": {
            "status": "DRAFT",
            "strengths": ["Clear stakeholder communication", "Strong case presentation"],
            "development_areas": [{"category": "CERTIFICATION", "text": "PRINCE2 certification"}],
            "next_steps": ["Take PRINCE2 Foundation"],
            "free_text": "Thank you for a great process.",
            "share_with_candidate": True,
        },
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    assert (candidate.organization, candidate.external_id) == (organization, "265788")
    assert not candidate.is_in_pool()
    assert (opening.title, opening.status) == ("IT-projektleder", Opening.Status.FILLED)


def test_sending_the_decision_again_updates_it(api, organization):
    api.post("/api/v1/runner-ups/", DECISION, format="json")

    response = api.post("/api/v1/runner-ups/", {**DECISION, "stage": "OFFER", "rank": 3}, format="json")

    assert response.status_code == 201
    runner_up = RunnerUp.objects.get()
    assert (runner_up.stage, runner_up.rank) == ("OFFER", 3)
    assert Candidate.objects.count() == Opening.objects.count() == 1


def test_a_decision_can_name_rows_by_our_ids(api, organization):
    candidate = CandidateFactory(organization=organization)
    opening = OpeningFactory(organization=organization)

    response = api.post(
        "/api/v1/runner-ups/",
        {"candidate": {"id": candidate.pk}, "opening": {"id": opening.pk}, "stage": "SECOND_INTERVIEW"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["candidate_id"], response.json()["opening_id"]) == (candidate.pk, opening.pk)


def test_an_unknown_candidate_without_details_is_refused(api):
    body = {**DECISION, "candidate": {"source": "greenhouse", "external_id": "nobody"}}

    response = api.post("/api/v1/runner-ups/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["candidate"]
    assert not RunnerUp.objects.exists()


def test_runner_ups_are_listed_with_their_feedback(api, organization):
    api.post("/api/v1/runner-ups/", DECISION, format="json")

    response = api.get("/api/v1/runner-ups/", {"opening": Opening.objects.get().pk})

    assert [row["feedback"]["next_steps"] for row in response.json()["results"]] == [
        ["Take PRINCE2 Foundation"]
    ]
