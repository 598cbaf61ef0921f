"""The consent flow: a candidate joins the pool, renews, withdraws, or lets consent run out.

Joining indexes them and matches them against the open openings; leaving removes them from the
index and stops keep-warm mail at once. Integrators hear of grants and withdrawals by webhook.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent, ConsentText
from talentpool.consent.services import consent_expire, consent_grant, consent_withdraw
from talentpool.core.actors import Actor
from talentpool.matching.services import candidate_match_queue
from talentpool.messaging.keep_warm import keep_warm_end, keep_warm_stop
from talentpool.search.candidates import candidate_index_queue
from talentpool.webhooks.services import consent_event_emit


@transaction.atomic
def pool_join(
    *,
    candidate: Candidate,
    text: ConsentText,
    actor: Actor,
    channel: str = ConsentEvent.Channel.MAGIC_LINK,
    client_hash: str = "",
    now: dt.datetime | None = None,
) -> ConsentEvent:
    """Record consent to ``text`` (a renewal for someone already in the pool) and index them."""
    event = consent_grant(
        candidate=candidate, text=text, actor=actor, channel=channel, client_hash=client_hash, now=now
    )
    _consent_changed(candidate, event)
    if event.kind == ConsentEvent.Kind.GRANTED:
        # Someone new in the pool may fit an opening that is already open.
        candidate_match_queue(candidate_id=candidate.pk)
    return event


@transaction.atomic
def pool_leave(
    *,
    candidate: Candidate,
    actor: Actor,
    channel: str = ConsentEvent.Channel.MAGIC_LINK,
    client_hash: str = "",
    now: dt.datetime | None = None,
) -> ConsentEvent:
    """Record withdrawal: the candidate leaves the pool, the index and keep-warm mail at once."""
    event = consent_withdraw(candidate=candidate, actor=actor, channel=channel, client_hash=client_hash)
    _consent_changed(candidate, event)
    keep_warm_stop(candidate=candidate, actor=actor, now=now)
    return event


@transaction.atomic
def pool_expire(*, candidate: Candidate, now: dt.datetime) -> ConsentEvent | None:
    """Record that consent ran out, if it has (None otherwise); unsent keep-warm mail is cancelled."""
    event = consent_expire(candidate=candidate, now=now)
    if event is not None:
        _consent_changed(candidate, event)
        keep_warm_end(candidate_id=candidate.pk, now=now)
    return event


def _consent_changed(candidate: Candidate, event: ConsentEvent) -> None:
    # Joining the pool indexes the candidate; leaving it removes the document.
    candidate_index_queue(candidate_ids=[candidate.pk])
    consent_event_emit(candidate=candidate, event=event)
