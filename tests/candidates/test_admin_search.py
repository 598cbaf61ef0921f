from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import SavedSearch
from talentpool.core.models import AuditEvent, Membership, Organization
from talentpool.search.candidates import candidate_index
from tests.candidates.test_search import pooled
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def search_url() -> str:
    return reverse("admin:candidates_candidate_search")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def search_page(user: User, **params):
    candidate_index.refresh()
    return logged_in(user).get(search_url(), params)


def names(response) -> list[str]:
    return [row["name"] for row in response.context["rows"]]


def facet(response, title: str) -> dict[str, dict]:
    group = next(group for group in response.context["facets"] if group["title"] == title)
    return {value["label"]: value for value in group["values"]}


@pytest.fixture
def colleague(organization: Organization) -> User:
    user = UserFactory(username="jonas", is_staff=True)
    MembershipFactory(user=user, organization=organization, role=Membership.Role.RECRUITER)
    return user


@pytest.fixture
def two_pools(organization, other_organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pooled(
            organization,
            first_name="Sofie",
            last_name="Østergaard",
            headline="IT-projektleder i den offentlige sektor",
            skills=["projektleder", "PRINCE2"],
            languages=["da", "en"],
            location="Aarhus",
            tags=["lederpotentiale"],
        )
        pooled(
            organization,
            first_name="Mads",
            last_name="Holm",
            headline="Elektriker med projektleder-erfaring",
            skills=["projektleder"],
            languages=["da"],
            location="Odense",
        )
        pooled(
            other_organization,
            first_name="Linnéa",
            last_name="Åberg",
            email="linnea@example.se",
            headline="Projektledare bygg",
            skills=["AutoCAD"],
            tags=["fjallbo-only"],
        )


def test_the_candidate_list_links_to_the_pool_search(recruiter):
    response = logged_in(recruiter).get(reverse("admin:candidates_candidate_changelist"))
    assert f'href="{search_url()}"' in response.text
    assert "Search the pool" in response.text


def test_the_search_page_shows_the_recruiters_pool_with_facet_counts_and_highlights(recruiter, two_pools):
    response = search_page(recruiter, q="projektleder")
    assert response.status_code == 200
    assert sorted(names(response)) == ["Mads Holm", "Sofie Østergaard"]
    assert response.context["result"].total == 2
    assert facet(response, "Skills")["Project manager"]["count"] == 2  # "projektleder", in English
    assert facet(response, "Skills")["PRINCE2"]["count"] == 1
    assert facet(response, "Languages")["Danish"]["count"] == 2
    assert "<mark>projektleder</mark>" in response.text.lower()
    assert "lederpotentiale" in response.text
    assert '<label for="id_q">' in response.text


def test_the_search_page_never_shows_another_organizations_candidates_facets_or_saved_searches(
    recruiter, other_recruiter, other_organization, two_pools
):
    SavedSearch.objects.create(
        organization=other_organization, owner=other_recruiter, name="Byggledare Göteborg", shared=True
    )
    response = search_page(recruiter)
    assert response.context["result"].total == 2
    assert "Åberg" not in response.text
    assert "AutoCAD" not in response.text
    assert "fjallbo-only" not in response.text
    assert "Byggledare Göteborg" not in response.text
    assert other_organization.name not in response.text


def test_asking_for_another_organizations_pool_is_not_found(recruiter, other_organization, two_pools):
    response = search_page(recruiter, organization=other_organization.pk, q="projektledare")
    assert response.status_code == 404
    assert "Åberg" not in response.text


def test_a_member_of_several_organizations_picks_the_pool_to_search(
    recruiter, organization, other_organization, two_pools
):
    MembershipFactory(user=recruiter, organization=other_organization, role=Membership.Role.VIEWER)
    first = search_page(recruiter)
    assert first.context["organization"] == other_organization  # "Fjällbo" sorts before "Kystlys"
    assert '<select name="organization" id="id_organization">' in first.text
    chosen = search_page(recruiter, organization=organization.pk)
    assert sorted(names(chosen)) == ["Mads Holm", "Sofie Østergaard"]


def test_a_superuser_can_search_any_organization(other_organization, two_pools):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = search_page(root, organization=other_organization.pk)
    assert names(response) == ["Linnéa Åberg"]


def test_a_facet_link_narrows_the_results(recruiter, two_pools):
    response = search_page(recruiter)
    link = facet(response, "Skills")["PRINCE2"]["url"]
    narrowed = logged_in(recruiter).get(search_url() + link)
    assert names(narrowed) == ["Sofie Østergaard"]
    assert facet(narrowed, "Skills")["PRINCE2"]["url"] is None  # already chosen


def test_searching_near_a_city_finds_the_candidates_within_reach(
    recruiter, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pooled(organization, first_name="Ida", location="Aarhus", latitude=56.1629, longitude=10.2039)
        pooled(organization, first_name="Ole", location="Odense", latitude=55.4038, longitude=10.4024)
    response = search_page(recruiter, near="aarhus", within_km="30")
    assert names(response) == ["Ida"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"years_min": "many"}, "Enter a whole number."),
        ({"expiring_before": "31/31/2026"}, "Enter a valid date."),
        ({"sort": "salary"}, "Select a valid choice."),
        ({"near": "Atlantis"}, "Unknown place"),
        ({"years_min": "9", "years_max": "2"}, "must not be fewer"),
        ({"page": "600"}, "That page is beyond the results that can be shown"),
        ({"page": "last"}, "Page: Enter a whole number."),
    ],
)
def test_bad_input_shows_an_error_on_the_page_and_never_fails(recruiter, two_pools, params, message):
    response = search_page(recruiter, **params)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="errornote"' in response.text


def test_a_candidates_text_never_becomes_markup_in_a_highlight(
    recruiter, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pooled(organization, first_name="Eve", headline="<script>alert(1)</script> projektleder")
    response = search_page(recruiter, q="projektleder")
    assert names(response) == ["Eve"]
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;" in response.text


def test_saving_a_search_stores_it_with_an_audit_event_and_lists_it(recruiter, organization, two_pools):
    client = logged_in(recruiter)
    url = f"{search_url()}?q=projektleder&skills=PRINCE2&page=1"
    response = client.post(url, {"name": "Projektledere med PRINCE2", "shared": "on"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.organization, saved.owner, saved.shared) == (organization, recruiter, True)
    assert saved.params == {"q": "projektleder", "skills": "PRINCE2"}
    event = AuditEvent.objects.get(target_type="candidates.savedsearch", target_id=saved.pk)
    assert (event.action, event.actor_user_id) == ("saved_search.created", recruiter.pk)
    page = client.get(response["Location"])
    assert "Projektledere med PRINCE2" in page.text
    rerun = client.get(search_url() + page.context["saved_searches"][0]["url"])
    assert names(rerun) == ["Sofie Østergaard"]


def test_saving_a_search_twice_under_one_name_shows_an_error(recruiter, two_pools):
    client = logged_in(recruiter)
    client.post(f"{search_url()}?q=projektleder", {"name": "Ledere"})
    response = client.post(f"{search_url()}?q=elektriker", {"name": "Ledere"})
    assert response.status_code == 200
    assert "You already have a saved search with this name." in response.text
    assert SavedSearch.objects.count() == 1


def test_a_shared_saved_search_is_visible_to_a_colleague_but_not_to_another_organization(
    recruiter, colleague, other_recruiter, organization
):
    SavedSearch.objects.create(
        organization=organization, owner=recruiter, name="Delt: elektrikere", shared=True
    )
    SavedSearch.objects.create(organization=organization, owner=recruiter, name="Min egen liste")
    seen_by_colleague = search_page(colleague)
    assert "Delt: elektrikere" in seen_by_colleague.text
    assert "Min egen liste" not in seen_by_colleague.text
    seen_by_other = search_page(other_recruiter)
    assert "Delt: elektrikere" not in seen_by_other.text


def test_the_saved_search_admin_shows_own_and_shared_searches_of_the_users_organizations_only(
    recruiter, colleague, other_recruiter, organization, other_organization
):
    SavedSearch.objects.create(organization=organization, owner=recruiter, name="Mine")
    SavedSearch.objects.create(
        organization=organization, owner=colleague, name="Colleague shared", shared=True
    )
    SavedSearch.objects.create(organization=organization, owner=colleague, name="Colleague private")
    SavedSearch.objects.create(
        organization=other_organization, owner=other_recruiter, name="Theirs", shared=True
    )
    response = logged_in(recruiter).get(reverse("admin:candidates_savedsearch_changelist"))
    assert response.status_code == 200
    assert [saved.name for saved in response.context["cl"].result_list] == ["Colleague shared", "Mine"]


def test_a_user_outside_every_organization_cannot_open_the_search(organization):
    outsider = UserFactory(username="outsider", is_staff=True)
    assert logged_in(outsider).get(search_url()).status_code == 403


def test_the_search_page_is_translated_for_a_danish_recruiter(recruiter, two_pools):
    client = logged_in(recruiter)
    response = client.get(search_url(), HTTP_ACCEPT_LANGUAGE="da")
    assert "<h1>Søg i talentpuljen</h1>" in response.text
    assert "Projektleder" in response.text  # the skill facet, labelled in Danish
    assert "Gemte søgninger" in response.text
