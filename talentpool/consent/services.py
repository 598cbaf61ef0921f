"""Consent to stay in the talent pool: granted, renewed, withdrawn or expired, never edited."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.export import candidate_export as candidate_export  # The API imports it from here.
from talentpool.consent.models import ConsentEvent, ConsentText
from talentpool.core.actors import Actor
from talentpool.core.services import audit_record
from talentpool.matching.services import candidate_match_queue
from talentpool.messaging.models import KEEP_WARM_KINDS, Message, TouchpointPlan
from talentpool.messaging.services import keep_warm_stop
from talentpool.search.candidates import candidate_index_queue, candidate_index_sync
from talentpool.webhooks.services import consent_event_emit

logger = logging.getLogger(__name__)

PENDING_STATUSES = (Message.Status.DRAFT, Message.Status.APPROVED, Message.Status.SCHEDULED)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day ``months`` later, or the month's last day where it has fewer days."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _record(
    *,
    candidate: Candidate,
    actor: Actor,
    kind: str,
    channel: str,
    text: ConsentText | None = None,
    expires_at: dt.datetime | None = None,
    client_hash: str = "",
) -> ConsentEvent:
    # Lock the candidate so two consent events for one person are recorded one after the other.
    Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
    event = ConsentEvent.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        kind=kind,
        channel=channel,
        text=text,
        expires_at=expires_at,
        client_hash=client_hash,
    )
    candidate.consent_expires_at = expires_at
    candidate.save(update_fields=["consent_expires_at", "updated_at"])
    audit_record(
        organization=candidate.organization_id,
        actor=actor,
        action=f"consent.{kind.lower()}",
        target=candidate,
        changes=["consent_expires_at"],
        context={"consent_event_id": event.pk},
    )
    # Joining the pool indexes the candidate; leaving it removes the document.
    candidate_index_queue(candidate_ids=[candidate.pk])
    consent_event_emit(candidate=candidate, event=event)
    return event


@transaction.atomic
def consent_grant(
    *,
    candidate: Candidate,
    text: ConsentText,
    actor: Actor,
    channel: str = ConsentEvent.Channel.MAGIC_LINK,
    client_hash: str = "",
    now: dt.datetime | None = None,
) -> ConsentEvent:
    """Record consent to the given text; a candidate already in the pool renews it."""
    if text.organization_id != candidate.organization_id:
        raise ValidationError({"text": "The consent text belongs to another organization."})
    now = now or timezone.now()
    months = candidate.organization.consent_months
    kind = ConsentEvent.Kind.RENEWED if candidate.is_in_pool(now=now) else ConsentEvent.Kind.GRANTED
    event = _record(
        candidate=candidate,
        actor=actor,
        kind=kind,
        channel=channel,
        text=text,
        expires_at=add_months(now, months),
        client_hash=client_hash,
    )
    if kind == ConsentEvent.Kind.GRANTED:
        # Someone new in the pool may fit an opening that is already open.
        candidate_match_queue(candidate_id=candidate.pk)
    return event


@transaction.atomic
def consent_withdraw(
    *,
    candidate: Candidate,
    actor: Actor,
    channel: str = ConsentEvent.Channel.MAGIC_LINK,
    client_hash: str = "",
    now: dt.datetime | None = None,
) -> ConsentEvent:
    """Record withdrawal: the candidate leaves the pool (and the index) and keep-warm mail at once."""
    event = _record(
        candidate=candidate,
        actor=actor,
        kind=ConsentEvent.Kind.WITHDRAWN,
        channel=channel,
        client_hash=client_hash,
    )
    # The candidate asked us to stop: keep-warm mail ends with the consent.
    keep_warm_stop(candidate=candidate, actor=actor, now=now)
    return event


@transaction.atomic
def consent_expire(*, candidate: Candidate, now: dt.datetime | None = None) -> ConsentEvent | None:
    """Record that consent ran out, if it has; None (and nothing changed) if it has not.

    Safe to run twice: the candidate is re-read under a lock, and an expired candidate has no
    expiry left to pass.
    """
    now = now or timezone.now()
    current = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if current.consent_expires_at is None or current.consent_expires_at > now:
        return None
    event = _record(
        candidate=current,
        actor=Actor.system(),
        kind=ConsentEvent.Kind.EXPIRED,
        channel=ConsentEvent.Channel.SYSTEM,
    )
    candidate.consent_expires_at = None
    keep_warm_end(candidate_id=candidate.pk, now=now)
    return event


def keep_warm_end(*, candidate_id: int, now: dt.datetime) -> int:
    """Cancel unsent keep-warm mail and stop the touchpoint plan of someone whose consent ran out.

    Returns how many messages were cancelled. A message already being sent is left to finish.
    """
    cancelled = Message.objects.filter(
        candidate_id=candidate_id, kind__in=KEEP_WARM_KINDS, status__in=PENDING_STATUSES
    ).update(status=Message.Status.CANCELLED, last_error="Not sent: consent expired.", updated_at=now)
    TouchpointPlan.objects.filter(candidate_id=candidate_id, stopped_at__isnull=True).update(
        stopped_at=now, next_due_at=None, updated_at=now
    )
    return cancelled


@transaction.atomic
def candidate_erase(*, candidate: Candidate, actor: Actor, reason: str = "request") -> bool:
    """Erase everything held about a person; False if they were already gone.

    The rows go by cascade (consent events, CV file, runner-ups and feedback, messages, magic
    links, match alerts, feedback requests, touchpoint plan). After commit the CV file leaves
    storage (see ``signals``) and the index document is deleted at once and queued again, so
    a search engine that is down only delays its removal. The audit event keeps the id, the
    actor and ``reason``: no personal data.
    """
    current = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if current is None:
        return False
    audit_record(
        organization=current.organization_id,
        actor=actor,
        action="candidate.erased",
        target=current,
        context={"reason": reason},
    )
    candidate_id = current.pk
    current.delete()
    candidate_index_queue(candidate_ids=[candidate_id])
    transaction.on_commit(partial(_index_document_remove, candidate_id))
    logger.info("candidate erased", extra={"candidate_id": candidate_id, "reason": reason})
    return True


def _index_document_remove(candidate_id: int) -> None:
    try:
        candidate_index_sync(candidate_ids=[candidate_id])
    except Exception:
        # The queued task retries, and the periodic reconciliation removes orphans.
        logger.warning(
            "index document not removed at once", extra={"candidate_id": candidate_id}, exc_info=True
        )


def candidate_export_download(*, candidate: Candidate, actor: Actor) -> dict[str, Any]:
    """The candidate's export, with an audit event saying who took it."""
    data = candidate_export(candidate=candidate)
    audit_record(
        organization=candidate.organization_id, actor=actor, action="candidate.exported", target=candidate
    )
    return data
