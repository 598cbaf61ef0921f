"""A search engine that is killed and comes back empty: the index heals without anyone's help."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone
from elastic_transport import ConnectionError as EngineConnectionError

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey
from talentpool.flows.profile import candidate_change
from talentpool.search.candidates import candidate_index, candidate_index_sweep, candidate_index_sync
from talentpool.search.selectors import CandidateQuery, candidate_search
from talentpool.search.tasks import search_index_heal_task
from tests.api.conftest import client_for
from tests.candidates.test_search import pooled
from tests.outages import SearchEngine, celery_broker, search_engine_of_its_own

pytestmark = pytest.mark.django_db

POOL = 20


@pytest.fixture
def engine() -> Iterator[SearchEngine]:
    with search_engine_of_its_own() as engine:
        yield engine


@pytest.fixture
def pool(organization, engine, django_capture_on_commit_callbacks) -> list[Candidate]:
    with django_capture_on_commit_callbacks(execute=True):
        people = [pooled(organization, first_name=f"Person{n}", headline="Tømrer") for n in range(POOL)]
    assert found(organization) == POOL
    return people


def found(organization, **query) -> int:
    candidate_index.refresh()
    return candidate_search(organization_id=organization.pk, query=CandidateQuery(**query)).total


def test_reconciliation_counts_every_document_missing_after_the_engine_came_back_empty_and_refills_them(
    organization, engine, pool
):
    # when the engine is killed and comes back with nothing
    engine.restart_empty()

    # then the reconciliation compares with what the engine holds: nothing
    counts = candidate_index.reconcile()
    assert counts == {"missing": POOL, "stale": 0, "orphaned": 0}
    assert found(organization) == POOL


def test_an_update_after_the_engine_came_back_empty_recreates_the_index_instead_of_writing_nothing(
    organization, engine, pool, django_capture_on_commit_callbacks
):
    # given an engine that lost everything, in a process that had checked the index before
    engine.restart_empty()

    # when a recruiter changes one person
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(candidate=pool[0], actor=Actor.system(), data={"headline": "Snedker"})

    # then the index is back, filled from the database, with the change
    assert found(organization) == POOL
    assert found(organization, text="snedker") == 1
    assert Candidate.objects.filter(indexed_at__isnull=True).count() == 0


def test_indexed_at_is_set_only_when_the_engine_took_the_document(
    organization, engine, pool, django_capture_on_commit_callbacks
):
    # given a change saved while the engine is down
    person = pool[0]
    indexed_before = Candidate.objects.get(pk=person.pk).indexed_at
    assert indexed_before is not None
    engine.kill()
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(candidate=person, actor=Actor.system(), data={"headline": "Snedker"})
    with pytest.raises(EngineConnectionError):
        candidate_index_sync(candidate_ids=[person.pk])

    # then the row does not claim to be indexed
    assert Candidate.objects.get(pk=person.pk).indexed_at == indexed_before

    # and once the engine is back (empty), the sweeper indexes it and the index heals
    engine.start()
    assert candidate_index_sweep(now=timezone.now() + dt.timedelta(minutes=3)) == 1
    indexed_after = Candidate.objects.get(pk=person.pk).indexed_at
    assert indexed_after is not None
    assert indexed_after > indexed_before
    assert found(organization, text="snedker") == 1
    assert found(organization) == POOL


def test_while_a_worker_refills_the_index_search_answers_503_and_the_periodic_heal_restores_it(
    organization, engine, pool
):
    # given an engine that came back empty, and a broker whose worker is busy elsewhere
    engine.restart_empty()
    api = client_for(organization, scope=ApiKey.Scope.READ)
    with celery_broker("memory://"):
        # when a recruiter searches before the refill was done
        response = api.get("/api/v1/search/candidates/", {"text": "tømrer"})

        # then the answer says why, in the API's one error shape
        assert response.status_code == 503
        assert response.json()["code"] == "search_unavailable"
        assert "refilled from the database" in response.json()["message"]
        assert response.headers["Retry-After"] == "60"

        # when the periodic heal runs (beat, every minute)
        started = time.monotonic()
        healed = search_index_heal_task()
        took = time.monotonic() - started

    # then search answers for the whole pool again
    assert healed["candidates"] == {"missing": POOL, "stale": 0, "orphaned": 0}
    response = api.get("/api/v1/search/candidates/", {"text": "tømrer", "page_size": "100"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == POOL
    assert took < 10


def test_the_periodic_heal_does_nothing_when_the_indices_are_in_place(engine, pool):
    search_index_heal_task()  # the openings index is created on first use
    assert search_index_heal_task() == {"candidates": None, "openings": None}


def test_a_lost_write_alias_is_restored_and_the_documents_missed_meanwhile_are_refilled(
    organization, engine, pool, django_capture_on_commit_callbacks
):
    # given an engine that lost the write alias, and a document that a write meanwhile missed
    client = candidate_index.client
    [name] = candidate_index.indices_behind(candidate_index.read_alias)
    client.indices.delete_alias(index=name, name=candidate_index.write_alias)
    client.delete(index=name, id=str(pool[1].pk))

    # when the next change is saved
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(candidate=pool[0], actor=Actor.system(), data={"headline": "Snedker"})

    # then the alias is back, the change is written, and the reconciliation refilled the rest
    assert candidate_index.indices_behind(candidate_index.write_alias) == [name]
    assert found(organization, text="snedker") == 1
    assert found(organization) == POOL


def test_without_a_worker_the_first_search_after_the_engine_came_back_empty_refills_and_answers(
    organization, engine, pool
):
    # given an engine that came back empty, in the embedded default (tasks run in-process)
    engine.restart_empty()

    # when a recruiter searches
    result = candidate_search(organization_id=organization.pk, query=CandidateQuery(text="tømrer"))

    # then the index was refilled first, and the answer holds everyone
    assert result.total == POOL
