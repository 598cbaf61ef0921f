"""Sending: a message is claimed in one UPDATE before anything leaves, so it goes out at most once."""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from integrations.email.sending import DeliveryError, deliver
from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_task_on_commit, task_named
from talentpool.core.services import audit_record
from talentpool.messaging import content as contents
from talentpool.messaging.models import FeedbackRequest, Message, TouchpointPlan
from talentpool.messaging.scheduling import is_send_time, next_send_time
from talentpool.messaging.selectors import opted_out, withdrew_consent
from talentpool.openings.models import Feedback, RunnerUp

if TYPE_CHECKING:
    pass


logger = logging.getLogger(__name__)

Kind = Message.Kind
Status = Message.Status
SENDABLE = (Status.APPROVED, Status.SCHEDULED)
# Retry a message the mail server could not take after 1, 5, 30 minutes, then every 2 hours.
BACKOFF_SECONDS = (60, 300, 1800, 7200)
# A message still SENDING after this was being sent by a worker that died.
STALE_SENDING = dt.timedelta(minutes=15)
STALE_SENDING_ERROR = (
    "The worker stopped while sending this message, so it may or may not have gone out. "
    "Check with the candidate before you send it again."
)
WARM_REJECTION_SWEEP_DAYS = 30


class SendOutcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # Not due, not approved, or another worker has it.
    DEFERRED = "deferred"  # Quiet hours or a weekend: moved to the next allowed time.
    RETRY = "retry"  # The mail server could not take it now; scheduled again.
    FAILED = "failed"
    CANCELLED = "cancelled"  # No longer wanted (the candidate left the pool or asked us to stop).


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    retry_at: dt.datetime | None = None

    def __bool__(self) -> bool:
        return self.outcome == SendOutcome.SENT


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


def message_send(
    *,
    message_id: int,
    now: dt.datetime | None = None,
    connection: object = None,
    on_sent: Callable[[Message, dt.datetime], None] | None = None,
) -> SendResult:
    """Send a due, approved message. Two workers running this for one message send it once.

    The row is claimed (APPROVED/SCHEDULED → SENDING) in one UPDATE before anything is sent.
    """
    now = now or timezone.now()
    message = Message.objects.select_related("organization").filter(pk=message_id).first()
    if (
        message is None
        or message.status not in SENDABLE
        or not message.scheduled_at
        or message.scheduled_at > now
    ):
        return SendResult(SendOutcome.SKIPPED)
    if message.candidate_id is not None and not is_send_time(now, organization=message.organization):
        later = next_send_time(earliest=now, organization=message.organization)
        Message.objects.filter(pk=message_id, status__in=SENDABLE).update(scheduled_at=later, updated_at=now)
        return SendResult(SendOutcome.DEFERRED, retry_at=later)
    claimed = Message.objects.filter(pk=message_id, status__in=SENDABLE, scheduled_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return SendResult(SendOutcome.SKIPPED)
    message.refresh_from_db()  # What was claimed is what is sent.
    reason = _reason_not_to_send(message, now=now)
    if reason:
        Message.objects.filter(pk=message_id).update(
            status=Status.CANCELLED, last_error=reason, updated_at=now
        )
        audit_record(
            organization=message.organization_id,
            actor=Actor.system(),
            action="message.cancelled",
            target=message,
            context={"reason": reason},
        )
        return SendResult(SendOutcome.CANCELLED)
    headers = {}
    if message.is_keep_warm and message.candidate_id is not None:
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that posts to the link.
        headers["List-Unsubscribe"] = f"<{contents.stop_url(message.candidate_id)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    try:
        provider_id = deliver(
            to=message.to_email,
            subject=message.subject,
            text=message.body_text,
            html=message.body_html,
            from_email=message.from_email or None,
            reply_to=message.reply_to or None,
            headers=headers,
            connection=connection,
        )
    except DeliveryError as error:
        return _send_failed(message, error, now=now)
    with transaction.atomic():  # One commit for the outcome and what follows from it.
        Message.objects.filter(pk=message_id).update(
            status=Status.SENT, sent_at=now, provider_id=provider_id[:200], last_error="", updated_at=now
        )
        _after_sent(message, now=now)
        if on_sent is not None:
            on_sent(message, now)
    logger.info("message sent", extra={"message_id": message_id, "kind": message.kind})
    return SendResult(SendOutcome.SENT)


def _reason_not_to_send(message: Message, *, now: dt.datetime) -> str:
    if message.candidate_id is None or not message.is_keep_warm:
        return ""
    candidate = Candidate.objects.filter(pk=message.candidate_id).first()
    if candidate is None:
        return "The candidate was erased."
    if opted_out(candidate.pk):
        return "Not sent: the candidate asked us to stop these emails."
    if message.kind == Kind.POOL_INVITATION:
        return "Not sent: the candidate withdrew their consent." if withdrew_consent(candidate.pk) else ""
    if not candidate.is_in_pool(now=now):
        return "Not sent: the candidate is no longer in the talent pool."
    return ""


def _send_failed(message: Message, error: DeliveryError, *, now: dt.datetime) -> SendResult:
    attempts = message.attempts
    if error.retryable and attempts < settings.MESSAGE_MAX_ATTEMPTS:
        retry_at = now + backoff(attempts)
        Message.objects.filter(pk=message.pk).update(
            status=Status.SCHEDULED,
            scheduled_at=retry_at,
            last_error=f"Attempt {attempts} failed; trying again. {error}"[:1000],
            updated_at=now,
        )
        logger.warning("message not sent, will retry", extra={"message_id": message.pk, "attempt": attempts})
        return SendResult(SendOutcome.RETRY, retry_at=retry_at)
    note = f"Gave up after {attempts} attempts. " if error.retryable else ""
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, last_error=f"{note}{error}"[:1000], updated_at=now
    )
    audit_record(
        organization=message.organization_id, actor=Actor.system(), action="message.failed", target=message
    )
    logger.warning("message failed", extra={"message_id": message.pk, "attempts": attempts})
    return SendResult(SendOutcome.FAILED)


def _after_sent(message: Message, *, now: dt.datetime) -> None:
    """Feedback that went out is SENT and answers the candidate's request; contact is noted."""
    if message.includes_feedback and message.candidate_id and message.opening_id:
        runner_up = RunnerUp.objects.filter(
            candidate_id=message.candidate_id, opening_id=message.opening_id
        ).first()
        if runner_up is not None:
            Feedback.objects.filter(runner_up=runner_up).exclude(status=Feedback.Status.SENT).update(
                status=Feedback.Status.SENT, updated_at=now
            )
            FeedbackRequest.objects.filter(runner_up=runner_up, status=FeedbackRequest.Status.OPEN).update(
                status=FeedbackRequest.Status.ANSWERED,
                answered_at=now,
                answered_by_id=message.approved_by_id,
                updated_at=now,
            )
    if message.is_keep_warm and message.candidate_id:
        TouchpointPlan.objects.filter(candidate_id=message.candidate_id).update(
            last_contacted_at=now, updated_at=now
        )


MESSAGE_SEND_TASK = "talentpool.messaging.tasks.message_send_task"
WARM_REJECTION_DRAFT_TASK = "talentpool.messaging.tasks.warm_rejection_draft_task"


def message_send_queue(*, message_ids: list[int]) -> None:
    for message_id in message_ids:
        enqueue_task_on_commit(MESSAGE_SEND_TASK, message_id=message_id)


def message_due_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Queue due messages again, give up on sends a dead worker left, draft lost rejections.

    Return the ids of the messages queued.
    """
    now = now or timezone.now()
    stale = Message.objects.filter(status=Status.SENDING, updated_at__lt=now - STALE_SENDING)
    stale.update(status=Status.FAILED, last_error=STALE_SENDING_ERROR, updated_at=now)
    due = list(
        Message.objects.filter(status__in=SENDABLE, scheduled_at__lte=now)
        .order_by("scheduled_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        task_named(MESSAGE_SEND_TASK).delay(message_id=message_id)
    rejection = Message.objects.filter(
        kind=Kind.WARM_REJECTION, candidate_id=OuterRef("candidate_id"), opening_id=OuterRef("opening_id")
    )
    undrafted = (
        RunnerUp.objects.filter(decided_at__gte=now - dt.timedelta(days=WARM_REJECTION_SWEEP_DAYS))
        .exclude(Exists(rejection))
        .values_list("pk", flat=True)[:200]
    )
    for runner_up_id in undrafted:
        task_named(WARM_REJECTION_DRAFT_TASK).delay(runner_up_id=runner_up_id)
    return due
