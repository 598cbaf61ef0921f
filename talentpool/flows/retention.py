"""The retention flow: consent runs out, and people kept without consent are erased in time.

A candidate's documentation period is the organization's ``documentation_months`` after their
latest runner-up decision (or after we first stored them, if there was none). When it has ended
and they are not in the pool, nothing allows us to keep them. Each run works from the database
alone, so a second run at the same moment finds nothing left to do.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.services import add_months
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.flows.consent import pool_expire
from talentpool.flows.rights import candidate_erase

logger = logging.getLogger(__name__)

# Months differ in length: the database narrows candidates down with this margin, and the exact
# end of each one's period is computed with ``add_months``.
_MONTH_SLACK = dt.timedelta(days=4)


@dataclass(frozen=True)
class RetentionResult:
    expired: int
    erased: int


def retention_run(*, now: dt.datetime | None = None) -> RetentionResult:
    now = now or timezone.now()
    expired = consent_expire_due(now=now)
    erased = 0
    for candidate_id in candidates_due_for_erasure(now=now):
        try:
            candidate = Candidate.objects.get(pk=candidate_id)
            erased += candidate_erase(candidate=candidate, actor=Actor.system(), reason="retention")
        except Candidate.DoesNotExist:
            continue
        except Exception:
            # One failure must not keep everyone else's data: the next run tries again.
            logger.exception("candidate not erased", extra={"candidate_id": candidate_id})
    logger.info("retention run", extra={"expired": expired, "erased": erased})
    return RetentionResult(expired=expired, erased=erased)


def consent_expire_due(*, now: dt.datetime) -> int:
    """Record the expiry of every consent that has run out; return how many."""
    count = 0
    for candidate in Candidate.objects.filter(consent_expires_at__lte=now).only("pk", "organization_id"):
        if pool_expire(candidate=candidate, now=now) is not None:
            count += 1
    return count


def documentation_ends_at(*, basis: dt.datetime, months: int) -> dt.datetime:
    return add_months(basis, months)


def candidates_due_for_erasure(*, now: dt.datetime) -> list[int]:
    """Ids of candidates out of the pool whose documentation period has ended."""
    due: list[int] = []
    for organization in Organization.objects.only("pk", "documentation_months"):
        months = organization.documentation_months
        rows = (
            Candidate.objects.filter(organization=organization)
            .exclude(consent_expires_at__gt=now)
            .annotate(basis=Coalesce(Max("runner_ups__decided_at"), "created_at"))
            .filter(basis__lte=add_months(now, -months) + _MONTH_SLACK)
            .order_by("pk")
            .values_list("pk", "basis")
        )
        due += [pk for pk, basis in rows if documentation_ends_at(basis=basis, months=months) <= now]
    return due
