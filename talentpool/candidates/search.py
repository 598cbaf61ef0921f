"""The talent-pool index: candidates whose consent is active, one document each.

Indexing is queued on commit and re-reads the rows, so it is idempotent and never indexes a
rolled-back change. A search engine that is down never fails the save that queued it: the task
retries, and the periodic reconciliation repairs whatever is still off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from elasticsearch_dsl import Boolean, Date, Document, GeoPoint, Integer, Keyword, Long, MetaField, Text

from integrations.search.analysis import LANGUAGES, analyzer_name
from integrations.search.indices import SearchIndex, fingerprint, keyset_ids
from talentpool.candidates.models import Candidate
from talentpool.candidates.skills import skill_labels
from talentpool.core.queueing import enqueue_on_commit
from talentpool.matching.scoring import match_keys
from talentpool.openings.models import RunnerUp


def multilingual_text() -> Text:
    """Text folded for any language, with Danish, Swedish and English sub-fields."""
    return Text(
        analyzer="tp_folding",
        fields={language: Text(analyzer=analyzer_name(language)) for language in LANGUAGES},
    )


class CandidateDocument(Document):
    row_id = Long()
    organization_id = Long()
    name = Text(analyzer="tp_folding")
    headline = multilingual_text()
    skills = Keyword()
    skill_labels = Text(analyzer="tp_folding")
    cv_text = multilingual_text()
    languages = Keyword()
    language = Keyword()
    location = GeoPoint()
    location_text = Text(analyzer="tp_folding", fields={"raw": Keyword()})
    years_of_experience = Integer()
    tags = Keyword()
    runner_up_titles = multilingual_text()
    stages = Keyword()
    feedback_categories = Keyword()
    contact_first = Boolean()
    consent_expires_at = Date()
    updated_at = Date()
    match_keys = Keyword()  # what opening matching ranks by (talentpool.matching.scoring.match_keys)
    fingerprint = Keyword()

    class Meta:
        dynamic = MetaField("strict")


def candidate_source(candidate: Candidate) -> dict[str, Any]:
    """The document for a candidate (its runner-ups and their feedback prefetched)."""
    runner_ups: list[RunnerUp] = list(candidate.runner_ups.all())
    categories = sorted(
        {
            item.category
            for runner_up in runner_ups
            if (feedback := getattr(runner_up, "feedback", None)) is not None
            for item in feedback.items.all()
            if item.category
        }
    )
    has_location = candidate.latitude is not None and candidate.longitude is not None
    source: dict[str, Any] = {
        "organization_id": candidate.organization_id,
        "name": candidate.full_name,
        "headline": candidate.headline,
        "skills": list(candidate.skills),
        "skill_labels": [label for key in candidate.skills for label in skill_labels(key)],
        "cv_text": candidate.cv_text,
        "languages": list(candidate.languages),
        "language": candidate.language,
        "location": {"lat": candidate.latitude, "lon": candidate.longitude} if has_location else None,
        "location_text": candidate.location,
        "years_of_experience": candidate.years_of_experience,
        "tags": list(candidate.tags),
        "runner_up_titles": [runner_up.opening.title for runner_up in runner_ups],
        "stages": sorted({runner_up.stage for runner_up in runner_ups}),
        "feedback_categories": categories,
        "contact_first": any(runner_up.contact_first for runner_up in runner_ups),
        "consent_expires_at": candidate.consent_expires_at.isoformat()
        if candidate.consent_expires_at
        else None,
        "updated_at": candidate.updated_at.isoformat(),
        "match_keys": match_keys(
            organization_id=candidate.organization_id,
            skills=candidate.skills,
            headline=candidate.headline,
            history=[(runner_up.opening.title, runner_up.stage) for runner_up in runner_ups],
        ),
    }
    source["fingerprint"] = fingerprint(source)
    return source


def load_candidate_sources(ids: Sequence[int]) -> dict[int, dict[str, Any] | None]:
    """Documents for the candidates in the pool among ``ids``; None for the others."""
    runner_ups = RunnerUp.objects.select_related("opening", "feedback").prefetch_related("feedback__items")
    in_pool = (
        Candidate.objects.filter(pk__in=ids)
        .in_pool(now=timezone.now())
        .prefetch_related(Prefetch("runner_ups", queryset=runner_ups))
    )
    sources: dict[int, dict[str, Any] | None] = dict.fromkeys(ids)
    for candidate in in_pool:
        sources[candidate.pk] = candidate_source(candidate)
    return sources


def pool_ids_after(after: int | None, limit: int) -> list[int]:
    """Keyset-paged ids of the candidates in the pool (flat memory for any pool size)."""
    return keyset_ids(Candidate.objects.in_pool(now=timezone.now()), after, limit)


def candidate_index_reconcile_queue() -> None:
    from talentpool.candidates.tasks import candidate_index_reconcile_task

    enqueue_on_commit(candidate_index_reconcile_task)


candidate_index = SearchIndex(
    kind="candidates",
    document=CandidateDocument,
    load_sources=load_candidate_sources,
    iter_ids=pool_ids_after,
    on_new_fields=candidate_index_reconcile_queue,
)


def candidate_index_sync(*, candidate_ids: Sequence[int]) -> None:
    """Make the index match the database for these candidates (index, replace or remove)."""
    candidate_index.ensure()
    candidate_index.sync(list(candidate_ids))
    Candidate.objects.filter(pk__in=candidate_ids).update(indexed_at=timezone.now())


def candidate_index_queue(*, candidate_ids: Iterable[int]) -> None:
    """Queue re-indexing after the current transaction commits (nothing if it rolls back)."""
    from talentpool.candidates.tasks import candidate_index_task

    if ids := sorted(set(candidate_ids)):
        enqueue_on_commit(candidate_index_task, candidate_ids=ids)
