from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.db import transaction
from django.utils import timezone
from elasticsearch import Elasticsearch

from integrations.search import client as search_client
from integrations.search import indices
from talentpool.candidates.models import Candidate
from talentpool.candidates.services import candidate_create
from talentpool.core.actors import Actor
from talentpool.flows.consent import pool_join, pool_leave
from talentpool.flows.decision import decision_record
from talentpool.flows.profile import candidate_change
from talentpool.openings.services import FeedbackInput
from talentpool.search.candidates import candidate_index
from talentpool.search.selectors import CandidateQuery, SearchQueryError, candidate_search
from tests.factories import ConsentTextFactory, OpeningFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

SYSTEM = Actor.system()


def pooled(organization, *, now=None, **data) -> Candidate:
    """Create a candidate through the service and grant consent, as a candidate would."""
    data.setdefault("first_name", "Sofie")
    data.setdefault("email", f"{data['first_name'].lower()}.{Candidate.objects.count()}@example.dk")
    candidate = candidate_create(organization=organization, actor=SYSTEM, data=data)
    text = ConsentTextFactory(organization=organization, language="da", version=1)
    pool_join(candidate=candidate, text=text, actor=Actor.candidate(), now=now)
    return candidate


def search(organization, **query) -> list[int]:
    candidate_index.refresh()
    result = candidate_search(organization_id=organization.pk, query=CandidateQuery(**query))
    return [hit.candidate_id for hit in result.hits]


def test_a_candidate_is_indexed_when_the_consent_transaction_commits(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(organization, headline="IT-projektleder", skills=["projektleder", "PRINCE2"])
    assert search(organization, text="projektleder") == [candidate.pk]
    assert search(organization, skills_all=["project manager"]) == [candidate.pk]


def test_nothing_is_indexed_for_a_rolled_back_transaction(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        pooled(organization, headline="Elektriker")
        raise RuntimeError("the request failed after the save")
    assert search(organization) == []
    assert candidate_index.client.count(index=candidate_index.read_alias)["count"] == 0


def test_a_candidate_without_consent_is_not_indexed(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate_create(
            organization=organization, actor=SYSTEM, data={"first_name": "Ida", "email": "i@x.dk"}
        )
    assert search(organization) == []


def test_withdrawn_consent_removes_candidate_from_search(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(organization, headline="Marketingkoordinator")
    assert search(organization) == [candidate.pk]
    with django_capture_on_commit_callbacks(execute=True):
        pool_leave(candidate=candidate, actor=Actor.candidate())
    assert search(organization) == []
    assert candidate_index.client.count(index=candidate_index.read_alias)["count"] == 0


def test_expired_consent_is_never_found_even_before_the_document_is_removed(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(organization, headline="Data Engineer")
    assert candidate.consent_expires_at is not None
    later = candidate.consent_expires_at + dt.timedelta(minutes=1)
    candidate_index.refresh()
    result = candidate_search(organization_id=organization.pk, query=CandidateQuery(), now=later)
    assert result.total == 0


def test_another_organization_never_sees_the_candidates_in_search_or_facets(
    organization, other_organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pooled(organization, headline="Projektleder", skills=["prince2"], tags=["kystlys-only"])
        theirs = pooled(other_organization, headline="Projektledare", skills=["autocad"])
    candidate_index.refresh()
    result = candidate_search(organization_id=other_organization.pk, query=CandidateQuery())
    assert [hit.candidate_id for hit in result.hits] == [theirs.pk]
    assert dict(result.facets["skills"]) == {"autocad": 1}
    assert result.facets["tags"] == []
    assert search(other_organization, text="projektleder") == []


def test_search_filters_by_skills_languages_location_years_tags_and_stage(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        aarhus = pooled(
            organization,
            first_name="Mads",
            skills=["prince2", "agile"],
            languages=["da", "en"],
            location="Aarhus",
            latitude=56.1629,
            longitude=10.2039,
            years_of_experience=8,
            tags=["lederpotentiale"],
        )
        copenhagen = pooled(
            organization,
            first_name="Freja",
            skills=["agile", "k8s"],
            languages=["da"],
            location="København",
            latitude=55.6761,
            longitude=12.5683,
            years_of_experience=3,
        )
        decision_record(
            actor=SYSTEM,
            candidate=copenhagen,
            opening=OpeningFactory(organization=organization, title="DevOps Engineer"),
            stage="FINAL_INTERVIEW",
            feedback=FeedbackInput(development_areas=[("CERTIFICATION", "CKA certification")]),
        )
    assert search(organization, skills_all=["agile", "prince 2"]) == [aarhus.pk]
    assert sorted(search(organization, skills_any=["PRINCE2", "kubernetes"])) == sorted(
        [aarhus.pk, copenhagen.pk]
    )
    assert search(organization, languages=["en"]) == [aarhus.pk]
    assert search(organization, near=(56.15, 10.21), within_km=30) == [aarhus.pk]
    assert search(organization, years_min=5) == [aarhus.pk]
    assert search(organization, years_max=5) == [copenhagen.pk]
    assert search(organization, tags=["lederpotentiale"]) == [aarhus.pk]
    assert search(organization, stages=["FINAL_INTERVIEW"]) == [copenhagen.pk]
    assert search(organization, text="devops") == [copenhagen.pk]


def test_search_returns_facets_with_counts_and_highlights(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pooled(
            organization,
            first_name="Mads",
            headline="Projektleder i energisektoren",
            skills=["prince2", "agile"],
        )
        pooled(organization, first_name="Freja", headline="Scrum master", skills=["agile"])
    candidate_index.refresh()
    result = candidate_search(organization_id=organization.pk, query=CandidateQuery(text="projektleder"))
    assert result.total == 1
    assert "<mark>Projektleder</mark>" in result.hits[0].highlights["headline"][0]
    everyone = candidate_search(organization_id=organization.pk, query=CandidateQuery())
    assert dict(everyone.facets["skills"]) == {"agile": 2, "prince2": 1}


def test_search_filters_consent_expiring_before_a_date_and_sorts_by_expiry(
    organization, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        early = pooled(organization, first_name="Mads", now=now - dt.timedelta(days=350))
        late = pooled(organization, first_name="Freja", now=now)
    soon = now + dt.timedelta(days=30)
    assert search(organization, consent_expires_before=soon) == [early.pk]
    assert search(organization, sort="consent_expiry") == [early.pk, late.pk]


def test_search_pages_through_results_without_overlap(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = [pooled(organization, first_name=f"Kandidat{i}").pk for i in range(5)]
    pages = [search(organization, sort="updated", page=page, page_size=2) for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(pk for page in pages for pk in page) == sorted(created)


def test_a_bad_sort_or_page_is_refused_naming_the_field(organization):
    with pytest.raises(SearchQueryError) as error:
        candidate_search(organization_id=organization.pk, query=CandidateQuery(sort="salary"))
    assert error.value.field == "sort"
    with pytest.raises(SearchQueryError) as error:
        candidate_search(organization_id=organization.pk, query=CandidateQuery(page=0))
    assert error.value.field == "page"


def test_a_failing_search_server_never_fails_the_recruiters_save(
    organization, django_capture_on_commit_callbacks
):
    # given a pooled candidate and a search engine that has stopped answering
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(organization, headline="Elektriker")
    engine = search_client.get_client()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    search_client.set_client(Elasticsearch(f"http://127.0.0.1:{port}", max_retries=0, request_timeout=2))
    indices._ensured.clear()
    # when the recruiter saves a change
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(candidate=candidate, actor=SYSTEM, data={"headline": "Autoriseret elinstallatør"})
    # then the save stands, and reconciliation repairs the index once the engine is back
    assert Candidate.objects.get(pk=candidate.pk).headline == "Autoriseret elinstallatør"
    search_client.set_client(engine)
    assert candidate_index.reconcile() == {"missing": 0, "stale": 1, "orphaned": 0}
    assert search(organization, text="elinstallatør") == [candidate.pk]


def test_reconciliation_repairs_a_deliberately_corrupted_index(
    organization, django_capture_on_commit_callbacks
):
    # given three pooled candidates, indexed
    with django_capture_on_commit_callbacks(execute=True):
        missing, stale, fine = (pooled(organization, first_name=name) for name in ("Mads", "Freja", "Ida"))
    engine = candidate_index.client
    alias = candidate_index.read_alias
    # when the index loses one, holds an old copy of another, and gains a stranger
    engine.delete(index=alias, id=str(missing.pk), refresh=True)
    document = engine.get(index=alias, id=str(stale.pk))["_source"]
    engine.index(index=alias, id=str(stale.pk), document={**document, "name": "Old Name", "fingerprint": "x"})
    engine.index(
        index=alias, id="999999", document={**document, "row_id": 999999, "name": "Gone"}, refresh=True
    )
    counts = candidate_index.reconcile()
    # then it is repaired, and a second run finds nothing to do
    assert counts == {"missing": 1, "stale": 1, "orphaned": 1}
    assert sorted(search(organization)) == sorted([missing.pk, stale.pk, fine.pk])
    assert engine.get(index=alias, id=str(stale.pk))["_source"]["name"] == "Freja"
    assert candidate_index.reconcile() == {"missing": 0, "stale": 0, "orphaned": 0}


def test_rebuild_with_concurrent_updates_loses_none(organization, django_capture_on_commit_callbacks):
    # given a pool of twelve, indexed
    with django_capture_on_commit_callbacks(execute=True):
        pool = [pooled(organization, first_name=f"Kandidat{i}", headline="Elektriker") for i in range(12)]
    old_index = candidate_index.indices_behind(candidate_index.read_alias)
    changes = iter(range(100))

    def meanwhile() -> None:
        # Between chunks, as a worker would: an update, a withdrawal and a new member.
        step = next(changes)
        if step >= 4:
            return
        with django_capture_on_commit_callbacks(execute=True):
            candidate_change(candidate=pool[step], actor=SYSTEM, data={"headline": f"Projektleder {step}"})
            pool_leave(candidate=pool[-1 - step], actor=Actor.candidate())
            pooled(organization, first_name=f"Ny{step}", headline="Projektleder")
        # Searches keep answering, from the old index, which stays current while the new one loads.
        assert len(search(organization, page_size=100)) == Candidate.objects.in_pool().count()

    # when the index is rebuilt in chunks of five
    new_index = candidate_index.rebuild(chunk_size=5, between_chunks=meanwhile)
    # then the aliases point at the new index only, and it matches the database exactly
    assert candidate_index.indices_behind(candidate_index.read_alias) == [new_index]
    assert candidate_index.indices_behind(candidate_index.write_alias) == [new_index]
    assert new_index not in old_index
    in_pool = set(Candidate.objects.in_pool().values_list("pk", flat=True))
    assert set(search(organization, page_size=100)) == in_pool
    assert candidate_index.reconcile() == {"missing": 0, "stale": 0, "orphaned": 0}
    assert len(search(organization, text="projektleder", page_size=100)) == 8  # 4 updated, 4 new


def test_search_only_sees_its_own_organization_even_with_the_same_skills(django_capture_on_commit_callbacks):
    first, second = OrganizationFactory(), OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        mine = pooled(first, skills=["python"])
        pooled(second, skills=["python"])
    assert search(first, skills_all=["python"]) == [mine.pk]
