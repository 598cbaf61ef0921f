from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.core.models import AuditEvent, Membership
from talentpool.matching.models import MatchAlert
from tests.factories import (
    CandidateFactory,
    MatchAlertFactory,
    MembershipFactory,
    OpeningFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

REASONS = [
    {
        "kind": "skill",
        "requirement": "projektledelse",
        "concept": "project_management",
        "label": "Project management",
        "found_in": ["profile"],
        "must": True,
    },
    {
        "kind": "skill",
        "requirement": "PRINCE2",
        "concept": "prince2",
        "label": "PRINCE2",
        "found_in": ["cv"],
        "must": False,
    },
    {"kind": "runner_up", "opening": "IT-projektleder", "stage": "FINAL_INTERVIEW"},
]


def changelist() -> str:
    return reverse("admin:matching_matchalert_changelist")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_action(user: User, action: str, alerts: list[MatchAlert]):
    return logged_in(user).post(
        changelist(),
        {
            "action": action,
            "index": 0,
            "select_across": 0,
            "_selected_action": [alert.pk for alert in alerts],
        },
    )


def status_events(alert: MatchAlert) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="matching.matchalert", target_id=alert.pk))


@pytest.fixture
def opening(organization):
    return OpeningFactory(organization=organization, title="Projektleder, digitalisering")


@pytest.fixture
def alerts(organization, opening) -> list[MatchAlert]:
    return [
        MatchAlertFactory(
            opening=opening,
            candidate=CandidateFactory(organization=organization, first_name=name, last_name="Jensen"),
            score=score,
            reasons=REASONS,
        )
        for name, score in [("Sofie", 61.0), ("Mads", 87.5)]
    ]


@pytest.fixture
def foreign_alert(other_organization) -> MatchAlert:
    return MatchAlertFactory(
        opening=OpeningFactory(organization=other_organization, title="Platschef Göteborg"),
        candidate=CandidateFactory(organization=other_organization, first_name="Linnéa", last_name="Åberg"),
        reasons=REASONS,
    )


def test_the_match_alert_list_shows_readable_reasons_and_only_the_recruiters_openings(
    recruiter, alerts, foreign_alert
):
    response = logged_in(recruiter).get(changelist())
    assert response.status_code == 200
    assert (
        "has Project management (profile) and PRINCE2 (CV); runner-up for IT-projektleder, final interview"
        in response.text
    )
    assert "Projektleder, digitalisering" in response.text
    assert "Platschef Göteborg" not in response.text
    assert "Åberg" not in response.text


def test_the_reasons_read_in_the_recruiters_language(recruiter, alerts):
    response = logged_in(recruiter).get(changelist(), HTTP_ACCEPT_LANGUAGE="da")
    assert "har Projektledelse (profil) og PRINCE2 (CV)" in response.text


def test_marking_alerts_as_contacted_changes_their_status_and_records_audit_events(recruiter, alerts):
    response = run_action(recruiter, "mark_contacted", alerts)
    assert response.status_code == 302
    for alert in alerts:
        alert.refresh_from_db()
        assert alert.status == MatchAlert.Status.CONTACTED
        [event] = status_events(alert)
        assert (event.action, event.actor_user_id, event.changes) == (
            "match_alert.updated",
            recruiter.pk,
            ["status"],
        )


def test_dismissing_an_alert_with_a_reason_changes_its_status_and_records_an_audit_event(recruiter, alerts):
    sofie, mads = alerts
    run_action(recruiter, "dismiss_location", [sofie])
    sofie.refresh_from_db()
    mads.refresh_from_db()
    assert (sofie.status, mads.status) == (MatchAlert.Status.DISMISSED, MatchAlert.Status.NEW)
    assert sofie.dismiss_reason == MatchAlert.DismissReason.LOCATION
    [event] = status_events(sofie)
    assert (event.action, event.context) == ("match_alert.dismissed", {"reason": "LOCATION"})
    assert status_events(mads) == []


def test_match_alerts_have_no_add_form_and_open_on_the_openings_matches_page(recruiter, alerts):
    client = logged_in(recruiter)
    assert client.get(reverse("admin:matching_matchalert_add")).status_code == 403
    response = client.get(reverse("admin:matching_matchalert_change", args=[alerts[0].pk]))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:openings_opening_matches", args=[alerts[0].opening_id])
        + f"#candidate-{alerts[0].candidate_id}"
    )


def test_an_action_posted_with_another_organizations_alert_changes_nothing(recruiter, alerts, foreign_alert):
    run_action(recruiter, "dismiss_other", [foreign_alert])
    foreign_alert.refresh_from_db()
    assert foreign_alert.status == MatchAlert.Status.NEW
    assert status_events(foreign_alert) == []


def test_a_viewer_cannot_change_the_status_of_alerts(organization, alerts):
    viewer = UserFactory(username="viewer", is_staff=True)
    MembershipFactory(user=viewer, organization=organization, role=Membership.Role.VIEWER)
    run_action(viewer, "mark_contacted", alerts)
    assert set(MatchAlert.objects.values_list("status", flat=True)) == {MatchAlert.Status.NEW}


def test_the_openings_matches_page_lists_its_match_alerts_best_first(
    recruiter, opening, alerts, foreign_alert
):
    response = logged_in(recruiter).get(reverse("admin:openings_opening_matches", args=[opening.pk]))
    assert response.status_code == 200
    text = response.text
    assert text.index("Mads Jensen") < text.index("Sofie Jensen")
    assert 'value="88"' in text
    assert "runner-up for IT-projektleder" in text
    assert "Åberg" not in text


def test_the_openings_list_shows_new_matches_per_opening(recruiter, opening, alerts):
    response = logged_in(recruiter).get(reverse("admin:openings_opening_changelist"))
    assert "2 new" in response.text
    assert reverse("admin:openings_opening_matches", args=[opening.pk]) in response.text


def test_saving_an_opening_with_match_alerts_leaves_the_alerts_alone(
    recruiter, organization, opening, alerts
):
    response = logged_in(recruiter).post(
        reverse("admin:openings_opening_change", args=[opening.pk]),
        {
            "organization": organization.pk,
            "title": "Senior projektleder",
            "status": "OPEN",
            "description": opening.description,
            "must_have_skills": "Project management",
            "nice_to_have_skills": "",
        },
    )
    assert response.status_code == 302, response.text
    opening.refresh_from_db()
    assert opening.title == "Senior projektleder"
    assert MatchAlert.objects.filter(opening=opening).count() == 2
