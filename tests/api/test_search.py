from __future__ import annotations

import pytest

from talentpool.candidates.services import candidate_create
from talentpool.core.actors import Actor
from talentpool.flows.consent import pool_join
from talentpool.search.candidates import candidate_index
from tests.factories import ConsentTextFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def pooled(organization, **data):
    candidate = candidate_create(organization=organization, actor=Actor.system(), data=data)
    text = ConsentTextFactory(organization=organization, language="da", version=1)
    pool_join(candidate=candidate, text=text, actor=Actor.candidate())
    return candidate


def test_search_finds_pool_candidates_through_the_admins_search_service(
    api, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        wanted = pooled(
            organization,
            first_name="Sofie",
            email="s@example.dk",
            headline="IT-projektleder",
            skills=["PRINCE2"],
        )
        pooled(organization, first_name="Ole", email="o@example.dk", headline="Elektriker")
    candidate_index.refresh()

    response = api.get("/api/v1/search/candidates/", {"text": "projektleder", "skills_all": ["prince2"]})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["total"] == 1
    assert [hit["candidate"]["id"] for hit in body["results"]] == [wanted.pk]
    assert body["results"][0]["candidate"]["in_pool"] is True
    assert {"value": "prince2", "count": 1} in body["facets"]["skills"]


def test_search_never_shows_another_organizations_candidates(
    api, other_api, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pooled(organization, first_name="Sofie", email="s@example.dk", headline="IT-projektleder")
    candidate_index.refresh()

    response = other_api.get("/api/v1/search/candidates/", {"text": "projektleder"})

    assert response.status_code == 200
    assert (response.json()["total"], response.json()["results"]) == (0, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "age"}, "sort"),
        ({"page": "500", "page_size": "100"}, "page"),
        ({"near": "95,10"}, "near"),
        ({"years_min": "-1"}, "years_min"),
        ({"flavour": "vanilla"}, "flavour"),
    ],
)
def test_bad_search_parameters_are_400(api, params, field):
    response = api.get("/api/v1/search/candidates/", params)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
