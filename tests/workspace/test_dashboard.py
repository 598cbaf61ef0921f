from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.core.models import Membership, Organization
from talentpool.messaging.models import FeedbackRequest, Message
from talentpool.workspace.dashboard import month_ends, pool_size_history
from tests.factories import (
    CandidateFactory,
    ConsentEventFactory,
    MatchAlertFactory,
    MembershipFactory,
    MessageFactory,
    OpeningFactory,
)

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(client: Client, **params: str):
    return client.get(reverse("admin_dashboard"), params)


def test_the_admin_index_links_to_the_dashboard(recruiter):
    assert reverse("admin_dashboard") in logged_in(recruiter).get(reverse("admin:index")).text


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin_dashboard"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_pool_size_history_counts_who_was_in_the_pool_at_each_month_end(organization):
    with time_machine.travel(NOW - dt.timedelta(days=100), tick=False):
        ConsentEventFactory(
            candidate=CandidateFactory(organization=organization), expires_at=NOW + dt.timedelta(days=300)
        )
        leaves = ConsentEventFactory(
            candidate=CandidateFactory(organization=organization), expires_at=NOW + dt.timedelta(days=300)
        ).candidate
    with time_machine.travel(NOW - dt.timedelta(days=40), tick=False):
        ConsentEventFactory(candidate=leaves, kind=ConsentEvent.Kind.WITHDRAWN, text=None, expires_at=None)
    history = pool_size_history(organization_id=organization.pk, now=NOW)
    assert len(history) == 12
    assert [size for _, size in history[-5:]] == [0, 2, 2, 1, 1]


def test_month_ends_are_twelve_and_end_now():
    ends = month_ends(now=NOW)
    assert len(ends) == 12
    assert ends[-1] == NOW
    assert ends == sorted(ends)


def test_the_dashboard_shows_the_organizations_queues_and_mail(recruiter, organization):
    now = timezone.now()
    soon = CandidateFactory(organization=organization, consent_expires_at=now + dt.timedelta(days=5))
    CandidateFactory(organization=organization, consent_expires_at=now + dt.timedelta(days=200))
    opening = OpeningFactory(organization=organization, title="Lead developer")
    MatchAlertFactory(opening=opening)
    MatchAlertFactory(opening=opening)
    MessageFactory(candidate=soon, status=Message.Status.SENT, sent_at=now - dt.timedelta(days=2))
    MessageFactory(candidate=soon, status=Message.Status.FAILED)
    MessageFactory(candidate=soon)  # a draft warm rejection
    FeedbackRequest.objects.create(
        organization=organization, candidate=soon, due_at=now - dt.timedelta(days=1)
    )
    response = dashboard(logged_in(recruiter))
    assert response.status_code == 200
    context = response.context
    assert context["expiring_count"] == 1
    assert context["messages_sent"] == 1
    assert context["messages_failed"] == 1
    assert context["messages_awaiting_approval"] == 1
    assert context["overdue_feedback_count"] == 1
    assert context["match_alerts"] == [
        {"opening_id": opening.pk, "opening__title": "Lead developer", "count": 2}
    ]
    assert "<svg" in response.text
    assert soon.full_name in response.text


def test_the_dashboard_shows_only_the_recruiters_organization(recruiter, organization, other_organization):
    CandidateFactory(organization=other_organization, first_name="Linnéa", consent_expires_at=timezone.now())
    CandidateFactory(
        organization=other_organization,
        first_name="Åsa",
        consent_expires_at=timezone.now() + dt.timedelta(days=3),
    )
    response = dashboard(logged_in(recruiter))
    assert response.context["organization"] == organization
    assert response.context["expiring_count"] == 0
    assert "Åsa" not in response.text
    assert dashboard(logged_in(recruiter), organization_id=str(other_organization.pk)).status_code == 404


def test_a_recruiter_of_several_organizations_chooses_one(recruiter, organization, other_organization):
    MembershipFactory(user=recruiter, organization=other_organization, role=Membership.Role.VIEWER)
    response = dashboard(logged_in(recruiter), organization_id=str(other_organization.pk))
    assert response.context["organization"] == other_organization
    assert 'name="organization_id"' in response.text


def queries_for(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert dashboard(client).status_code == 200
    return len(captured)


def bulk_pool(organization: Organization, size: int, prefix: str) -> None:
    expires = timezone.now() + dt.timedelta(days=20)
    Candidate.objects.bulk_create(
        Candidate(
            organization=organization,
            first_name=f"{prefix}{n}",
            email=f"{prefix}{n}@example.com",
            consent_expires_at=expires,
        )
        for n in range(size)
    )


def test_the_dashboard_runs_as_many_queries_for_10000_candidates_as_for_1000(recruiter, organization):
    client = logged_in(recruiter)
    dashboard(client)  # warm the session and content-type caches
    bulk_pool(organization, 1_000, "a")
    small = queries_for(client)
    bulk_pool(organization, 9_000, "b")
    assert queries_for(client) == small
    assert small <= 20


@pytest.mark.parametrize(("language", "title"), [("da", "Overblik"), ("sv", "Översikt"), ("en", "Dashboard")])
def test_the_dashboard_speaks_the_recruiters_language(recruiter, language, title):
    client = logged_in(recruiter)
    client.cookies["django_language"] = language
    response = client.get(reverse("admin_dashboard"), HTTP_ACCEPT_LANGUAGE=language)
    assert f"<h1>{title}</h1>" in response.text
