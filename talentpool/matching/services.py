"""Match alerts: when an opening opens, or a candidate's profile changes, find who fits.

An opening is matched in two steps. The engine recalls the organization's pool with one query
over concepts and full text (the opening's title and skills as typed), not requiring anything, so
nobody is missed for the way they wrote it. The best hits are then scored here from the compact
profile each document carries (``talentpool.matching.scoring``): hard requirements filter,
everything else is graded. The best ``MATCH_ALERT_LIMIT`` above the threshold become alerts; the
whole ranked list is what the opening's matches page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models import Q as DbQ
from django.utils import timezone
from elasticsearch_dsl import Q, Search

from talentpool.candidates.models import Candidate, SkillAlias
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_task, enqueue_task_on_commit
from talentpool.core.services import audit_record
from talentpool.matching.models import GapClosure, MatchAlert
from talentpool.matching.scoring import (
    SIMILAR_ROLE,
    THRESHOLD,
    CandidateFacts,
    Match,
    OpeningNeeds,
    gaps_closed,
    hard_requirements_met,
    role_similarity,
    score_match,
)
from talentpool.openings.models import Opening, RunnerUp
from talentpool.search.candidates import SWEEP_GRACE, SWEEP_LIMIT, candidate_index, load_candidate_sources
from talentpool.search.selectors import index_search
from talentpool.skills.profile import PastPlace

MATCH_FIRST_PAGE = 200  # Candidates read from the engine first, best first.
MATCH_READ_LIMIT = 1000  # At most this many per opening: a second, last read fetches the rest.
MATCH_ALERT_LIMIT = 25  # The best this many are alerted: a digest a recruiter reads.
MATCH_SOURCE = ["organization_id", "location_text", "contact_first", "consent_expires_at", "match_profile"]
TEXT_FIELDS = [
    "headline^2",
    "headline.da^2",
    "headline.sv^2",
    "headline.en^2",
    "skill_labels^2",
    "cv_text",
    "cv_text.da",
    "cv_text.sv",
    "cv_text.en",
    "runner_up_titles",
]
GAP_ALERT_FLOOR = THRESHOLD / 2  # a closed gap is worth telling about from a lower score


def opening_needs(opening: Opening) -> OpeningNeeds:
    return OpeningNeeds.of(
        opening, aliases=SkillAlias.objects.as_map(organization_id=opening.organization_id)
    )


def opening_match_body(
    needs: OpeningNeeds, *, start: int = 0, stop: int = MATCH_FIRST_PAGE
) -> dict[str, Any]:
    """One engine query from an opening: its organization's pool, recalled by concepts and words.

    Concept clauses weigh as the score weighs the requirement they come from; the full-text clause
    finds the words the vocabulary does not know. Nothing is required, so a candidate who shows a
    must-have only in their CV, or in other words, is still read and scored.
    """
    org = needs.organization_id
    by_weight: dict[float, list[str]] = {}
    for key, weight in needs.concepts().items():
        by_weight.setdefault(round(weight, 2), []).append(f"{org}:{key}")
    should = [
        Q("constant_score", filter=Q("terms", concepts=sorted(keys)), boost=weight)
        for weight, keys in sorted(by_weight.items())
    ]
    if text := needs.text().strip():
        should.append(Q("multi_match", query=text, fields=TEXT_FIELDS, type="best_fields"))
    search = (
        Search()
        .query(Q("bool", filter=[Q("term", organization_id=org)], should=should, minimum_should_match=1))
        .sort({"_score": "desc"}, {"contact_first": "desc"}, {"row_id": "asc"})
        .extra(track_total_hits=False)
        .source(includes=MATCH_SOURCE)
    )
    return search[start:stop].to_dict()


def opening_rank(
    opening: Opening,
    *,
    now: dt.datetime,
    enough: int | None = MATCH_ALERT_LIMIT,
    engine_ms: list[float] | None = None,
) -> list[Match]:
    """The pool ranked for an opening: everyone recalled who meets its hard requirements, best first.

    The first read takes ``MATCH_FIRST_PAGE`` hits; when fewer than ``enough`` of them score above
    the threshold (or ``enough`` is None: the whole list is wanted), one more read takes the rest
    up to ``MATCH_READ_LIMIT``. ``engine_ms`` collects the engine's own time per query (``took``).
    """
    needs = opening_needs(opening)
    matches: list[Match] = []
    for start, stop in ((0, MATCH_FIRST_PAGE), (MATCH_FIRST_PAGE, MATCH_READ_LIMIT)):
        body = opening_match_body(needs, start=start, stop=stop)
        # Never from an index still being filled: the opening would miss people for good.
        response = index_search(candidate_index, body)
        if engine_ms is not None:
            engine_ms.append(float(response.get("took", 0)))
        hits = response["hits"]["hits"]
        for hit in hits:
            facts = CandidateFacts.from_source(int(hit["_id"]), hit["_source"])
            if hard_requirements_met(needs, facts, now=now):
                matches.append(score_match(needs, facts))
        good = sum(1 for match in matches if match.score >= THRESHOLD)
        if len(hits) < stop - start or (enough is not None and good >= enough):
            break
    return sorted(matches, key=Match.sort_key)


def _store(
    opening: Opening, matches: Sequence[Match], *, now: dt.datetime, actor: Actor | None = None
) -> list[MatchAlert]:
    """Create alerts for new pairs only; a pair is never alerted twice. Return the new ones.

    Telling the recruiters (the digest) and the integrators (webhooks) is the flows' part.
    """
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
            actor=actor or Actor.system(),
            action="opening.matched",
            target=opening,
            context={"alerts": len(created)},
        )
    return created


@transaction.atomic
def opening_match(*, opening_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match an open opening against its organization's pool; return the new alerts."""
    now = now or timezone.now()
    opening = Opening.objects.select_for_update().filter(pk=opening_id).first()
    if opening is None or opening.status != Opening.Status.OPEN:
        return []
    ranked = opening_rank(opening, now=now)
    best = [match for match in ranked if match.score >= THRESHOLD][:MATCH_ALERT_LIMIT]
    alerts = _store(opening, best, now=now)
    Opening.objects.filter(pk=opening.pk).update(matched_at=now)
    return alerts


def candidate_facts(candidate_id: int, *, now: dt.datetime) -> CandidateFacts | None:
    """A candidate's facts from the database, as the index would hold them; None out of the pool."""
    source = load_candidate_sources([candidate_id], now=now)[candidate_id]
    return CandidateFacts.from_source(candidate_id, source) if source is not None else None


@transaction.atomic
def candidate_match(*, candidate_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match one candidate (after a profile change) against the organization's open openings.

    One candidate against a few openings needs no engine: the profile is built from the database
    and scored here, as the engine's hits are. A development area from earlier feedback that
    the profile now shows is recorded as a closed gap, and the recruiters of similar open
    openings hear of it (``gap_closures_record``).
    """
    now = now or timezone.now()
    # Whatever asked for this match before now is answered by it (see ``candidate_match_sweep``).
    started = timezone.now()
    Candidate.objects.filter(pk=candidate_id).filter(
        DbQ(matched_at__isnull=True) | DbQ(matched_at__lt=started)
    ).update(matched_at=started)
    facts = candidate_facts(candidate_id, now=now)
    if facts is None:  # gone, or not in the pool
        return []
    openings = (
        Opening.objects.open()
        .filter(organization_id=facts.organization_id)
        .select_related("organization")
        .order_by("pk")
    )
    alerts: list[MatchAlert] = []
    for opening in openings:
        needs = opening_needs(opening)
        if not hard_requirements_met(needs, facts, now=now):
            continue
        match = score_match(needs, facts)
        if match.score >= THRESHOLD:
            alerts += _store(opening, [match], now=now)
    alerts += gap_closures_record(facts=facts, openings=list(openings), now=now)
    return alerts


def gap_closures_record(
    *, facts: CandidateFacts, openings: Sequence[Opening], now: dt.datetime
) -> list[MatchAlert]:
    """Record the gaps a runner-up's profile now closes; alert similar open openings of each.

    A gap is recorded once (per runner-up place and concept). For each open opening whose role is
    similar to the place's, the candidate is alerted if they were not already, from a lower score
    than usual, with the closed gap among the reasons; an existing alert gains the reason.
    """
    closed = gaps_closed(facts.profile)
    if not closed:
        return []
    places = {
        (runner_up.opening.title, runner_up.stage): runner_up
        for runner_up in RunnerUp.objects.filter(candidate_id=facts.candidate_id).select_related("opening")
    }
    new: list[tuple[dict[str, Any], RunnerUp]] = []
    for reason in closed:
        runner_up = places.get((reason["opening"], reason["stage"]))
        if runner_up is None:
            continue
        _, created = GapClosure.objects.get_or_create(
            organization_id=facts.organization_id,
            runner_up=runner_up,
            concept=reason["concept"],
            defaults={"candidate_id": facts.candidate_id, "gap": reason["gap"][:500], "closed_at": now},
        )
        if created:
            new.append((reason, runner_up))
            audit_record(
                organization=facts.organization_id,
                actor=Actor.system(),
                action="candidate.gap_closed",
                target=runner_up.candidate,
                context={"runner_up": runner_up.pk, "concept": reason["concept"]},
            )
    alerts: list[MatchAlert] = []
    for opening in openings:
        needs = opening_needs(opening)
        relevant = [
            {key: value for key, value in reason.items() if key != "gap"}
            for reason, runner_up in new
            if role_similarity(needs.role, PastPlace(runner_up.opening.title, runner_up.stage), needs.level)
            >= SIMILAR_ROLE
        ]
        if not relevant or not hard_requirements_met(needs, facts, now=now):
            continue
        match = score_match(needs, facts)
        existing = MatchAlert.objects.filter(opening=opening, candidate_id=facts.candidate_id).first()
        if existing is not None:
            existing.reasons = [*existing.reasons, *relevant]
            existing.save(update_fields=["reasons", "updated_at"])
        elif match.score >= GAP_ALERT_FLOOR:
            reasons = [*relevant, *(r for r in match.reasons if r.get("kind") != "gap_closed")]
            gap_match = Match(match.candidate_id, match.score, match.contact_first, reasons)
            alerts += _store(opening, [gap_match], now=now)
    return alerts


@transaction.atomic
def match_alert_set_status(*, alert: MatchAlert, status: str, actor: Actor) -> MatchAlert:
    if alert.status != status:
        alert.status = status
        if status != MatchAlert.Status.DISMISSED:
            alert.dismiss_reason = ""
        alert.full_clean()
        alert.save(update_fields=["status", "dismiss_reason", "updated_at"])
        audit_record(
            organization=alert.organization_id,
            actor=actor,
            action="match_alert.updated",
            target=alert,
            changes=["status"],
        )
    return alert


@transaction.atomic
def match_alert_contact(*, alert: MatchAlert, actor: Actor) -> MatchAlert:
    """The recruiter got in touch with the candidate about the opening."""
    return match_alert_set_status(alert=alert, status=MatchAlert.Status.CONTACTED, actor=actor)


@transaction.atomic
def match_alert_dismiss(*, alert: MatchAlert, reason: str, actor: Actor) -> MatchAlert:
    """Not for this opening, and why (one of ``MatchAlert.DismissReason``, no free text about people)."""
    if reason not in MatchAlert.DismissReason.values:
        raise ValidationError({"dismiss_reason": "Choose a reason."})
    if alert.status == MatchAlert.Status.DISMISSED and alert.dismiss_reason == reason:
        return alert
    alert.status, alert.dismiss_reason = MatchAlert.Status.DISMISSED, reason
    alert.full_clean()
    alert.save(update_fields=["status", "dismiss_reason", "updated_at"])
    audit_record(
        organization=alert.organization_id,
        actor=actor,
        action="match_alert.dismissed",
        target=alert,
        changes=["status", "dismiss_reason"],
        context={"reason": reason},
    )
    return alert


@transaction.atomic
def match_alert_ensure(
    *, opening: Opening, candidate_id: int, actor: Actor, now: dt.datetime | None = None
) -> MatchAlert | None:
    """The pair's alert; for someone ranked but never alerted, one scored now (None if out of the pool).

    A recruiter acting on a person from the opening's ranked pool needs a row to record it on.
    """
    now = now or timezone.now()
    existing = MatchAlert.objects.filter(opening=opening, candidate_id=candidate_id).first()
    if existing is not None:
        return existing
    facts = candidate_facts(candidate_id, now=now)
    if facts is None or facts.organization_id != opening.organization_id:
        return None
    needs = opening_needs(opening)
    if not hard_requirements_met(needs, facts, now=now):
        return None
    created = _store(opening, [score_match(needs, facts)], now=now, actor=actor)
    return (
        created[0]
        if created
        else MatchAlert.objects.filter(opening=opening, candidate_id=candidate_id).first()
    )


def opening_match_queue(*, opening_id: int) -> None:
    enqueue_task_on_commit("talentpool.matching.tasks.opening_match_task", opening_id=opening_id)


def candidate_match_queue(*, candidate_id: int) -> None:
    """Record that the candidate must be matched again, and queue it after commit."""
    Candidate.objects.filter(pk=candidate_id).update(match_requested_at=timezone.now())
    enqueue_task_on_commit("talentpool.matching.tasks.candidate_match_task", candidate_id=candidate_id)


def candidate_match_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue matching again for candidates in the pool asked for and not matched since; how many.

    A profile change records ``match_requested_at`` in its transaction, so a lost task (a broker
    that was down, a worker killed, a database error) delays the new matches but never loses them.
    """
    now = now or timezone.now()
    ids = list(
        Candidate.objects.in_pool(now=now)
        .filter(match_requested_at__lt=now - SWEEP_GRACE)
        .filter(DbQ(matched_at__isnull=True) | DbQ(matched_at__lt=F("match_requested_at")))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for candidate_id in ids:
        enqueue_task("talentpool.matching.tasks.candidate_match_task", candidate_id=candidate_id)
    return len(ids)
