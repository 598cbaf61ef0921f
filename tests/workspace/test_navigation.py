"""Navigation by role, the user's own language and the organization's time zone in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import SavedSearch
from talentpool.core.models import AuditEvent, Membership
from tests.factories import MembershipFactory, MessageFactory, UserFactory

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sections(user: User) -> dict[str, list[str]]:
    response = logged_in(user).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    return {
        app["app_label"]: [str(model["name"]) for model in app["models"]]
        for app in response.context["app_list"]
    }


def test_a_recruiter_sees_their_work_and_no_configuration_or_system(recruiter):
    shown = sections(recruiter)
    assert list(shown) == ["work"]
    assert shown["work"][:2] == ["Dashboard", "Search the pool"]
    for entry in (
        "Openings and matches",
        "Runner-ups and feedback",
        "Messages to review",
        "Feedback requests",
    ):
        assert entry in shown["work"]
    assert "Audit events" not in shown["work"]
    assert "Magic links" not in shown["work"]


def test_an_organization_admin_also_sees_configuration_and_a_system_section(organization):
    admin_user = UserFactory(username="admin-of-kystlys", is_staff=True)
    MembershipFactory(user=admin_user, organization=organization, role=Membership.Role.ADMIN)
    shown = sections(admin_user)
    assert list(shown) == ["work", "configuration", "system"]
    assert {"Message templates", "Consent texts", "API keys", "ATS connections", "Webhook endpoints"} <= set(
        shown["configuration"]
    )
    assert {"Audit events", "Magic links", "Webhook deliveries", "CV files"} <= set(shown["system"])


def test_the_language_chosen_in_the_profile_wins_over_the_browsers(recruiter):
    client = logged_in(recruiter)
    response = client.post(reverse("admin:profile"), {"language": "sv"})
    assert response.status_code == 302
    assert Membership.objects.get(user=recruiter).language == "sv"
    assert AuditEvent.objects.filter(action="membership.updated").count() == 1
    page = client.get(reverse("admin_dashboard"), HTTP_ACCEPT_LANGUAGE="da")
    assert "<h1>Översikt</h1>" in page.text


def test_times_are_shown_in_the_organizations_time_zone(recruiter, organization):
    organization.time_zone = "Europe/Copenhagen"
    organization.save()
    message = MessageFactory(candidate__organization=organization, scheduled_at=NOW, status="SCHEDULED")
    response = logged_in(recruiter).get(
        reverse("admin:messaging_message_change", args=[message.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Nov. 18, 2026, 11 a.m." in response.text  # 10:00 UTC is 11:00 in Copenhagen in November


@pytest.mark.parametrize(
    "name",
    [
        "core_auditevent",
        "consent_magiclink",
        "consent_consentevent",
        "webhooks_webhookdelivery",
        "api_atsdelivery",
        "messaging_touchpointplan",
    ],
)
def test_the_systems_records_are_for_organization_admins_only(recruiter, organization, name):
    assert logged_in(recruiter).get(reverse(f"admin:{name}_changelist")).status_code == 403
    admin_user = UserFactory(username="admin-of-kystlys", is_staff=True)
    MembershipFactory(user=admin_user, organization=organization, role=Membership.Role.ADMIN)
    assert logged_in(admin_user).get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_a_saved_search_reads_as_what_it_searches_for_not_as_json(recruiter, organization):
    saved = SavedSearch.objects.create(
        organization=organization,
        owner=recruiter,
        name="Projektledere",
        params={"q": "projektleder", "languages": ["da"]},
    )
    client = logged_in(recruiter)
    response = client.get(reverse("admin:candidates_savedsearch_change", args=[saved.pk]))
    assert "projektleder · da" in response.text
    assert "{&quot;" not in response.text
    assert client.get(reverse("admin:candidates_savedsearch_add")).status_code == 403
