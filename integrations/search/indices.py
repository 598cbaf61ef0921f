"""One index per kind of document, behind a read alias and a write alias.

Searches use the read alias. Writes go to every index behind the write alias: during a rebuild
that is the old and the new index, so an update made while the new index is loading reaches
both and none is lost. Each document carries an external version (the microsecond at which its
row was read), so a stale copy never overwrites a newer one, whatever the order of arrival.

The engine may lose everything (an in-memory engine restarted, a cluster rebuilt). Nothing here
trusts that an index still exists: a write that finds no index behind the write alias recreates
it, a fresh index gets its read alias only once it has been filled from the database (until
then searching it answers "not ready" instead of answering from a partial index), and the
reconciliation compares the database with what the engine really holds.
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
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import Document

from integrations.search.analysis import analysis_settings
from integrations.search.client import get_client, is_embedded

logger = logging.getLogger(__name__)

# Documents' sources by id, each with a "fingerprint" (see ``fingerprint``); None means
# "should not be in the index".
SourceLoader = Callable[[Sequence[int]], dict[int, dict[str, Any] | None]]


class BulkError(RuntimeError):
    """Some documents failed to index; ``failures`` names them (id and reason).

    ``acknowledged`` holds the ids the engine did take, in every target.
    """

    def __init__(self, index: str, failures: list[tuple[str, str]], acknowledged: Sequence[int] = ()) -> None:
        self.failures = failures
        self.acknowledged = list(acknowledged)
        shown = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in failures[:10])
        more = f" and {len(failures) - 10} more" if len(failures) > 10 else ""
        super().__init__(f"{len(failures)} documents failed in {index}: {shown}{more}")


class IndexNotReady(TransportError):
    """The index is missing or still being filled from the database: it cannot answer for it yet."""


# The layout of an index's aliases, as ``repair`` found (and left) it.
READY = "ready"  # both aliases in place
CREATED = "created"  # nothing was there: a fresh, empty index behind the write alias only
REPAIRED = "repaired"  # the write alias was missing and is back: writes made meanwhile are lost
FILLING = "filling"  # an index behind the write alias waits to be filled before it is searched

# Indices checked by ``ensure`` in this process, and when this process last asked for a fill.
_ensured: set[tuple[int, str]] = set()
_fill_requested: dict[tuple[int, str], float] = {}
FILL_REQUEST_INTERVAL_SECONDS = 60.0


def forget_checks() -> None:
    """Check every index again on next use (a new engine connection, or one that lost its indices)."""
    _ensured.clear()
    _fill_requested.clear()


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
    # Called when documents must be compared and refilled (``ensure`` added fields to a live
    # index, or writes were lost while the write alias was missing): queue a reconciliation.
    on_drift: Callable[[], None] | None = None
    # Called when the index must be filled from the database (it was missing, or lost writes):
    # queue ``heal``. Without it, ``ensure`` fills the index itself.
    on_missing: Callable[[], None] | None = None

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

    @property
    def base_name(self) -> str:
        """The physical index created when none exists: one name, so that processes racing to
        create it end up with one index (``rebuild`` makes timestamped ones)."""
        return f"{self.read_alias}-base"

    def _check_key(self) -> tuple[int, str]:
        return (id(self.client), self.read_alias)

    def forget(self) -> None:
        """Check this index again on next use: it was found missing."""
        _ensured.discard(self._check_key())

    def repair(self) -> str:
        """Look at the engine as it is now (no cache) and put back a missing index or write alias.

        Returns ``READY``, ``CREATED`` (a fresh empty index behind the write alias only),
        ``REPAIRED`` (the write alias was missing and points at the searched index again) or
        ``FILLING`` (an index behind the write alias only, waiting for ``heal`` to fill it).
        """
        read = self.indices_behind(self.read_alias)
        write = self.indices_behind(self.write_alias)
        if read and write:
            return READY
        if write:
            return FILLING
        if read:
            self.client.indices.update_aliases(
                actions=[{"add": {"index": name, "alias": self.write_alias}} for name in read]
            )
            logger.error("search write alias was missing; restored", extra={"index": self.kind})
            return REPAIRED
        try:
            self.client.indices.create(index=self.base_name, body=self.body())
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
        self.client.indices.update_aliases(
            actions=[{"add": {"index": self.base_name, "alias": self.write_alias}}]
        )
        # A first start, or an engine that lost the index (``write_targets`` tells the latter).
        logger.warning(
            "search index missing; created empty, to be filled from the database",
            extra={"index": self.kind},
        )
        return CREATED

    def ensure(self) -> bool:
        """Make sure the index and both aliases exist, and that a missing one gets filled.

        Checked once per process and engine connection (a write or a search that finds the index
        gone checks again). A missing index means a first start, or an engine that started empty;
        either way the database holds the truth: the index is created and filled (by ``heal``,
        queued through ``on_missing``; without it, here and now). An existing index gets the
        fields a newer release added to the mapping (the engine refuses a change to an existing
        field: that needs ``search_index --rebuild``), and ``on_drift`` queues the
        reconciliation that refills its documents (they no longer match their fingerprints).
        Returns True if the index was created.
        """
        key = self._check_key()
        if key in _ensured:
            return False
        state = self.repair()
        if state == READY:
            if added := self.update_mapping():
                logger.warning(
                    "search index gained fields", extra={"index": self.read_alias, "fields": added}
                )
                if self.on_drift is not None:
                    self.on_drift()
        else:
            self.request_fill(state, force=state != FILLING)
        _ensured.add(key)
        return state == CREATED

    def request_fill(self, state: str, *, force: bool = False) -> None:
        """Ask for the work ``repair`` left: a fill (``heal``), or a reconciliation after lost writes.

        At most once a minute per process, unless ``force`` (this process changed something).
        """
        key = self._check_key()
        now = time.monotonic()
        last = _fill_requested.get(key)
        if not force and last is not None and now - last < FILL_REQUEST_INTERVAL_SECONDS:
            return
        _fill_requested[key] = now
        if state == REPAIRED:
            (self.on_drift or self.reconcile)()
        else:
            (self.on_missing or self.heal)()

    def heal(self, *, chunk_size: int = 1000) -> dict[str, int] | None:
        """Put back a missing index or alias and fill it from the database; None if all was well."""
        if self.repair() == READY:
            return None
        return self.reconcile(chunk_size=chunk_size)

    def publish(self) -> None:
        """Search the index behind the write alias, once it is full, if nothing else is searched."""
        if self.indices_behind(self.read_alias):
            return
        write = self.indices_behind(self.write_alias)
        if not write:
            return
        self.client.indices.update_aliases(actions=[{"add": {"index": write[0], "alias": self.read_alias}}])
        logger.warning("search index filled and searchable again", extra={"index": self.kind})

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

    def write_targets(self) -> list[str]:
        """The indices behind the write alias; a missing index or alias is recreated, never skipped."""
        targets = self.indices_behind(self.write_alias)
        if targets:
            return targets
        # The engine lost the index (restarted empty?): writing to nothing would lose this update.
        logger.error("search index lost by the engine; recreating it", extra={"index": self.kind})
        self.forget()
        state = self.repair()
        self.request_fill(state, force=state != FILLING)
        targets = self.indices_behind(self.write_alias)
        if not targets:
            raise IndexNotReady(f"no index behind {self.write_alias}")
        return targets

    def sync(self, ids: Sequence[int], *, targets: Sequence[str] | None = None) -> list[int]:
        """Make the documents of ``ids`` match the database: index, replace or delete them.

        Returns the ids the engine acknowledged in every target (all of them, or ``BulkError``).
        """
        if not ids:
            return []
        targets = list(targets) if targets is not None else self.write_targets()
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
        try:
            self._bulk(actions, index=",".join(targets))
        except BulkError as error:
            failed = {doc_id for doc_id, _reason in error.failures}
            error.acknowledged = [doc_id for doc_id in ids if str(doc_id) not in failed]
            raise
        return list(ids)

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
            elif status == 409 or (op == "delete" and status == 404 and "index_not_found" not in str(result)):
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
        """Repair drift: index missing and stale documents, delete orphans. Returns the counts.

        It compares the database with what the engine holds now: a missing index is recreated
        first, and then every document counts as missing. An index waiting to be filled is
        searched once this has filled it.
        """
        if targets is None:
            self.repair()
            targets = self.write_targets()
        else:
            targets = list(targets)
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
        self.publish()
        if any(counts.values()):
            logger.warning("search index drift repaired", extra={"index": self.kind, **counts})
        return counts


def is_unavailable(error: BaseException) -> bool:
    """Is this the search engine being down or failing (worth a retry), not a bug of ours?"""
    return isinstance(error, TransportError | ApiError | BulkError | ConnectionError)


def is_engine_down(error: BaseException) -> bool:
    """The engine cannot answer now (unreachable, overloaded, failing, or its index not ready)."""
    if isinstance(error, TransportError):  # connection errors, timeouts, IndexNotReady
        return True
    return isinstance(error, ApiError) and (error.status_code == 429 or error.status_code >= 500)
