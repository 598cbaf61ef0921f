from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentpool.candidates.models import Candidate
from tests.factories import MatchAlertFactory, RunnerUpFactory

pytestmark = pytest.mark.django_db


def bulk_candidates(organization, count: int, *, start: int = 0) -> None:
    Candidate.objects.bulk_create(
        [
            Candidate(
                organization=organization, first_name=f"P{n}", email=f"p{n}@example.dk", skills=["python"]
            )
            for n in range(start, start + count)
        ],
        batch_size=2000,
    )


def test_paging_10000_candidates_with_concurrent_inserts_repeats_and_misses_nothing(api, organization):
    # given 10,000 candidates
    bulk_candidates(organization, 10_000)
    existing = set(Candidate.objects.values_list("pk", flat=True))
    rng = random.Random(6)

    # when paging through while others insert rows between page fetches
    seen: list[int] = []
    url = "/api/v1/candidates/?page_size=500"
    inserted = 0
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        count = rng.randint(1, 40)
        bulk_candidates(organization, count, start=100_000 + inserted)
        inserted += count
        url = page["next"]

    # then no row twice, and every row that existed before is there
    assert len(seen) == len(set(seen))
    assert existing <= set(seen)
    assert inserted > 0


def test_a_page_has_a_next_link_and_the_last_none(api, organization):
    bulk_candidates(organization, 3)

    first = api.get("/api/v1/candidates/?page_size=2").json()
    second = api.get(first["next"]).json()

    assert first["next"].startswith("http://testserver/api/v1/candidates/?cursor=")
    assert [len(first["results"]), len(second["results"])] == [2, 1]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("/api/v1/candidates/", lambda org, n: bulk_candidates(org, n, start=1000 * n)),
        (
            "/api/v1/runner-ups/",
            lambda org, n: [RunnerUpFactory(opening__organization=org) for _ in range(n)],
        ),
        ("/api/v1/openings/", lambda org, n: [RunnerUpFactory(opening__organization=org) for _ in range(n)]),
        (
            "/api/v1/match-alerts/",
            lambda org, n: [MatchAlertFactory(opening__organization=org) for _ in range(n)],
        ),
    ],
)
def test_queries_for_a_list_page_do_not_grow_with_the_page_size(api, organization, path, make):
    make(organization, 25)
    api.get(path)  # The first request of a key also records when it was last used.

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(path, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        return len(captured.captured_queries)

    assert queries(2) == queries(20)
