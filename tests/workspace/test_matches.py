"""An opening's Matches page: the pool ranked, with reasons and history, and the actions per person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.core.models import AuditEvent, Organization
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import Message
from talentpool.openings.models import FeedbackItem, Opening
from talentpool.search.candidates import candidate_index, candidate_index_sync
from tests.factories import (
    CandidateFactory,
    ConsentEventFactory,
    FeedbackFactory,
    OpeningFactory,
    RunnerUpFactory,
)

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine"), pytest.mark.clock(NOW)]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_pool(organization: Organization, first_name: str, **fields) -> Candidate:
    candidate = CandidateFactory(
        organization=organization,
        first_name=first_name,
        consent_expires_at=NOW + dt.timedelta(days=200),
        **fields,
    )
    ConsentEventFactory(candidate=candidate, expires_at=candidate.consent_expires_at)
    return candidate


def index(*candidates: Candidate) -> None:
    candidate_index_sync(candidate_ids=[candidate.pk for candidate in candidates])
    candidate_index.refresh()


@pytest.fixture
def opening(organization) -> Opening:
    return OpeningFactory(
        organization=organization,
        title="IT-projektleder",
        must_have_skills=["Projektledelse"],
        nice_to_have_skills=["PRINCE2"],
    )


@pytest.fixture
def pool(organization) -> dict[str, Candidate]:
    mads = in_pool(organization, "Mads", headline="IT-projektleder", skills=["Projektledelse", "PRINCE2"])
    sofie = in_pool(organization, "Sofie", headline="IT-projektleder", skills=["Projektledelse", "PRINCE2"])
    runner_up = RunnerUpFactory(
        opening__organization=organization, opening__title="Projektleder", candidate=sofie
    )
    feedback = FeedbackFactory(runner_up=runner_up)
    FeedbackItem.objects.create(
        feedback=feedback, kind="DEVELOPMENT_AREA", category="CERTIFICATION", text="SAFe-certificering"
    )
    index(mads, sofie)
    return {"mads": mads, "sofie": sofie}


def matches_url(opening: Opening) -> str:
    return reverse("admin:openings_opening_matches", args=[opening.pk])


def act(client: Client, opening: Opening, candidate: Candidate, action: str, **extra: str):
    return client.post(
        reverse("admin:openings_opening_matches_act", args=[opening.pk]),
        {"candidate": candidate.pk, "action": action, **extra},
    )


def test_the_matches_page_ranks_the_pool_with_past_runner_ups_first_among_equals(recruiter, opening, pool):
    response = logged_in(recruiter).get(matches_url(opening), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert [row.candidate.first_name for row in rows[:2]] == ["Sofie", "Mads"]
    text = response.text
    assert "<meter" in text
    assert "Runner-up for Projektleder" in text or "Runner-up til Projektleder" in text
    assert "SAFe-certificering" in text
    assert "har " in rows[0].reasons  # one sentence in Danish


def test_inviting_from_the_matches_page_drafts_an_invitation_to_apply(recruiter, opening, pool):
    response = act(logged_in(recruiter), opening, pool["mads"], "invite")
    assert response.status_code == 302
    message = Message.objects.get(candidate=pool["mads"], kind=Message.Kind.OPENING_INVITATION)
    assert (message.opening_id, message.status) == (opening.pk, Message.Status.DRAFT)


def test_marking_someone_never_alerted_as_contacted_records_it_on_a_new_alert(recruiter, opening, pool):
    act(logged_in(recruiter), opening, pool["mads"], "contact")
    alert = MatchAlert.objects.get(opening=opening, candidate=pool["mads"])
    assert alert.status == MatchAlert.Status.CONTACTED
    assert AuditEvent.objects.filter(action="match_alert.updated", target_id=alert.pk).exists()


def test_dismissing_needs_a_reason_and_records_it(recruiter, opening, pool):
    client = logged_in(recruiter)
    act(client, opening, pool["sofie"], "dismiss")
    assert not MatchAlert.objects.filter(candidate=pool["sofie"], status=MatchAlert.Status.DISMISSED).exists()
    act(client, opening, pool["sofie"], "dismiss", reason="NOT_LOOKING")
    alert = MatchAlert.objects.get(opening=opening, candidate=pool["sofie"])
    assert (alert.status, alert.dismiss_reason) == (MatchAlert.Status.DISMISSED, "NOT_LOOKING")


def test_another_organizations_recruiter_sees_and_changes_none_of_it(other_recruiter, opening, pool):
    client = logged_in(other_recruiter)
    assert client.get(matches_url(opening)).status_code == 404
    assert act(client, opening, pool["mads"], "contact").status_code == 404
    assert not MatchAlert.objects.exists()


def test_skill_suggestions_come_from_the_vocabulary_in_the_users_language(recruiter):
    response = logged_in(recruiter).get(
        reverse("admin:openings_opening_skill_suggestions"), {"q": "projektle"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    labels = [item["label"] for item in response.json()["results"]]
    assert "Projektledelse" in labels
    assert all("_" not in label for label in labels)


def test_the_opening_form_keeps_skills_as_typed_with_chips_and_no_json(recruiter, organization):
    client = logged_in(recruiter)
    page = client.get(reverse("admin:openings_opening_add"))
    assert "data-chips" in page.text
    assert "workspace/chips.js" in page.text
    assert "[&quot;" not in page.text
    response = client.post(
        reverse("admin:openings_opening_add"),
        {
            "organization": organization.pk,
            "title": "Lagermedarbejder",
            "status": "OPEN",
            "description": "Pluk og pak.",
            "must_have_skills": "Truckcertifikat\nLagerstyring med egne ord",
            "nice_to_have_skills": "",
            "hard_skills": "",
            "languages": ["da"],
            "radius_km": "40",
        },
    )
    assert response.status_code == 302, response.text
    opening = Opening.objects.get(title="Lagermedarbejder")
    assert opening.must_have_skills == ["Truckcertifikat", "Lagerstyring med egne ord"]
    assert opening.languages == ["da"]


def bulk_pool(organization: Organization, size: int, prefix: str) -> None:
    people = [
        in_pool(organization, f"{prefix}{n}", headline="IT-projektleder", skills=["Projektledelse"])
        for n in range(size)
    ]
    index(*people)


def test_the_matches_page_runs_as_many_queries_for_a_large_pool_as_for_a_small_one(
    recruiter, organization, opening, django_assert_max_num_queries
):
    client = logged_in(recruiter)
    bulk_pool(organization, 5, "a")
    client.get(matches_url(opening))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(matches_url(opening)).status_code == 200
    bulk_pool(organization, 60, "b")
    with django_assert_max_num_queries(len(small)):
        assert len(client.get(matches_url(opening)).context["page"].rows) == 50
