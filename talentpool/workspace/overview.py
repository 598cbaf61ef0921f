"""The candidate page's reads: the consent badge, the timeline, the runner-up history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.core.models import AuditEvent
from talentpool.matching.models import GapClosure, MatchAlert
from talentpool.messaging.models import Message
from talentpool.openings.models import RunnerUp
from talentpool.skills.evidence import label_concepts
from talentpool.skills.labels import skill_label
from talentpool.skills.vocabulary import vocabulary

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
    text: str = ""  # what happened, as a sentence in the reader's language


ATS_NAMES = {"greenhouse": "Greenhouse", "lever": "Lever", "teamtailor": "Teamtailor", "workable": "Workable"}


def source_name(source: str) -> str:
    """An ATS's name as its makers write it; another source in plain words."""
    return ATS_NAMES.get(source.lower(), source.replace("_", " ").replace("-", " ").strip().capitalize())


def candidate_skill_labels(candidate: Candidate, language: str) -> list[str]:
    """The candidate's skills in the reader's language where the vocabulary knows them, else as typed."""
    concepts = vocabulary().concepts
    shown: dict[str, str] = {}
    for typed in candidate.skills:
        keys = label_concepts(str(typed))
        label = skill_label(keys[0], language) if len(keys) == 1 and keys[0] in concepts else str(typed)
        shown.setdefault(label.casefold(), label)
    return list(shown.values())


def _who(event: AuditEvent) -> str:
    user = event.actor_user
    if user is not None:
        return user.get_full_name() or user.get_username()
    return str(event.get_actor_type_display())


def _field_names(names: Any) -> str:
    shown = []
    for name in names if isinstance(names, list) else []:
        try:
            field = Candidate._meta.get_field(str(name))
        except FieldDoesNotExist:
            continue
        shown.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(dict.fromkeys(shown))


def audit_sentence(event: AuditEvent, *, candidate: Candidate) -> str:
    """An audit event about a candidate as a sentence; "" for one the timeline shows otherwise."""
    source = source_name(candidate.source) if candidate.source else ""
    by_user = event.actor_type == AuditEvent.ActorType.USER
    by_candidate = event.actor_type == AuditEvent.ActorType.CANDIDATE
    fields = _field_names(event.changes)
    if event.action == "candidate.created":
        if by_user:
            return gettext("Profile created by %(who)s") % {"who": _who(event)}
        if source:
            return gettext("Profile created from %(source)s") % {"source": source}
        return gettext("Profile created")
    if event.action == "candidate.updated":
        if by_candidate:
            sentence = gettext("The candidate updated their profile")
        elif by_user:
            sentence = gettext("%(who)s updated the profile") % {"who": _who(event)}
        elif source:
            sentence = gettext("Profile updated from %(source)s") % {"source": source}
        else:
            sentence = gettext("Profile updated")
        return f"{sentence}: {fields}" if fields else sentence
    if event.action == "candidate.exported":
        return gettext("%(who)s exported the candidate's data") % {"who": _who(event)}
    if event.action == "consent.requested":
        return gettext("Asked to join the talent pool")
    if event.action == "magic_link.requested":
        return gettext("The candidate asked for a link to their profile")
    if event.action == "keep_warm.opted_out":
        return gettext("The candidate asked us to stop keep-warm emails")
    if event.action == "candidate.gap_closed":
        return ""  # shown as the closed gap itself
    return gettext("Changed by %(who)s") % {"who": _who(event)}


def message_sentence(message: Message) -> str:
    kind = str(message.get_kind_display())
    status = message.status
    if status == Message.Status.DRAFT:
        return gettext("%(kind)s drafted, waiting for approval") % {"kind": kind}
    if status in (Message.Status.APPROVED, Message.Status.SCHEDULED) and message.scheduled_at:
        when = date_format(timezone.localtime(message.scheduled_at), "DATETIME_FORMAT")
        return gettext("%(kind)s approved; goes out %(when)s") % {"kind": kind, "when": when}
    if status == Message.Status.SENT:
        return gettext("%(kind)s sent") % {"kind": kind}
    if status == Message.Status.FAILED:
        return gettext("%(kind)s could not be sent") % {"kind": kind}
    if status == Message.Status.CANCELLED:
        return gettext("%(kind)s cancelled") % {"kind": kind}
    return gettext("%(kind)s approved") % {"kind": kind}


def consent_sentence(event: ConsentEvent) -> str:
    version = event.text.version if event.text is not None else None
    if event.kind == ConsentEvent.Kind.GRANTED:
        if version is None:
            return gettext("Consent given")
        return gettext("Consent given (text version %(version)s)") % {"version": version}
    if event.kind == ConsentEvent.Kind.RENEWED:
        if version is None:
            return gettext("Consent renewed")
        return gettext("Consent renewed (text version %(version)s)") % {"version": version}
    if event.kind == ConsentEvent.Kind.WITHDRAWN:
        return gettext("Consent withdrawn")
    return gettext("Consent expired; left the talent pool")


def match_sentence(alert: MatchAlert) -> str:
    return gettext("Matched to %(opening)s (%(status)s)") % {
        "opening": alert.opening.title,
        "status": str(alert.get_status_display()).lower(),
    }


def gap_sentence(closure: GapClosure) -> str:
    runner_up = closure.runner_up
    return gettext("Closed the gap: %(gap)s (runner-up for %(title)s, %(stage)s)") % {
        "gap": getattr(closure, "concept_label", closure.gap),
        "title": runner_up.opening.title,
        "stage": str(runner_up.get_stage_display()).lower(),
    }


def candidate_timeline(*, candidate: Candidate, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """Messages, consent events, audit updates, match alerts and closed gaps as sentences, newest first.

    Five queries, whatever the history's length.
    """

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
            TimelineEntry(m.sent_at or m.created_at, "message", m, message_sentence(m))
            for m in Message.objects.filter(candidate=candidate).order_by("-created_at", "-id")[:limit]
        ),
        *(
            TimelineEntry(e.created_at, "consent", e, consent_sentence(e))
            for e in ConsentEvent.objects.filter(candidate=candidate)
            .select_related("text")
            .order_by("-created_at", "-id")[:limit]
        ),
        *(
            TimelineEntry(a.created_at, "audit", a, text)
            for a in AuditEvent.objects.filter(
                organization_id=candidate.organization_id,
                target_type=Candidate._meta.label_lower,
                target_id=candidate.pk,
            )
            .select_related("actor_user")
            .order_by("-created_at", "-id")[:limit]
            if (text := audit_sentence(a, candidate=candidate))
        ),
        *(
            TimelineEntry(a.created_at, "match", a, match_sentence(a))
            for a in MatchAlert.objects.filter(candidate=candidate)
            .select_related("opening")
            .order_by("-created_at", "-id")[:limit]
        ),
        *(TimelineEntry(closure.closed_at, "gap", closure, gap_sentence(closure)) for closure in gaps),
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
