"""A decision's review: feedback and the drafted warm rejection side by side, edited and approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.core.models import AuditEvent
from talentpool.messaging.drafting import dedupe_key
from talentpool.messaging.models import Message
from talentpool.openings.models import Feedback, FeedbackItem, RunnerUp
from tests.factories import FeedbackFactory, MessageFactory, RunnerUpFactory

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)  # a Wednesday, 11:00 in Copenhagen
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def runner_up(organization) -> RunnerUp:
    runner_up = RunnerUpFactory(
        opening__organization=organization, opening__title="Projektleder", candidate__first_name="Sofie"
    )
    feedback = FeedbackFactory(runner_up=runner_up, free_text="Tak for en god proces.")
    FeedbackItem.objects.create(feedback=feedback, kind="STRENGTH", text="Klar kommunikation", position=0)
    FeedbackItem.objects.create(
        feedback=feedback, kind="DEVELOPMENT_AREA", category="CERTIFICATION", text="PRINCE2", position=1
    )
    MessageFactory(
        candidate=runner_up.candidate,
        opening=runner_up.opening,
        # The key drafting gives this decision's rejection: a redraft updates this row.
        dedupe_key=dedupe_key(
            kind=Message.Kind.WARM_REJECTION,
            candidate_id=runner_up.candidate_id,
            opening_id=runner_up.opening_id,
        ),
        subject="Din ansøgning som projektleder",
        body_text="Kære Sofie\n\nTak.",
    )
    return runner_up


def review_url(runner_up: RunnerUp) -> str:
    return reverse("admin:openings_runnerup_review", args=[runner_up.pk])


def test_the_review_shows_the_feedback_and_the_draft_side_by_side(recruiter, runner_up):
    response = logged_in(recruiter).get(review_url(runner_up), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    text = response.text
    assert 'id="review-feedback"' in text
    assert 'id="review-message"' in text
    assert "Klar kommunikation" in text
    assert "PRINCE2" in text
    assert "Din ansøgning som projektleder" in text


def test_one_click_approves_the_feedback_and_the_edited_message_and_says_when_it_goes_out(
    recruiter, runner_up
):
    message = Message.objects.get(candidate=runner_up.candidate)
    client = logged_in(recruiter)
    response = client.post(
        review_url(runner_up),
        {
            "free_text": "Tak for en rigtig god proces.",
            "share_with_candidate": "on",
            "message": message.pk,
            "subject": "Din ansøgning som projektleder hos os",
            "body_text": "Kære Sofie\n\nTak for samtalerne.",
            "approve": "Godkend",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="da",
    )
    message.refresh_from_db()
    feedback = Feedback.objects.get(runner_up=runner_up)
    assert (feedback.status, feedback.free_text) == (
        Feedback.Status.APPROVED,
        "Tak for en rigtig god proces.",
    )
    assert message.status == Message.Status.SCHEDULED
    assert message.subject == "Din ansøgning som projektleder hos os"
    assert message.approved_by_id == recruiter.pk
    assert 'id="message-when"' in response.text
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"feedback.updated", "feedback.approved", "message.edited", "message.approved"} <= actions


def test_approving_in_bulk_from_the_runner_up_list_approves_feedback_and_messages(recruiter, runner_up):
    response = logged_in(recruiter).post(
        reverse("admin:openings_runnerup_changelist"),
        {"action": "approve_decisions_action", "index": 0, "_selected_action": [runner_up.pk]},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(runner_up=runner_up).status == Feedback.Status.APPROVED
    assert Message.objects.get(candidate=runner_up.candidate).status == Message.Status.SCHEDULED


def test_another_organizations_recruiter_cannot_see_or_approve_the_decision(other_recruiter, runner_up):
    client = logged_in(other_recruiter)
    assert client.get(review_url(runner_up)).status_code == 404
    assert client.post(review_url(runner_up), {"approve": "Approve"}).status_code == 404
    assert Message.objects.get(candidate=runner_up.candidate).status == Message.Status.DRAFT


def bulk_pool(organization, size: int, prefix: str) -> None:
    Candidate.objects.bulk_create(
        Candidate(organization=organization, first_name=f"{prefix}{n}", email=f"{prefix}{n}@example.com")
        for n in range(size)
    )


@pytest.mark.parametrize(
    "page",
    ["review", "runner_up_list", "opening_list", "profile", "index"],
)
def test_the_new_pages_run_as_many_queries_in_a_pool_of_2000_as_of_200(
    recruiter, organization, runner_up, page, django_assert_max_num_queries
):
    url = {
        "review": review_url(runner_up),
        "runner_up_list": reverse("admin:openings_runnerup_changelist"),
        "opening_list": reverse("admin:openings_opening_changelist"),
        "profile": reverse("admin:profile"),
        "index": reverse("admin:index"),
    }[page]
    client = logged_in(recruiter)
    bulk_pool(organization, 200, "a")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    bulk_pool(organization, 1_800, "b")
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
