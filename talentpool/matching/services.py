"""Match alerts: when an opening opens, or a candidate's profile changes, find who fits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from elasticsearch_dsl import Q, Search

from talentpool.candidates.models import Candidate
from talentpool.candidates.search import candidate_index, load_candidate_sources
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_on_commit
from talentpool.core.services import audit_record
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import (
    STAGE_BONUS,
    THRESHOLD,
    Match,
    required_must_haves,
    requirements_met,
    score_match,
    score_weights,
    title_concepts,
)
from talentpool.openings.models import Opening, RunnerUp
from talentpool.webhooks.services import match_alerts_emit

MATCH_FIRST_PAGE = 200  # Candidates read from the engine first, best first.
MATCH_READ_LIMIT = 1000  # At most this many per opening: a second, last read fetches the rest.
MATCH_ALERT_LIMIT = 25  # The best this many are alerted: a digest a recruiter reads.
MATCH_SOURCE = [
    "organization_id",
    "headline",
    "skills",
    "languages",
    "location",
    "location_text",
    "contact_first",
    "consent_expires_at",
]


def _key_boost(keys: Sequence[str], boost: float) -> Q:
    return Q("constant_score", filter=Q("terms", match_keys=list(keys)), boost=boost)


def opening_match_body(opening: Opening, *, start: int = 0, stop: int | None = None) -> dict[str, Any]:
    """One engine query from an opening: its organization's pool ranked by the match score.

    Every clause is a term of ``match_keys`` (see ``scoring.match_keys``) weighted as
    ``scoring.score_match`` weighs it, so the engine's score is the match score, and the best
    candidates come first whatever the pool's size. The terms are few and all name the
    organization: the engine reads the postings of these terms only, never the whole pool.
    Languages, place and consent are checked on the hits (``scoring.requirements_met``).
    """
    org = opening.organization_id
    weights = score_weights(opening)
    must, nice = list(opening.must_have_skills), list(opening.nice_to_have_skills)
    wanted = sorted(title_concepts(opening.title))
    boosts = [_key_boost([f"{org}:skill:{key}"], weights["must"] / len(must)) for key in must]
    boosts += [_key_boost([f"{org}:skill:{key}"], weights["nice"] / len(nice)) for key in nice]
    boosts += [_key_boost([f"{org}:profile:{concept}"], weights["text"] / len(wanted)) for concept in wanted]
    if wanted:
        # The best stage reached for a similar role counts: the maximum, not the sum.
        levels: dict[float, list[str]] = {}
        for stage, bonus in STAGE_BONUS.items():
            levels.setdefault(bonus, []).extend(f"{org}:history:{stage}:{concept}" for concept in wanted)
        history = [_key_boost(keys, weights["history"] * bonus) for bonus, keys in levels.items()]
        boosts.append(Q("dis_max", queries=history, tie_breaker=0))
    filters = []
    if must:
        filters.append(
            Q(
                "bool",
                should=[Q("term", match_keys=f"{org}:skill:{key}") for key in must],
                minimum_should_match=required_must_haves(opening),
            )
        )
    search = (
        Search()
        .query(Q("bool", filter=filters, should=boosts, minimum_should_match=1))
        .sort({"_score": "desc"}, {"contact_first": "desc"}, {"row_id": "asc"})  # Match.sort_key's order
        .extra(min_score=THRESHOLD - 0.05, track_total_hits=False)
        .source(includes=MATCH_SOURCE)
    )
    # Read by offset: search_after with a float _score does not round-trip exactly on osmem.
    return search[start : stop or MATCH_FIRST_PAGE].to_dict()


def _score_hits(opening: Opening, hits: list[dict[str, Any]]) -> list[Match]:
    if not hits:
        return []
    ids = [int(hit["_id"]) for hit in hits]
    history: dict[int, list[tuple[str, str]]] = {}
    for candidate_id, title, stage in RunnerUp.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "opening__title", "stage"
    ):
        history.setdefault(candidate_id, []).append((title, stage))
    matches = [
        score_match(
            opening,
            {**hit["_source"], "row_id": int(hit["_id"])},
            history=history.get(int(hit["_id"]), []),
        )
        for hit in hits
    ]
    return [match for match in matches if match.score >= THRESHOLD]


def _store(opening: Opening, matches: Sequence[Match], *, now: dt.datetime) -> list[MatchAlert]:
    """Create alerts for new pairs only; a pair is never alerted twice."""
    known = set(
        MatchAlert.objects.filter(
            opening=opening, candidate_id__in=[m.candidate_id for m in matches]
        ).values_list("candidate_id", flat=True)
    )
    # Re-check pool membership in the database: a candidate who just left is never alerted.
    in_pool = set(
        Candidate.objects.in_pool(now=now)
        .filter(pk__in=[m.candidate_id for m in matches], organization_id=opening.organization_id)
        .values_list("pk", flat=True)
    )
    fresh = [
        MatchAlert(
            organization_id=opening.organization_id,
            opening=opening,
            candidate_id=match.candidate_id,
            score=match.score,
            reasons=match.reasons,
        )
        for match in matches
        if match.candidate_id not in known and match.candidate_id in in_pool
    ]
    MatchAlert.objects.bulk_create(fresh, ignore_conflicts=True)
    created = list(
        MatchAlert.objects.filter(opening=opening, candidate_id__in=[alert.candidate_id for alert in fresh])
        .exclude(candidate_id__in=known)
        .order_by("-score", "id")
    )
    if created:
        audit_record(
            organization=opening.organization_id,
            actor=Actor.system(),
            action="opening.matched",
            target=opening,
            context={"alerts": len(created)},
        )
        from talentpool.matching.digests import match_digest_queue

        match_digest_queue(opening=opening, alerts=created, now=now)
        match_alerts_emit(alerts=created)
    return created


def _best_matches(opening: Opening, *, now: dt.datetime) -> list[Match]:
    """The best MATCH_ALERT_LIMIT candidates meeting the requirements.

    The engine returns candidates in the order of their match score, so the first
    MATCH_ALERT_LIMIT hits that meet the requirements are the best ones. When too few of the
    first MATCH_FIRST_PAGE do (a town with few candidates, a rare language), the rest up to
    MATCH_READ_LIMIT is read at once: one more query, not one per page, since each query costs
    the same whatever its size.
    """
    eligible: list[dict[str, Any]] = []
    for start, stop in ((0, MATCH_FIRST_PAGE), (MATCH_FIRST_PAGE, MATCH_READ_LIMIT)):
        body = opening_match_body(opening, start=start, stop=stop)
        hits = candidate_index.client.search(index=candidate_index.read_alias, body=body)["hits"]["hits"]
        eligible += [hit for hit in hits if requirements_met(opening, hit["_source"], now=now)]
        if len(eligible) >= MATCH_ALERT_LIMIT or len(hits) < stop - start:
            break
    return sorted(_score_hits(opening, eligible[:MATCH_ALERT_LIMIT]), key=Match.sort_key)


@transaction.atomic
def opening_match(*, opening_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match an open opening against its organization's pool; return the new alerts."""
    now = now or timezone.now()
    opening = Opening.objects.select_for_update().filter(pk=opening_id).first()
    if opening is None or opening.status != Opening.Status.OPEN:
        return []
    candidate_index.ensure()
    alerts = _store(opening, _best_matches(opening, now=now), now=now)
    Opening.objects.filter(pk=opening.pk).update(matched_at=now)
    return alerts


@transaction.atomic
def candidate_match(*, candidate_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match one candidate (after a profile change) against the organization's open openings.

    One candidate against a few openings needs no engine: the document is built from the
    database and scored here, as the engine's hits are.
    """
    now = now or timezone.now()
    source = load_candidate_sources([candidate_id])[candidate_id]
    if source is None:  # gone, or not in the pool
        return []
    source["row_id"] = candidate_id
    openings = Opening.objects.open().filter(organization_id=source["organization_id"]).order_by("pk")
    alerts: list[MatchAlert] = []
    for opening in openings:
        if requirements_met(opening, source, now=now):
            alerts += _store(
                opening, _score_hits(opening, [{"_id": candidate_id, "_source": source}]), now=now
            )
    return alerts


@transaction.atomic
def match_alert_set_status(*, alert: MatchAlert, status: str, actor: Actor) -> MatchAlert:
    if alert.status != status:
        alert.status = status
        alert.full_clean()
        alert.save(update_fields=["status", "updated_at"])
        audit_record(
            organization=alert.organization_id,
            actor=actor,
            action="match_alert.updated",
            target=alert,
            changes=["status"],
        )
    return alert


def opening_match_queue(*, opening_id: int) -> None:
    from talentpool.matching.tasks import opening_match_task

    enqueue_on_commit(opening_match_task, opening_id=opening_id)


def candidate_match_queue(*, candidate_id: int) -> None:
    from talentpool.matching.tasks import candidate_match_task

    enqueue_on_commit(candidate_match_task, candidate_id=candidate_id)
