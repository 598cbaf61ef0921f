from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from talentpool.search.candidates import candidate_index
from talentpool.search.openings import opening_index
from tests.candidates.test_search import pooled, search
from tests.factories import OpeningFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def test_rebuild_swaps_both_aliases_to_a_new_index_and_shows_progress(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        people = [pooled(organization, first_name=f"Kandidat{i}") for i in range(3)]
    before = candidate_index.indices_behind(candidate_index.read_alias)
    output = run("--rebuild", "--index", "candidates", "--chunk-size", "2")
    after = candidate_index.indices_behind(candidate_index.read_alias)
    assert after != before
    assert candidate_index.indices_behind(candidate_index.write_alias) == after
    assert "candidates: 3 documents" in output
    assert f"now serving {after[0]}" in output
    assert sorted(search(organization)) == sorted(p.pk for p in people)


def test_rebuild_indexes_only_open_openings(organization):
    open_one = OpeningFactory(organization=organization, status="OPEN")
    OpeningFactory(organization=organization, status="FILLED")
    run("--rebuild", "--index", "openings")
    opening_index.refresh()
    hits = opening_index.client.search(index=opening_index.read_alias, body={"query": {"match_all": {}}})
    assert [hit["_id"] for hit in hits["hits"]["hits"]] == [str(open_one.pk)]


def test_reconcile_reports_what_it_repaired(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(organization)
    candidate_index.client.delete(index=candidate_index.read_alias, id=str(candidate.pk), refresh=True)
    assert "candidates: missing 1, stale 0, orphaned 0" in run("--reconcile", "--index", "candidates")


def test_status_names_the_indices_behind_each_alias(organization):
    candidate_index.ensure()
    output = run("--status", "--index", "candidates")
    assert candidate_index.indices_behind(candidate_index.read_alias)[0] in output
    assert "0 documents" in output


def test_a_bad_chunk_size_is_refused():
    with pytest.raises(CommandError, match="--chunk-size"):
        run("--rebuild", "--chunk-size", "0")
