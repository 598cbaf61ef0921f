"""The candidate page's reads: the consent badge, the timeline, the runner-up history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.core.models import AuditEvent
from talentpool.matching.models import GapClosure, MatchAlert
from talentpool.messaging.models import Message
from talentpool.openings.models import RunnerUp
from talentpool.skills.labels import skill_label

TIMELINE_LIMIT = 50  # per kind of entry: the page shows the newest, whatever the history's length
EXPIRING_WITHIN = dt.timedelta(days=30)


class ConsentBadge:
    IN_POOL = "in_pool"
    EXPIRING = "expiring"
    NOT_CONSENTED = "not_consented"


def candidate_consent_badge(*, candidate: Candidate, now: dt.datetime) -> str:
    """In the pool, in it but leaving within 30 days, or not in it."""
    if not candidate.is_in_pool(now=now):
        return ConsentBadge.NOT_CONSENTED
    assert candidate.consent_expires_at is not None
    if candidate.consent_expires_at <= now + EXPIRING_WITHIN:
        return ConsentBadge.EXPIRING
    return ConsentBadge.IN_POOL


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "message", "consent", "audit", "match" or "gap"
    item: Any


def candidate_timeline(*, candidate: Candidate, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """Messages, consent events, audit updates, match alerts and closed gaps, newest first (five queries)."""

    language = get_language() or "en"
    gaps = list(
        GapClosure.objects.filter(candidate=candidate)
        .select_related("runner_up__opening")
        .order_by("-closed_at", "-id")[:limit]
    )
    for closure in gaps:
        closure.concept_label = skill_label(closure.concept, language[:2])  # type: ignore[attr-defined]

    entries = [
        *(
            TimelineEntry(m.created_at, "message", m)
            for m in Message.objects.filter(candidate=candidate).order_by("-created_at", "-id")[:limit]
        ),
        *(
            TimelineEntry(e.created_at, "consent", e)
            for e in ConsentEvent.objects.filter(candidate=candidate).order_by("-created_at", "-id")[:limit]
        ),
        *(
            TimelineEntry(a.created_at, "audit", a)
            for a in AuditEvent.objects.filter(
                organization_id=candidate.organization_id,
                target_type=Candidate._meta.label_lower,
                target_id=candidate.pk,
            )
            .select_related("actor_user")
            .order_by("-created_at", "-id")[:limit]
        ),
        *(
            TimelineEntry(a.created_at, "match", a)
            for a in MatchAlert.objects.filter(candidate=candidate)
            .select_related("opening")
            .order_by("-created_at", "-id")[:limit]
        ),
        *(TimelineEntry(closure.closed_at, "gap", closure) for closure in gaps),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def candidate_runner_up_list(*, candidate: Candidate) -> QuerySet[RunnerUp]:
    """The candidate's near misses, newest first, with their openings, feedback and its items."""
    return (
        RunnerUp.objects.filter(candidate=candidate)
        .select_related("opening", "feedback")
        .prefetch_related("feedback__items")
        .order_by("-decided_at", "-id")
    )
