"""The new-opening flow: an opening is created or changed, indexed, and matched against the pool.

Matching runs in a task (``opening_match_run``); its new alerts reach the opening's recruiters
as one digest and the integrators as ``match.created`` webhooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any

from django.db import transaction
from django.utils import timezone

from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.matching.models import MatchAlert
from talentpool.matching.services import opening_match, opening_match_queue
from talentpool.messaging.digests import match_digest_queue
from talentpool.openings.models import Opening
from talentpool.openings.services import opening_create, opening_update
from talentpool.search.candidates import candidate_index_queue
from talentpool.search.openings import opening_index_queue
from talentpool.webhooks.services import match_alerts_emit


@transaction.atomic
def opening_add(
    *,
    organization: Organization,
    actor: Actor,
    data: Mapping[str, Any],
    recruiter_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Opening:
    """Create an opening; an open one is matched against the pool after commit."""
    opening = opening_create(
        organization=organization, actor=actor, data=data, recruiter_ids=recruiter_ids, now=now
    )
    opening_index_queue(opening_ids=[opening.pk])
    if opening.status == Opening.Status.OPEN:
        opening_match_queue(opening_id=opening.pk)
    return opening


@transaction.atomic
def opening_change(
    *,
    opening: Opening,
    actor: Actor,
    data: Mapping[str, Any],
    recruiter_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
) -> list[str]:
    """Change an opening; return the fields that changed. A reopened opening is matched again."""
    was_open = opening.status == Opening.Status.OPEN
    changed = opening_update(opening=opening, actor=actor, data=data, recruiter_ids=recruiter_ids, now=now)
    if changed:
        opening_index_queue(opening_ids=[opening.pk])
    if opening.status == Opening.Status.OPEN and not was_open:
        opening_match_queue(opening_id=opening.pk)
    if "title" in changed:
        # Runner-ups' documents carry the titles of the openings they were runner-up for.
        candidate_index_queue(candidate_ids=opening.runner_ups.values_list("candidate_id", flat=True))
    return changed


@transaction.atomic
def opening_match_run(*, opening_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match an open opening against the pool; announce the new alerts. Return them."""
    now = now or timezone.now()
    alerts = opening_match(opening_id=opening_id, now=now)
    matches_announce(alerts=alerts, now=now)
    return alerts


def matches_announce(*, alerts: Iterable[MatchAlert], now: dt.datetime) -> None:
    """One digest per opening to its recruiters, and a webhook per alert to the integrators."""
    alerts = sorted(alerts, key=lambda alert: alert.opening_id)
    for _opening_id, group in groupby(alerts, key=lambda alert: alert.opening_id):
        batch = list(group)
        match_digest_queue(opening=batch[0].opening, alerts=batch, now=now)
    match_alerts_emit(alerts=alerts)
