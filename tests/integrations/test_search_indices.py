from __future__ import annotations

import pytest

from integrations.search.indices import BulkError, SearchIndex
from talentpool.search.candidates import CandidateDocument

pytestmark = pytest.mark.usefixtures("search_engine")


def test_bulk_errors_name_the_failing_documents():
    # given an index whose loader produces one document the mapping refuses
    def load(ids):
        return {i: {"fingerprint": "x", "years_of_experience": "many" if i == 2 else 3} for i in ids}

    index = SearchIndex(
        kind="bulk-errors", document=CandidateDocument, load_sources=load, iter_ids=lambda a, n: []
    )
    index.ensure()
    # when three documents are written
    with pytest.raises(BulkError) as error:
        index.sync([1, 2, 3])
    # then the error names document 2 and only it; the others are indexed
    assert [doc_id for doc_id, _ in error.value.failures] == ["2"]
    assert "2:" in str(error.value)
    index.refresh()
    assert index.client.count(index=index.read_alias)["count"] == 2


def test_a_stale_copy_never_overwrites_a_newer_document():
    versions = {"text": "new"}

    def load(ids):
        return {i: {"fingerprint": versions["text"]} for i in ids}

    index = SearchIndex(
        kind="versions", document=CandidateDocument, load_sources=load, iter_ids=lambda a, n: []
    )
    index.ensure()
    index.sync([1])
    # a copy read earlier arrives late: it carries an older version and is ignored
    stale = {"_index": index.read_alias, "_id": "1", "version": 1, "version_type": "external_gte"}
    index._bulk([{**stale, "_source": {"fingerprint": "old"}}], index=index.read_alias)
    assert index.client.get(index=index.read_alias, id="1")["_source"]["fingerprint"] == "new"


def test_an_index_from_an_older_release_gets_the_new_fields_and_accepts_documents_with_them():
    # given an index created before the mapping had the field "concepts"
    index = SearchIndex(
        kind="upgrade",
        document=CandidateDocument,
        load_sources=lambda ids: {i: {"fingerprint": "x", "concepts": ["1:skill:prince2"]} for i in ids},
        iter_ids=lambda a, n: [],
    )
    body = index.body()
    del body["mappings"]["properties"]["concepts"]
    name = f"{index.read_alias}-old"
    index.client.indices.create(index=name, body=body)
    index.client.indices.update_aliases(
        actions=[
            {"add": {"index": name, "alias": index.read_alias}},
            {"add": {"index": name, "alias": index.write_alias}},
        ]
    )
    # when the new release starts
    index.ensure()
    # then documents with the new field are indexed and found by it
    index.sync([1])
    index.refresh()
    found = index.client.search(index=index.read_alias, query={"term": {"concepts": "1:skill:prince2"}})
    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["1"]
