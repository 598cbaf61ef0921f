"""Keep warm: a check-in about every three months, CV-update invitations, consent renewal before expiry."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.services import audit_record
from talentpool.messaging import content as contents
from talentpool.messaging.content import NothingToSay
from talentpool.messaging.models import KEEP_WARM_KINDS, Message, TouchpointPlan

if TYPE_CHECKING:
    pass

from talentpool.messaging.drafting import PENDING, dedupe_key, message_draft

logger = logging.getLogger(__name__)

Kind = Message.Kind
Status = Message.Status
# What counts as having been in touch with someone (for the gap between keep-warm messages).
CONTACTED = (Status.APPROVED, Status.SCHEDULED, Status.SENDING, Status.SENT)
REGULAR_TOUCHPOINTS = (Kind.CHECK_IN, Kind.CV_UPDATE_INVITATION)


def _last_contact(candidate: Candidate, plan: TouchpointPlan | None) -> dt.datetime | None:
    moments = [plan.last_contacted_at] if plan and plan.last_contacted_at else []
    latest = (
        Message.objects.filter(candidate=candidate, kind__in=KEEP_WARM_KINDS, status__in=CONTACTED)
        .order_by("-scheduled_at")
        .values_list("sent_at", "scheduled_at")
        .first()
    )
    if latest is not None:
        moment = latest[0] or latest[1]
        if moment is not None:
            moments.append(moment)
    return max(moments) if moments else None


def renewal_touchpoint(expires_at: dt.datetime) -> str:
    return f"renewal-{expires_at:%Y-%m-%d}"


def touchpoint_next(
    *, candidate: Candidate, plan: TouchpointPlan | None, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """The next keep-warm message for a candidate in the pool, and when it is due.

    A check-in about every three months, alternating with an invitation to update the CV; a
    renewal request some weeks before consent ends, which takes the place of a regular one that
    would come too close to it; never two within the minimum gap.
    """
    gap = dt.timedelta(days=settings.KEEP_WARM_MIN_GAP_DAYS)
    last = _last_contact(candidate, plan)
    base = last or (plan.created_at if plan and plan.pk else now)
    previous = (
        Message.objects.filter(candidate=candidate, kind__in=REGULAR_TOUCHPOINTS, status__in=CONTACTED)
        .order_by("-scheduled_at")
        .values_list("kind", flat=True)
        .first()
    )
    kind = Kind.CV_UPDATE_INVITATION if previous == Kind.CHECK_IN else Kind.CHECK_IN
    due = base + dt.timedelta(days=settings.KEEP_WARM_INTERVAL_DAYS)
    expires_at = candidate.consent_expires_at
    if expires_at is not None:
        asked = Message.objects.filter(
            organization_id=candidate.organization_id,
            dedupe_key=dedupe_key(
                kind=Kind.CONSENT_RENEWAL,
                candidate_id=candidate.pk,
                touchpoint=renewal_touchpoint(expires_at),
            ),
        ).exists()
        renewal_due = expires_at - dt.timedelta(days=settings.CONSENT_RENEWAL_LEAD_DAYS)
        if last is not None:
            renewal_due = max(renewal_due, last + gap)
        if not asked and renewal_due < expires_at and due > renewal_due - gap:
            return Kind.CONSENT_RENEWAL, renewal_due
    return kind, due


def keep_warm_touch(*, plan: TouchpointPlan, now: dt.datetime) -> Message | None:
    """Send the candidate's due keep-warm message, if one is due; plan the next."""
    with transaction.atomic():
        plan = (
            TouchpointPlan.objects.select_for_update()
            .select_related("candidate__organization")
            .get(pk=plan.pk)
        )
        candidate = plan.candidate
        if plan.stopped_at is not None or not candidate.is_in_pool(now=now):
            return None
        kind, due = touchpoint_next(candidate=candidate, plan=plan, now=now)
        message = None
        if due <= now:
            expires_at = candidate.consent_expires_at
            touchpoint = (
                renewal_touchpoint(expires_at)
                if kind == Kind.CONSENT_RENEWAL and expires_at
                else f"{kind.lower().replace('_', '-')}-{now:%Y-%m-%d}"
            )
            message = message_draft(
                kind=kind,
                candidate=candidate,
                touchpoint=touchpoint,
                build=lambda: contents.keep_warm_content(kind=kind, candidate=candidate, now=now),
                actor=Actor.system(),
                now=now,
                # A keep-warm message is written by the organization's reviewed template.
                approve=True,
            )
            plan.last_contacted_at = now
            kind, due = touchpoint_next(candidate=candidate, plan=plan, now=now)
        plan.next_touchpoint, plan.next_due_at = kind, due
        plan.save(update_fields=["next_touchpoint", "next_due_at", "last_contacted_at", "updated_at"])
        return message


def keep_warm_run(*, now: dt.datetime | None = None, limit: int = 500) -> list[Message]:
    """Periodic: plan keep-warm contact for everyone in the pool, and send what is due."""
    now = now or timezone.now()
    newcomers = Candidate.objects.in_pool(now=now).filter(touchpoint_plan__isnull=True)[:limit]
    TouchpointPlan.objects.bulk_create(
        [TouchpointPlan(organization_id=c.organization_id, candidate=c) for c in newcomers],
        ignore_conflicts=True,
    )
    # A plan paused when someone left the pool resumes when they are back (they consented again);
    # one the candidate opted out of does not.
    TouchpointPlan.objects.filter(
        stopped_at__isnull=False, opted_out_at__isnull=True, candidate__consent_expires_at__gt=now
    ).update(stopped_at=None, next_due_at=None, updated_at=now)
    due = (
        TouchpointPlan.objects.filter(stopped_at__isnull=True, candidate__consent_expires_at__gt=now)
        .filter(Q(next_due_at__isnull=True) | Q(next_due_at__lte=now))
        .order_by("next_due_at", "id")[:limit]
    )
    messages = []
    for plan in due:
        try:
            message = keep_warm_touch(plan=plan, now=now)
        except NothingToSay:
            continue
        if message is not None:
            messages.append(message)
    return messages


@transaction.atomic
def keep_warm_stop(
    *, candidate: Candidate, actor: Actor, now: dt.datetime | None = None, opt_out: bool = False
) -> bool:
    """Stop keep-warm mail for a candidate and cancel what is pending; True if it was running.

    Without ``opt_out`` (consent withdrawn or expired) the plan pauses, and resumes if the
    candidate consents again. With it (the candidate's own stop link) it never resumes.
    """
    now = now or timezone.now()
    plan, _ = TouchpointPlan.objects.select_for_update().get_or_create(
        candidate=candidate, defaults={"organization_id": candidate.organization_id}
    )
    was_running = plan.stopped_at is None
    changes = []
    if was_running:
        plan.stopped_at, plan.next_due_at = now, None
        changes += ["stopped_at", "next_due_at"]
    if opt_out and plan.opted_out_at is None:
        plan.opted_out_at = now
        changes.append("opted_out_at")
    if changes:
        plan.save(update_fields=[*changes, "updated_at"])
        audit_record(
            organization=candidate.organization_id,
            actor=actor,
            action="keep_warm.opted_out" if opt_out else "keep_warm.stopped",
            target=candidate,
            changes=["touchpoint_plan"],
        )
    reason = (
        "the candidate asked us to stop these emails" if opt_out else "the candidate left the talent pool"
    )
    Message.objects.filter(candidate=candidate, kind__in=KEEP_WARM_KINDS, status__in=PENDING).update(
        status=Status.CANCELLED, last_error=f"Not sent: {reason}.", updated_at=now
    )
    return was_running


def keep_warm_end(*, candidate_id: int, now: dt.datetime) -> int:
    """Cancel unsent keep-warm mail and stop the touchpoint plan of someone whose consent ran out.

    Returns how many messages were cancelled. A message already being sent is left to finish.
    """
    cancelled = Message.objects.filter(
        candidate_id=candidate_id, kind__in=KEEP_WARM_KINDS, status__in=PENDING
    ).update(status=Message.Status.CANCELLED, last_error="Not sent: consent expired.", updated_at=now)
    TouchpointPlan.objects.filter(candidate_id=candidate_id, stopped_at__isnull=True).update(
        stopped_at=now, next_due_at=None, updated_at=now
    )
    return cancelled
