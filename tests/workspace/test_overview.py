"""The candidate page reads as a recruiter speaks: skills in their language, a timeline of sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpool.core.models import AuditEvent
from talentpool.matching.models import GapClosure
from talentpool.messaging.models import Message
from tests.factories import (
    CandidateFactory,
    ConsentEventFactory,
    ConsentTextFactory,
    MessageFactory,
    RunnerUpFactory,
)

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sofie(organization):
    candidate = CandidateFactory(
        organization=organization,
        first_name="Sofie",
        source="teamtailor",
        skills=["Projektledelse", "Mit eget ord"],
        consent_expires_at=NOW + dt.timedelta(days=300),
    )
    AuditEvent.objects.create(
        organization=organization,
        actor_type=AuditEvent.ActorType.API_KEY,
        action="candidate.created",
        target_type="candidates.candidate",
        target_id=candidate.pk,
        changes=["email", "external_id", "cv_text"],
    )
    text = ConsentTextFactory(organization=organization, language="da", version=3)
    ConsentEventFactory(candidate=candidate, text=text, expires_at=candidate.consent_expires_at)
    MessageFactory(candidate=candidate, status=Message.Status.SENT, sent_at=timezone.now())
    runner_up = RunnerUpFactory(
        opening__organization=organization, opening__title="Projektleder", candidate=candidate
    )
    GapClosure.objects.create(
        organization=organization,
        candidate=candidate,
        runner_up=runner_up,
        concept="prince2",
        gap="PRINCE2-certificering",
        closed_at=timezone.now(),
    )
    return candidate


def overview(user: User, candidate, language: str):
    return logged_in(user).get(
        reverse("admin:candidates_candidate_overview", args=[candidate.pk]), HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_timeline_tells_what_happened_in_sentences(recruiter, sofie):
    response = overview(recruiter, sofie, "en")
    texts = [entry.text for entry in response.context["timeline"]]
    assert "Profile created from Teamtailor" in texts
    assert "Consent given (text version 3)" in texts
    assert "Warm rejection sent" in texts
    assert any(text.startswith("Closed the gap: PRINCE2") for text in texts)
    assert "candidate.created" not in response.text
    assert "external_id" not in response.text


def test_skills_show_in_the_recruiters_language_and_unknown_ones_as_typed(recruiter, sofie):
    labels = overview(recruiter, sofie, "sv").context["skill_labels"]
    assert "Projektledning" in labels
    assert "Mit eget ord" in labels


def test_the_candidate_page_links_the_cv_when_there_is_one(recruiter, sofie):
    assert "No CV yet." in overview(recruiter, sofie, "en").text
