"""The openings index: open openings, one document each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from elasticsearch_dsl import Date, Document, GeoPoint, Keyword, Long, MetaField, Text

from integrations.search.indices import SearchIndex, fingerprint, keyset_ids
from talentpool.core.queueing import enqueue_task, enqueue_task_on_commit
from talentpool.openings.models import Opening
from talentpool.search.candidates import index_request, index_sweep, index_sync, multilingual_text


class OpeningDocument(Document):
    row_id = Long()
    organization_id = Long()
    title = multilingual_text()
    description = multilingual_text()
    must_have_skills = Keyword()
    nice_to_have_skills = Keyword()
    languages = Keyword()
    location = GeoPoint()
    location_text = Text(analyzer="tp_folding", fields={"raw": Keyword()})
    opened_at = Date()
    updated_at = Date()
    fingerprint = Keyword()

    class Meta:
        dynamic = MetaField("strict")


def opening_source(opening: Opening) -> dict[str, Any]:
    has_location = opening.latitude is not None and opening.longitude is not None
    source: dict[str, Any] = {
        "organization_id": opening.organization_id,
        "title": opening.title,
        "description": opening.description,
        "must_have_skills": list(opening.must_have_skills),
        "nice_to_have_skills": list(opening.nice_to_have_skills),
        "languages": list(opening.languages),
        "location": {"lat": opening.latitude, "lon": opening.longitude} if has_location else None,
        "location_text": opening.location,
        "opened_at": opening.opened_at.isoformat() if opening.opened_at else None,
        "updated_at": opening.updated_at.isoformat(),
    }
    source["fingerprint"] = fingerprint(source)
    return source


def load_opening_sources(ids: Sequence[int]) -> dict[int, dict[str, Any] | None]:
    sources: dict[int, dict[str, Any] | None] = dict.fromkeys(ids)
    for opening in Opening.objects.open().filter(pk__in=ids):
        sources[opening.pk] = opening_source(opening)
    return sources


def open_ids_after(after: int | None, limit: int) -> list[int]:
    """Keyset-paged ids of the open openings."""
    return keyset_ids(Opening.objects.open(), after, limit)


def opening_index_reconcile_queue() -> None:
    enqueue_task_on_commit("talentpool.search.tasks.opening_index_reconcile_task")


def opening_index_heal_queue() -> None:
    enqueue_task("talentpool.search.tasks.opening_index_heal_task")


opening_index = SearchIndex(
    kind="openings",
    document=OpeningDocument,
    load_sources=load_opening_sources,
    iter_ids=open_ids_after,
    on_drift=opening_index_reconcile_queue,
    on_missing=opening_index_heal_queue,
)


def opening_index_sync(*, opening_ids: Sequence[int]) -> None:
    index_sync(opening_index, Opening, opening_ids)


def opening_index_queue(*, opening_ids: Iterable[int]) -> None:
    """Queue re-indexing after the current transaction commits (nothing if it rolls back)."""
    if ids := sorted(set(opening_ids)):
        index_request(Opening, ids)
        enqueue_task_on_commit("talentpool.search.tasks.opening_index_task", opening_ids=ids)


def opening_index_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue indexing again for openings whose indexing task was lost; return how many."""
    return index_sweep(
        Opening,
        lambda ids: enqueue_task("talentpool.search.tasks.opening_index_task", opening_ids=ids),
        now=now,
    )
