from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.core.models import AuditEvent, Membership, Organization
from talentpool.messaging.models import Message
from talentpool.openings.models import FeedbackItem
from tests.factories import (
    CandidateFactory,
    ConsentEventFactory,
    FeedbackFactory,
    MatchAlertFactory,
    MembershipFactory,
    MessageFactory,
    OpeningFactory,
    RunnerUpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def overview_url(candidate: Candidate) -> str:
    return reverse("admin:candidates_candidate_overview", args=[candidate.pk])


def with_history(candidate: Candidate, size: int) -> Candidate:
    """``size`` messages, consent events, match alerts and a runner-up with feedback items."""
    for _ in range(size):
        MessageFactory(candidate=candidate)
        ConsentEventFactory(candidate=candidate)
        MatchAlertFactory(candidate=candidate, opening=OpeningFactory(organization=candidate.organization))
    runner_up = RunnerUpFactory(
        opening=OpeningFactory(organization=candidate.organization), candidate=candidate
    )
    feedback = FeedbackFactory(runner_up=runner_up)
    for position in range(size):
        FeedbackItem.objects.create(
            feedback=feedback,
            kind=FeedbackItem.Kind.choices[0][0],
            text=f"Point {position}",
            position=position,
        )
    return candidate


def pool(organization: Organization, size: int) -> None:
    Candidate.objects.bulk_create(
        Candidate(organization=organization, first_name=f"P{n}", email=f"pool{n}@example.com")
        for n in range(size)
    )


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_candidate_page_shows_profile_badge_runner_up_feedback_and_timeline(recruiter, organization):
    candidate = with_history(
        CandidateFactory(
            organization=organization,
            first_name="Sofie",
            last_name="Østergaard",
            consent_expires_at=timezone.now() + dt.timedelta(days=10),
        ),
        2,
    )
    response = logged_in(recruiter).get(overview_url(candidate))
    assert response.status_code == 200
    assert response.context["badge"] == "expiring"
    assert "Sofie Østergaard" in response.text
    assert "Point 1" in response.text
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert {"message", "consent", "match"} <= set(kinds)
    moments = [entry.at for entry in response.context["timeline"]]
    assert moments == sorted(moments, reverse=True)


@pytest.mark.parametrize(
    ("expires_in", "badge"),
    [(None, "not_consented"), (-1, "not_consented"), (10, "expiring"), (90, "in_pool")],
)
def test_the_consent_badge_says_in_pool_expiring_or_not_consented(recruiter, organization, expires_in, badge):
    expires_at = None if expires_in is None else timezone.now() + dt.timedelta(days=expires_in)
    candidate = CandidateFactory(organization=organization, consent_expires_at=expires_at)
    assert logged_in(recruiter).get(overview_url(candidate)).context["badge"] == badge


def test_the_change_form_links_to_the_candidate_page(recruiter, organization):
    candidate = CandidateFactory(organization=organization)
    response = logged_in(recruiter).get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))
    assert overview_url(candidate) in response.text


def test_another_organizations_recruiter_gets_a_404_on_the_candidate_page(other_recruiter, organization):
    candidate = with_history(CandidateFactory(organization=organization), 1)
    client = logged_in(other_recruiter)
    assert client.get(overview_url(candidate)).status_code == 404
    assert client.get(reverse("admin:candidates_candidate_export", args=[candidate.pk])).status_code == 404
    draft = candidate.messages.first()
    assert draft is not None
    response = client.post(
        reverse("admin:candidates_candidate_overview_approve", args=[candidate.pk]), {"message": draft.pk}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Message.Status.DRAFT


def test_approving_a_draft_from_the_candidate_page_schedules_it(recruiter, organization):
    draft = MessageFactory(candidate=CandidateFactory(organization=organization))
    response = logged_in(recruiter).post(
        reverse("admin:candidates_candidate_overview_approve", args=[draft.candidate_id]),
        {"message": draft.pk},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status in (Message.Status.SCHEDULED, Message.Status.SENT, Message.Status.SENDING)
    assert draft.approved_by_id == recruiter.pk


def test_another_candidates_message_cannot_be_approved_through_this_page(recruiter, organization):
    mine = CandidateFactory(organization=organization)
    draft = MessageFactory(candidate=CandidateFactory(organization=organization))
    response = logged_in(recruiter).post(
        reverse("admin:candidates_candidate_overview_approve", args=[mine.pk]), {"message": draft.pk}
    )
    assert response.status_code == 404


def test_inviting_from_the_candidate_page_drafts_an_opening_invitation(recruiter, organization):
    candidate = CandidateFactory(
        organization=organization, consent_expires_at=timezone.now() + dt.timedelta(days=90)
    )
    ConsentEventFactory(candidate=candidate)
    opening = OpeningFactory(organization=organization)
    response = logged_in(recruiter).post(
        reverse("admin:candidates_candidate_overview_invite", args=[candidate.pk]), {"opening": opening.pk}
    )
    assert response.status_code == 302
    invitation = Message.objects.get(candidate=candidate, kind=Message.Kind.OPENING_INVITATION)
    assert invitation.opening_id == opening.pk


def test_an_invitation_to_another_organizations_opening_is_refused(
    recruiter, organization, other_organization
):
    candidate = CandidateFactory(
        organization=organization, consent_expires_at=timezone.now() + dt.timedelta(days=90)
    )
    theirs = OpeningFactory(organization=other_organization)
    logged_in(recruiter).post(
        reverse("admin:candidates_candidate_overview_invite", args=[candidate.pk]), {"opening": theirs.pk}
    )
    assert not Message.objects.filter(candidate=candidate).exists()


def test_export_downloads_the_candidates_data_as_json_and_is_audited(recruiter, organization):
    candidate = CandidateFactory(organization=organization, first_name="Sofie")
    response = logged_in(recruiter).get(reverse("admin:candidates_candidate_export", args=[candidate.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["talentpool"]["profile"]["first_name"] == "Sofie"
    assert AuditEvent.objects.filter(action="candidate.exported", target_id=candidate.pk).exists()


def test_the_erase_button_leads_to_the_existing_confirmation(recruiter, organization):
    candidate = CandidateFactory(organization=organization)
    response = logged_in(recruiter).post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "candidate_erase_action", "_selected_action": [candidate.pk]},
    )
    assert response.status_code == 200
    assert candidate.full_name in response.text
    assert (
        'name="action" value="candidate_erase_action"'
        in logged_in(recruiter).get(overview_url(candidate)).text
    )


def test_the_candidate_page_runs_as_many_queries_for_a_long_history_as_for_a_short_one(
    recruiter, organization
):
    client = logged_in(recruiter)
    short = with_history(CandidateFactory(organization=organization), 2)
    long = with_history(CandidateFactory(organization=organization), 20)
    client.get(overview_url(short))  # warm the session and content-type caches
    count = queries_for(client, overview_url(short))
    assert queries_for(client, overview_url(long)) == count
    assert count <= 20


def test_the_candidate_page_runs_as_many_queries_in_a_pool_of_10000_as_of_1000(recruiter, organization):
    client = logged_in(recruiter)
    candidate = with_history(CandidateFactory(organization=organization), 2)
    client.get(overview_url(candidate))
    pool(organization, 1_000)
    small = queries_for(client, overview_url(candidate))
    pool_more = 9_000
    Candidate.objects.bulk_create(
        Candidate(organization=organization, first_name=f"Q{n}", email=f"more{n}@example.com")
        for n in range(pool_more)
    )
    assert queries_for(client, overview_url(candidate)) == small


def test_a_viewer_sees_the_candidate_page_but_cannot_approve(organization):
    viewer = UserFactory(username="vera", is_staff=True)
    MembershipFactory(user=viewer, organization=organization, role=Membership.Role.VIEWER)
    draft = MessageFactory(candidate=CandidateFactory(organization=organization))
    client = logged_in(viewer)
    page = client.get(overview_url(draft.candidate))
    assert page.status_code == 200
    assert "tp-approve" not in page.text
    response = client.post(
        reverse("admin:candidates_candidate_overview_approve", args=[draft.candidate_id]),
        {"message": draft.pk},
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Message.Status.DRAFT
