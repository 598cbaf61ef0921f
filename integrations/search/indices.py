"""One index per kind of document, behind a read alias and a write alias.

Searches use the read alias. Writes go to every index behind the write alias: during a rebuild
that is the old and the new index, so an update made while the new index is loading reaches
both and none is lost. Each document carries an external version (the microsecond at which its
row was read), so a stale copy never overwrites a newer one, whatever the order of arrival.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import Document

from integrations.search.analysis import analysis_settings
from integrations.search.client import get_client, is_embedded

logger = logging.getLogger(__name__)

# Documents' sources by id, each with a "fingerprint" (see ``fingerprint``); None means
# "should not be in the index".
SourceLoader = Callable[[Sequence[int]], dict[int, dict[str, Any] | None]]


class BulkError(RuntimeError):
    """Some documents failed to index; ``failures`` names them (id and reason)."""

    def __init__(self, index: str, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        shown = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in failures[:10])
        more = f" and {len(failures) - 10} more" if len(failures) > 10 else ""
        super().__init__(f"{len(failures)} documents failed in {index}: {shown}{more}")


_ensured: set[tuple[int, str]] = set()


def keyset_ids(queryset: QuerySet[Any], after: int | None, limit: int) -> list[int]:
    """The next ``limit`` ids after ``after``, in order: flat memory for any number of rows."""
    queryset = queryset.order_by("pk")
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    return list(queryset.values_list("pk", flat=True)[:limit])


def fingerprint(source: dict[str, Any]) -> str:
    """A digest of a document's content, to find stale documents without comparing fields."""
    return hashlib.sha256(json.dumps(source, sort_keys=True, default=str).encode()).hexdigest()[:32]


def read_version() -> int:
    """The external version for a document read now: microseconds since the epoch."""
    return time.time_ns() // 1000


@dataclass(frozen=True)
class SearchIndex:
    """A kind of document: its mapping, its aliases and how to load sources from the database."""

    kind: str
    document: type[Document]
    load_sources: SourceLoader
    # Keyset-paged ids of every row that belongs in the index, in ascending order.
    iter_ids: Callable[[int | None, int], list[int]]
    # Called when ``ensure`` added fields to a live index: queue a reconciliation to refill it.
    on_new_fields: Callable[[], None] | None = None

    @property
    def read_alias(self) -> str:
        return f"{settings.SEARCH_INDEX_PREFIX}-{self.kind}"

    @property
    def write_alias(self) -> str:
        return f"{settings.SEARCH_INDEX_PREFIX}-{self.kind}-write"

    @property
    def client(self) -> Elasticsearch:
        return get_client()

    def body(self) -> dict[str, Any]:
        return {
            "settings": {
                "number_of_shards": 1,
                "number_of_replicas": 0 if is_embedded() else settings.SEARCH_REPLICAS,
                **analysis_settings(embedded=is_embedded()),
            },
            "mappings": self.document._doc_type.mapping.to_dict(),
        }

    # Physical indices and aliases

    def create_physical(self) -> str:
        name = f"{self.read_alias}-{dt.datetime.now(tz=dt.UTC):%Y%m%d%H%M%S%f}"
        self.client.indices.create(index=name, body=self.body())
        return name

    def indices_behind(self, alias: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias))
        except NotFoundError:
            return []

    def ensure(self) -> bool:
        """Create the index and both aliases if missing, and fill it from the database.

        Checked once per process and engine connection. A missing index means a first start, or
        an embedded engine that started empty; either way the database holds the truth. An
        existing index gets the fields a newer release added to the mapping (the engine refuses
        a change to an existing field: that needs ``search_index --rebuild``), and
        ``on_new_fields`` queues the reconciliation that refills its documents (they no longer
        match their fingerprints).
        Returns True if the index was created.
        """
        key = (id(self.client), self.read_alias)
        if key in _ensured:
            return False
        created = not self.indices_behind(self.read_alias)
        if created:
            name = self.create_physical()
            self.client.indices.update_aliases(
                actions=[
                    {"add": {"index": name, "alias": self.read_alias}},
                    {"add": {"index": name, "alias": self.write_alias}},
                ]
            )
            for ids in self.iter_id_chunks(1000):
                self.sync(ids, targets=[name])
            logger.info("search index created", extra={"index": name})
        elif added := self.update_mapping():
            logger.warning("search index gained fields", extra={"index": self.read_alias, "fields": added})
            if self.on_new_fields is not None:
                self.on_new_fields()
        _ensured.add(key)
        return created

    def update_mapping(self) -> list[str]:
        """Add the document's new fields to every index behind the aliases; return their names."""
        names = sorted({*self.indices_behind(self.read_alias), *self.indices_behind(self.write_alias)})
        mapping = self.document._doc_type.mapping.to_dict()
        added: set[str] = set()
        for name in names:
            live = self.client.indices.get_mapping(index=name)[name]["mappings"].get("properties", {})
            if missing := set(mapping["properties"]) - set(live):
                self.client.indices.put_mapping(index=name, **mapping)
                added |= missing
        return sorted(added)

    # Writes

    def sync(self, ids: Sequence[int], *, targets: Sequence[str] | None = None) -> None:
        """Make the documents of ``ids`` match the database: index, replace or delete them."""
        if not ids:
            return
        targets = list(targets) if targets is not None else self.indices_behind(self.write_alias)
        version = read_version()
        sources = self.load_sources(ids)
        actions: list[dict[str, Any]] = []
        for index in targets:
            for doc_id in ids:
                source = sources.get(doc_id)
                action: dict[str, Any] = {
                    "_index": index,
                    "_id": str(doc_id),
                    "version": version,
                    "version_type": "external_gte",
                }
                if source is None:
                    action["_op_type"] = "delete"
                else:
                    action["_source"] = {**source, "row_id": doc_id}
                actions.append(action)
        self._bulk(actions, index=",".join(targets))

    def _bulk(self, actions: Iterable[dict[str, Any]], *, index: str) -> int:
        failures: list[tuple[str, str]] = []
        done = 0
        # Bulk loads may meet an engine's merge pauses (osmem's exceed 10 s at ~50k documents).
        client = self.client.options(request_timeout=settings.SEARCH_BULK_TIMEOUT_SECONDS)
        for ok, item in streaming_bulk(
            client, actions, raise_on_error=False, raise_on_exception=True, chunk_size=500, refresh=False
        ):
            ((op, result),) = item.items()
            status = result.get("status", 0)
            if ok:
                done += 1
            elif status == 409 or (op == "delete" and status == 404):
                # 409: a newer version is already there; 404: already gone. Both are what we want.
                done += 1
            else:
                failures.append((str(result.get("_id")), str(result.get("error", {}).get("reason", status))))
        if failures:
            raise BulkError(index, failures)
        return done

    def refresh(self) -> None:
        # osmem makes writes visible at once; Elasticsearch needs a refresh before a read-your-write.
        self.ensure()
        self.client.indices.refresh(index=self.read_alias)

    # Rebuild and reconciliation

    def iter_id_chunks(self, chunk_size: int) -> Iterator[list[int]]:
        after: int | None = None
        while True:
            ids = self.iter_ids(after, chunk_size)
            if not ids:
                return
            yield ids
            after = ids[-1]

    def rebuild(
        self,
        *,
        chunk_size: int = 1000,
        progress: Callable[[int], None] | None = None,
        between_chunks: Callable[[], None] | None = None,
    ) -> str:
        """Build a new index from the database and swap both aliases to it atomically.

        While it loads, the new index is behind the write alias too, so updates reach it.
        """
        new = self.create_physical()
        old_write = self.indices_behind(self.write_alias)
        self.client.indices.update_aliases(actions=[{"add": {"index": new, "alias": self.write_alias}}])
        try:
            loaded = 0
            for ids in self.iter_id_chunks(chunk_size):
                self.sync(ids, targets=[new])
                loaded += len(ids)
                if progress:
                    progress(loaded)
                if between_chunks:
                    between_chunks()
            old_read = self.indices_behind(self.read_alias)
            actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": self.read_alias}}]
            actions += [{"remove": {"index": name, "alias": self.read_alias}} for name in old_read]
            actions += [{"remove": {"index": name, "alias": self.write_alias}} for name in old_write]
            self.client.indices.update_aliases(actions=actions)
        except BaseException:
            # Interrupted or failed: leave the old index serving, drop the half-built one.
            self.client.indices.update_aliases(
                actions=[{"remove": {"index": new, "alias": self.write_alias}}]
            )
            self.client.indices.delete(index=new)
            raise
        for name in set(old_write) | set(old_read):
            if name != new:
                self.client.indices.delete(index=name, ignore_unavailable=True)
        logger.info("search index rebuilt", extra={"index": new, "documents": loaded})
        return new

    def indexed_fingerprints(self, *, target: str) -> dict[int, str]:
        """Every document id in ``target`` with its fingerprint, paged with search_after."""
        found: dict[int, str] = {}
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": {"match_all": {}},
                "sort": [{"row_id": "asc"}],
                "size": 5000,
                "_source": ["fingerprint"],
            }
            if after is not None:
                body["search_after"] = after
            hits = self.client.search(index=target, body=body)["hits"]["hits"]
            if not hits:
                return found
            for hit in hits:
                found[int(hit["_id"])] = str(hit["_source"].get("fingerprint"))
            after = hits[-1]["sort"]

    def reconcile(self, *, targets: Sequence[str] | None = None, chunk_size: int = 1000) -> dict[str, int]:
        """Repair drift: index missing and stale documents, delete orphans. Returns the counts."""
        targets = list(targets) if targets is not None else self.indices_behind(self.write_alias)
        counts = {"missing": 0, "stale": 0, "orphaned": 0}
        for target in targets:
            indexed = self.indexed_fingerprints(target=target)
            for ids in self.iter_id_chunks(chunk_size):
                sources = self.load_sources(ids)
                repair: list[int] = []
                for doc_id in ids:
                    source = sources.get(doc_id)
                    current = indexed.pop(doc_id, None)
                    if source is None:
                        continue
                    if current is None:
                        counts["missing"] += 1
                        repair.append(doc_id)
                    elif current != source["fingerprint"]:
                        counts["stale"] += 1
                        repair.append(doc_id)
                self.sync(repair, targets=[target])
            # Whatever is left in the index has no row that belongs there.
            orphans = sorted(indexed)
            counts["orphaned"] += len(orphans)
            for start in range(0, len(orphans), chunk_size):
                self.sync(orphans[start : start + chunk_size], targets=[target])
        if any(counts.values()):
            logger.warning("search index drift repaired", extra={"index": self.kind, **counts})
        return counts


def is_unavailable(error: BaseException) -> bool:
    """Is this the search engine being down or failing (worth a retry), not a bug of ours?"""
    return isinstance(error, TransportError | ApiError | BulkError | ConnectionError)
