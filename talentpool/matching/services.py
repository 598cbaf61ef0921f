"""Match alerts: when an opening opens, or a candidate's profile changes, find who fits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from elasticsearch_dsl import Q, Search

from talentpool.candidates.models import Candidate
from talentpool.candidates.search import candidate_index
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_on_commit
from talentpool.core.services import audit_record
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import MATCH_RADIUS_KM, THRESHOLD, Match, required_must_haves, score_match
from talentpool.openings.models import Opening, RunnerUp
from talentpool.webhooks.services import match_alerts_emit

MATCH_POOL_SIZE = 200  # How many of the engine's best candidates are scored for an opening.
MATCH_ALERT_LIMIT = 25  # The best this many above the threshold are alerted: a digest a recruiter reads.
TEXT_FIELDS = [
    "headline^2",
    "headline.*",
    "runner_up_titles^2",
    "runner_up_titles.*",
    "skill_labels",
    "cv_text.*",
]


def opening_match_body(opening: Opening, *, now: dt.datetime, size: int = MATCH_POOL_SIZE) -> dict[str, Any]:
    """One engine query from an opening: who in the organization's pool could fit it."""
    filters: list[Any] = [
        Q("term", organization_id=opening.organization_id),
        Q("range", consent_expires_at={"gt": now.isoformat()}),
    ]
    if opening.must_have_skills:
        filters.append(
            Q(
                "bool",
                should=[Q("term", skills=key) for key in opening.must_have_skills],
                minimum_should_match=required_must_haves(opening),
            )
        )
    filters += [Q("term", languages=code) for code in opening.languages]
    places: list[Any] = []
    if opening.latitude is not None and opening.longitude is not None:
        point = {"lat": opening.latitude, "lon": opening.longitude}
        places.append(Q("geo_distance", distance=f"{MATCH_RADIUS_KM}km", location=point))
    if opening.location:
        places.append(Q("match", location_text=opening.location))
    if places:
        filters.append(Q("bool", should=places, minimum_should_match=1))
    boosts: list[Any] = [
        Q("constant_score", filter=Q("term", skills=key), boost=3.0) for key in opening.must_have_skills
    ]
    boosts += [
        Q("constant_score", filter=Q("term", skills=key), boost=1.0) for key in opening.nice_to_have_skills
    ]
    boosts.append(Q("multi_match", query=opening.title, fields=TEXT_FIELDS, boost=2.0))
    # The description is not queried: the score does not use engine relevance, and matching the
    # whole text against every CV was most of the engine's time (bench/search.py).
    search = (
        Search()
        .query(Q("bool", filter=filters, should=boosts))
        .extra(size=size, track_total_hits=False)
        .source(includes=["headline", "skills", "location_text", "contact_first"])
    )
    return search.to_dict()


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
    return sorted((match for match in matches if match.score >= THRESHOLD), key=Match.sort_key)[
        :MATCH_ALERT_LIMIT
    ]


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


@transaction.atomic
def opening_match(*, opening_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match an open opening against its organization's pool; return the new alerts."""
    now = now or timezone.now()
    opening = Opening.objects.select_for_update().filter(pk=opening_id).first()
    if opening is None or opening.status != Opening.Status.OPEN:
        return []
    candidate_index.ensure()
    body = opening_match_body(opening, now=now)
    hits = candidate_index.client.search(index=candidate_index.read_alias, body=body)["hits"]["hits"]
    alerts = _store(opening, _score_hits(opening, hits), now=now)
    Opening.objects.filter(pk=opening.pk).update(matched_at=now)
    return alerts


@transaction.atomic
def candidate_match(*, candidate_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match one candidate (after a profile change) against the organization's open openings."""
    now = now or timezone.now()
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None or not candidate.is_in_pool(now=now):
        return []
    openings = list(Opening.objects.open().filter(organization_id=candidate.organization_id).order_by("pk"))
    if not openings:
        return []
    candidate_index.ensure()
    searches: list[dict[str, Any]] = []
    for opening in openings:
        body = opening_match_body(opening, now=now, size=1)
        body["query"] = {
            "bool": {"must": [body["query"]], "filter": [{"ids": {"values": [str(candidate_id)]}}]}
        }
        searches += [{"index": candidate_index.read_alias}, body]
    responses = candidate_index.client.msearch(searches=searches)["responses"]
    alerts: list[MatchAlert] = []
    for opening, response in zip(openings, responses, strict=True):
        hits = response.get("hits", {}).get("hits", [])
        alerts += _store(opening, _score_hits(opening, hits), now=now)
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
