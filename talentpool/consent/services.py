"""Consent to stay in the talent pool: granted, renewed, withdrawn or expired, never edited."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent, ConsentText
from talentpool.core.actors import Actor
from talentpool.core.services import audit_record

logger = logging.getLogger(__name__)


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
    return event


@transaction.atomic
def consent_withdraw(
    *,
    candidate: Candidate,
    actor: Actor,
    channel: str = ConsentEvent.Channel.MAGIC_LINK,
    client_hash: str = "",
) -> ConsentEvent:
    """Record withdrawal: the candidate leaves the pool."""
    return _record(
        candidate=candidate,
        actor=actor,
        kind=ConsentEvent.Kind.WITHDRAWN,
        channel=channel,
        client_hash=client_hash,
    )


@transaction.atomic
def consent_expire(*, candidate: Candidate, now: dt.datetime | None = None) -> ConsentEvent | None:
    """Record that consent ran out, if it has; None (and nothing changed) if it has not.

    Safe to run twice: the candidate is re-read under a lock, and an expired candidate has no
    expiry left to pass. A candidate erased meanwhile (by a parallel retention run) has none either.
    """
    now = now or timezone.now()
    current = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if current is None or current.consent_expires_at is None or current.consent_expires_at > now:
        return None
    event = _record(
        candidate=current,
        actor=Actor.system(),
        kind=ConsentEvent.Kind.EXPIRED,
        channel=ConsentEvent.Channel.SYSTEM,
    )
    candidate.consent_expires_at = None
    return event
