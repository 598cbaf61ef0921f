from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.consent.models import MagicLink
from talentpool.core.models import AuditEvent
from talentpool.messaging.models import Message
from tests.factories import CandidateFactory, ConsentTextFactory, MessageFactory, RunnerUpFactory
from tests.messaging.conftest import TUESDAY_10

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:candidates_candidate_changelist"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(client: Client, url: str, action: str, ids: list[int], **extra: str):
    return client.post(reverse(url), {"action": action, helpers.ACTION_CHECKBOX_NAME: ids, **extra})


def test_tagging_first_asks_for_the_tag(recruiter, organization):
    candidate = CandidateFactory(organization=organization)
    response = act(logged_in(recruiter), CHANGELIST, "tag_candidates", [candidate.pk])
    assert response.status_code == 200
    assert 'name="tag"' in response.text
    candidate.refresh_from_db()
    assert candidate.tags == []


def test_tagging_adds_the_tag_to_each_selected_candidate_and_audits_it(recruiter, organization):
    first = CandidateFactory(organization=organization, tags=["backend"])
    second = CandidateFactory(organization=organization)
    response = act(
        logged_in(recruiter), CHANGELIST, "tag_candidates", [first.pk, second.pk], tag=" nordic ", apply="1"
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=first.pk).tags == ["backend", "nordic"]
    assert Candidate.objects.get(pk=second.pk).tags == ["nordic"]
    assert AuditEvent.objects.filter(action="candidate.updated", target_id=second.pk).exists()


def test_tagging_cannot_reach_another_organizations_candidate(recruiter, other_organization):
    theirs = CandidateFactory(organization=other_organization)
    act(logged_in(recruiter), CHANGELIST, "tag_candidates", [theirs.pk], tag="mine", apply="1")
    assert Candidate.objects.get(pk=theirs.pk).tags == []


@pytest.mark.clock(TUESDAY_10)  # Consent requests wait for the morning outside the sending hours.
def test_requesting_consent_sends_each_candidate_a_link(
    recruiter, organization, mailoutbox, django_capture_on_commit_callbacks
):
    ConsentTextFactory(organization=organization, language="da")
    candidates = [CandidateFactory(organization=organization) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = act(logged_in(recruiter), CHANGELIST, "request_consent", [c.pk for c in candidates])
    assert response.status_code == 302
    assert MagicLink.objects.filter(scope=MagicLink.Scope.CONSENT).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(c.email for c in candidates)


def test_requesting_consent_without_a_consent_text_says_why(recruiter, organization):
    candidate = CandidateFactory(organization=organization)
    response = logged_in(recruiter).post(
        reverse(CHANGELIST),
        {"action": "request_consent", helpers.ACTION_CHECKBOX_NAME: [candidate.pk]},
        follow=True,
    )
    assert not MagicLink.objects.exists()
    assert "no consent text yet" in response.text


def test_approving_runner_ups_approves_their_draft_messages_only(recruiter, organization):
    runner_up = RunnerUpFactory(opening__organization=organization)
    draft = MessageFactory(candidate=runner_up.candidate, opening=runner_up.opening)
    unrelated = MessageFactory(candidate=runner_up.candidate)
    response = act(
        logged_in(recruiter), "admin:openings_runnerup_changelist", "approve_messages", [runner_up.pk]
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    unrelated.refresh_from_db()
    assert draft.status != Message.Status.DRAFT
    assert draft.approved_by_id == recruiter.pk
    assert unrelated.status == Message.Status.DRAFT


def test_another_organizations_recruiter_cannot_approve_runner_up_messages(other_recruiter, organization):
    runner_up = RunnerUpFactory(opening__organization=organization)
    draft = MessageFactory(candidate=runner_up.candidate, opening=runner_up.opening)
    act(logged_in(other_recruiter), "admin:openings_runnerup_changelist", "approve_messages", [runner_up.pk])
    draft.refresh_from_db()
    assert draft.status == Message.Status.DRAFT


def test_approving_candidates_messages_approves_only_their_drafts(recruiter, organization):
    chosen = CandidateFactory(organization=organization)
    draft = MessageFactory(candidate=chosen)
    other = MessageFactory(candidate=CandidateFactory(organization=organization))
    response = act(logged_in(recruiter), CHANGELIST, "approve_messages", [chosen.pk])
    assert response.status_code == 302
    draft.refresh_from_db()
    other.refresh_from_db()
    assert draft.status != Message.Status.DRAFT
    assert draft.approved_by_id == recruiter.pk
    assert other.status == Message.Status.DRAFT


def test_approving_messages_cannot_reach_another_organizations_candidate(recruiter, other_organization):
    draft = MessageFactory(candidate=CandidateFactory(organization=other_organization))
    act(logged_in(recruiter), CHANGELIST, "approve_messages", [draft.candidate_id])
    draft.refresh_from_db()
    assert draft.status == Message.Status.DRAFT
