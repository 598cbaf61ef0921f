from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.core.models import AuditEvent, Membership, Organization
from talentpool.openings.models import Opening
from tests.factories import CandidateFactory, MembershipFactory, OpeningFactory, RunnerUpFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_pools(organization: Organization, other_organization: Organization) -> tuple[Candidate, Candidate]:
    mine = CandidateFactory(organization=organization, first_name="Sofie", last_name="Østergaard")
    theirs = CandidateFactory(organization=other_organization, first_name="Linnéa", last_name="Åberg")
    return mine, theirs


def test_recruiter_sees_only_their_organizations_candidates(recruiter, two_pools):
    # given two_pools
    # when
    response = logged_in(recruiter).get(reverse("admin:candidates_candidate_changelist"))
    # then
    assert response.status_code == 200
    assert "Østergaard" in response.text
    assert "Åberg" not in response.text


def test_recruiter_cannot_open_another_organizations_candidate(recruiter, two_pools):
    _, theirs = two_pools
    response = logged_in(recruiter).get(reverse("admin:candidates_candidate_change", args=[theirs.pk]))
    # The admin answers a row outside the queryset as missing: a redirect with "doesn't exist".
    assert response.status_code == 302
    assert "Åberg" not in logged_in(recruiter).get(response["Location"]).text


def test_recruiter_cannot_change_another_organizations_candidate_by_post(recruiter, two_pools):
    _, theirs = two_pools
    logged_in(recruiter).post(
        reverse("admin:candidates_candidate_change", args=[theirs.pk]),
        {
            "first_name": "Hacked",
            "email": theirs.email,
            "language": "sv",
            "organization": theirs.organization_id,
        },
    )
    theirs.refresh_from_db()
    assert theirs.first_name == "Linnéa"


def test_recruiter_is_offered_only_their_organization_on_the_add_form(recruiter, other_organization):
    response = logged_in(recruiter).get(reverse("admin:candidates_candidate_add"))
    assert response.status_code == 200
    assert "Kystlys A/S" in response.text
    assert other_organization.name not in response.text


def test_recruiter_cannot_add_a_candidate_to_another_organization(recruiter, other_organization):
    response = logged_in(recruiter).post(
        reverse("admin:candidates_candidate_add"),
        {
            "organization": other_organization.pk,
            "first_name": "Nils",
            "email": "nils@example.se",
            "language": "sv",
            "cv_file-TOTAL_FORMS": "0",
            "cv_file-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not Candidate.objects.filter(email="nils@example.se").exists()


def test_recruiter_adding_a_candidate_in_the_admin_goes_through_the_service(recruiter, organization):
    response = logged_in(recruiter).post(
        reverse("admin:candidates_candidate_add"),
        {
            "organization": organization.pk,
            "first_name": "Mads",
            "last_name": "Holm",
            "email": "Mads.Holm@Example.dk",
            "language": "da",
            "skills": "PRINCE2",
            "languages": ["da", "en"],
            "links": "",
            "tags": "",
            "cv_file-TOTAL_FORMS": "0",
            "cv_file-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.text
    candidate = Candidate.objects.get(organization=organization, email="mads.holm@example.dk")
    assert candidate.skills == ["PRINCE2"]  # as typed
    event = AuditEvent.objects.get(target_type="candidates.candidate", target_id=candidate.pk)
    assert (event.action, event.actor_type, event.actor_user_id) == (
        "candidate.created",
        "USER",
        recruiter.pk,
    )


def test_runner_up_form_refuses_an_opening_of_another_organization(
    recruiter, organization, other_organization
):
    # A recruiter in both organizations could otherwise tie a candidate of one to an opening of the other.
    MembershipFactory(user=recruiter, organization=other_organization)
    candidate = CandidateFactory(organization=organization)
    opening = OpeningFactory(organization=other_organization)
    response = logged_in(recruiter).post(
        reverse("admin:openings_runnerup_add"),
        {
            "organization": organization.pk,
            "candidate": candidate.pk,
            "opening": opening.pk,
            "stage": "FINAL_INTERVIEW",
            "rank": "2",
            "decided_at_0": "2026-11-20",
            "decided_at_1": "10:00:00",
            "feedback-TOTAL_FORMS": "0",
            "feedback-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "belongs to another organization" in response.text
    assert not candidate.runner_ups.exists()


def test_viewer_can_view_but_not_change(organization):
    viewer = UserFactory(username="viewer", is_staff=True)
    MembershipFactory(user=viewer, organization=organization, role=Membership.Role.VIEWER)
    candidate = CandidateFactory(organization=organization)
    client = logged_in(viewer)
    assert client.get(reverse("admin:candidates_candidate_changelist")).status_code == 200
    assert client.get(reverse("admin:candidates_candidate_add")).status_code == 403
    response = client.post(
        reverse("admin:candidates_candidate_change", args=[candidate.pk]),
        {
            "first_name": "Changed",
            "email": candidate.email,
            "language": "da",
            "organization": organization.pk,
        },
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.first_name != "Changed"


def test_staff_user_without_membership_sees_no_talentpool_models(organization):
    outsider = UserFactory(username="outsider", is_staff=True)
    CandidateFactory(organization=organization)
    client = logged_in(outsider)
    assert client.get(reverse("admin:candidates_candidate_changelist")).status_code == 403
    assert "Candidates" not in client.get(reverse("admin:index")).text


def test_superuser_sees_every_organization(two_pools):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = logged_in(superuser).get(reverse("admin:candidates_candidate_changelist"))
    assert "Østergaard" in response.text
    assert "Åberg" in response.text


def test_every_admin_page_of_the_recruiter_hides_the_other_organization(
    recruiter, organization, other_organization
):
    # given a runner-up (with its candidate and opening) in each organization
    RunnerUpFactory(opening=OpeningFactory(organization=organization, title="Marketingkoordinator"))
    RunnerUpFactory(opening=OpeningFactory(organization=other_organization, title="Platschef Göteborg"))
    client = logged_in(recruiter)
    # when the recruiter opens every change list
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("auth",):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        # then each loads (the system's records are for the organization's admins), and none
        # shows the other organization's rows or name
        assert response.status_code == (403 if getattr(model_admin, "admins_only", False) else 200), url
        assert "Platschef Göteborg" not in response.text, url
        assert other_organization.name not in response.text, url


def test_recruiter_editing_an_opening_records_an_audit_event(recruiter, organization):
    opening = OpeningFactory(organization=organization, title="Data Engineer")
    opening.recruiters.add(recruiter)
    response = logged_in(recruiter).post(
        reverse("admin:openings_opening_change", args=[opening.pk]),
        {
            "organization": organization.pk,
            "title": "Senior Data Engineer",
            "status": "OPEN",
            "recruiters": [recruiter.pk],
            "description": opening.description,
            "must_have_skills": "Project management",
            "nice_to_have_skills": "",
        },
    )
    assert response.status_code == 302, response.text
    opening.refresh_from_db()
    assert opening.title == "Senior Data Engineer"
    event = AuditEvent.objects.filter(target_type="openings.opening", target_id=opening.pk).latest("id")
    assert event.action == "opening.updated"
    assert event.changes == ["title"]
    assert Opening.objects.get(pk=opening.pk).recruiters.get() == recruiter
