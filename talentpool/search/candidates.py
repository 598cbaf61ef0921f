"""The talent-pool index: candidates whose consent is active, one document each.

Indexing is queued on commit and re-reads the rows, so it is idempotent and never indexes a
rolled-back change. A search engine that is down never fails the save that queued it: the task
retries, and the periodic reconciliation repairs whatever is still off.

Asking for indexing records ``index_requested_at`` on the row, in the transaction that changed
it; ``indexed_at`` is set only for documents the engine acknowledged, to the moment their rows
were read. A row asked for and not indexed since is swept up again (``candidate_index_sweep``),
so a lost task or a broker that was down delays indexing but never loses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import F, Model, Prefetch, Q
from django.utils import timezone
from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Integer,
    Keyword,
    Long,
    MetaField,
    Object,
    Text,
)

from integrations.search.analysis import LANGUAGES, analyzer_name
from integrations.search.indices import BulkError, SearchIndex, fingerprint, keyset_ids
from talentpool.candidates.models import Candidate, SkillAlias
from talentpool.core.queueing import enqueue_task, enqueue_task_on_commit
from talentpool.openings.models import FeedbackItem, RunnerUp
from talentpool.skills.labels import skill_concepts, skill_search_labels
from talentpool.skills.profile import PastPlace, profile_of


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
    # What opening matching reads: organization-scoped concept terms for the engine's recall, and
    # the compact profile it scores (talentpool.skills.profile), stored but not indexed.
    concepts = Keyword()
    match_profile = Object(enabled=False)
    fingerprint = Keyword()

    class Meta:
        dynamic = MetaField("strict")


def development_areas(runner_up: RunnerUp) -> tuple[str, ...]:
    """The gaps the runner-up's feedback named (feedback and items prefetched)."""
    feedback = getattr(runner_up, "feedback", None)
    if feedback is None:
        return ()
    return tuple(
        item.text for item in feedback.items.all() if item.kind == FeedbackItem.Kind.DEVELOPMENT_AREA
    )


def candidate_source(candidate: Candidate, *, aliases: dict[str, str], country: str) -> dict[str, Any]:
    """The document for a candidate (its runner-ups and their feedback prefetched)."""
    runner_ups: list[RunnerUp] = list(candidate.runner_ups.all())
    history = [
        PastPlace(title=runner_up.opening.title, stage=runner_up.stage, gaps=development_areas(runner_up))
        for runner_up in runner_ups
    ]
    profile = profile_of(
        skills=candidate.skills,
        headline=candidate.headline,
        cv_text=candidate.cv_text,
        years_of_experience=candidate.years_of_experience,
        location=candidate.location,
        latitude=candidate.latitude,
        longitude=candidate.longitude,
        languages=candidate.languages,
        preferred_language=candidate.language,
        history=history,
        aliases=aliases,
        country=country,
    )
    keys = skill_concepts(candidate.skills, aliases=aliases)
    categories = sorted(
        {
            item.category
            for runner_up in runner_ups
            if (feedback := getattr(runner_up, "feedback", None)) is not None
            for item in feedback.items.all()
            if item.category
        }
    )
    point = profile.point
    source: dict[str, Any] = {
        "organization_id": candidate.organization_id,
        "name": candidate.full_name,
        "headline": candidate.headline,
        "skills": keys,
        "skill_labels": list(dict.fromkeys([*candidate.skills, *skill_search_labels(keys)])),
        "cv_text": candidate.cv_text,
        "languages": list(candidate.languages),
        "language": candidate.language,
        "location": {"lat": point[0], "lon": point[1]} if point else None,
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
        "concepts": sorted(f"{candidate.organization_id}:{key}" for key in profile.evidence.concepts),
        "match_profile": profile.compact(),
    }
    source["fingerprint"] = fingerprint(source)
    return source


def load_candidate_sources(
    ids: Sequence[int], *, now: dt.datetime | None = None
) -> dict[int, dict[str, Any] | None]:
    """Documents for the candidates in the pool (at ``now``) among ``ids``; None for the others."""
    runner_ups = RunnerUp.objects.select_related("opening", "feedback").prefetch_related("feedback__items")
    in_pool = (
        Candidate.objects.filter(pk__in=ids)
        .in_pool(now=now or timezone.now())
        .prefetch_related(Prefetch("runner_ups", queryset=runner_ups))
    )
    sources: dict[int, dict[str, Any] | None] = dict.fromkeys(ids)
    settings_by_organization: dict[int, tuple[dict[str, str], str]] = {}
    for candidate in in_pool.select_related("organization"):
        if candidate.organization_id not in settings_by_organization:
            settings_by_organization[candidate.organization_id] = (
                SkillAlias.objects.as_map(organization_id=candidate.organization_id),
                candidate.organization.country,
            )
        aliases, country = settings_by_organization[candidate.organization_id]
        sources[candidate.pk] = candidate_source(candidate, aliases=aliases, country=country)
    return sources


def pool_ids_after(after: int | None, limit: int) -> list[int]:
    """Keyset-paged ids of the candidates in the pool (flat memory for any pool size)."""
    return keyset_ids(Candidate.objects.in_pool(now=timezone.now()), after, limit)


# A request younger than this is probably still in the queue: the sweeper leaves it alone.
SWEEP_GRACE = dt.timedelta(minutes=2)
SWEEP_LIMIT = 5000
SWEEP_CHUNK = 100


def candidate_index_reconcile_queue() -> None:
    enqueue_task_on_commit("talentpool.search.tasks.candidate_index_reconcile_task")


def candidate_index_heal_queue() -> None:
    # Not after commit: the engine lost the index, whatever the current transaction does.
    enqueue_task("talentpool.search.tasks.candidate_index_heal_task")


candidate_index = SearchIndex(
    kind="candidates",
    document=CandidateDocument,
    load_sources=load_candidate_sources,
    iter_ids=pool_ids_after,
    on_drift=candidate_index_reconcile_queue,
    on_missing=candidate_index_heal_queue,
)


def indexed_mark(model: type[Model], ids: Sequence[int], *, read_at: dt.datetime) -> None:
    """Record that the engine holds these rows as they were at ``read_at`` (never moving back)."""
    if ids:
        model._default_manager.filter(pk__in=ids).filter(
            Q(indexed_at__isnull=True) | Q(indexed_at__lt=read_at)
        ).update(indexed_at=read_at)


def index_sync(index: SearchIndex, model: type[Model], ids: Sequence[int]) -> None:
    """Write the documents of ``ids`` and mark those the engine acknowledged as indexed."""
    index.ensure()
    read_at = timezone.now()
    try:
        acknowledged = index.sync(list(ids))
    except BulkError as error:
        indexed_mark(model, error.acknowledged, read_at=read_at)
        raise
    indexed_mark(model, acknowledged, read_at=read_at)


def index_request(model: type[Model], ids: Sequence[int]) -> None:
    """Record, in the current transaction, that these rows' documents must be written again."""
    model._default_manager.filter(pk__in=ids).update(index_requested_at=timezone.now())


def index_sweep(
    model: type[Model], queue: Callable[[list[int]], object], *, now: dt.datetime | None = None
) -> int:
    """Queue again the rows asked for and not indexed since (a lost task); return how many."""
    now = now or timezone.now()
    ids = list(
        model._default_manager.filter(index_requested_at__lt=now - SWEEP_GRACE)
        .filter(Q(indexed_at__isnull=True) | Q(indexed_at__lt=F("index_requested_at")))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for start in range(0, len(ids), SWEEP_CHUNK):
        queue(ids[start : start + SWEEP_CHUNK])
    return len(ids)


def candidate_index_sync(*, candidate_ids: Sequence[int]) -> None:
    """Make the index match the database for these candidates (index, replace or remove)."""
    index_sync(candidate_index, Candidate, candidate_ids)


def candidate_index_queue(*, candidate_ids: Iterable[int]) -> None:
    """Queue re-indexing after the current transaction commits (nothing if it rolls back)."""
    if ids := sorted(set(candidate_ids)):
        index_request(Candidate, ids)
        enqueue_task_on_commit("talentpool.search.tasks.candidate_index_task", candidate_ids=ids)


def candidate_index_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue indexing again for candidates whose indexing task was lost; return how many."""
    return index_sweep(
        Candidate,
        lambda ids: enqueue_task("talentpool.search.tasks.candidate_index_task", candidate_ids=ids),
        now=now,
    )
