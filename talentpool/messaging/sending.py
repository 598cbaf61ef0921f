"""Sending: a message is claimed in one UPDATE before anything leaves, so it goes out at most once."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from integrations.email.sending import DeliveryError, deliver
from talentpool.candidates.models import Candidate
from talentpool.consent.links import magic_links_issue, magic_links_issue_many
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.core.queueing import enqueue_task_on_commit, task_named
from talentpool.core.services import audit_record
from talentpool.core.writes import update_rows
from talentpool.messaging import content as contents
from talentpool.messaging.models import (
    IMMEDIATE_KINDS,
    SYSTEM_KINDS,
    FeedbackRequest,
    Message,
    TouchpointPlan,
)
from talentpool.messaging.scheduling import is_send_time, next_send_time
from talentpool.messaging.selectors import opted_out, withdrew_consent
from talentpool.openings.models import Feedback, RunnerUp

logger = logging.getLogger(__name__)
T = TypeVar("T")

Kind = Message.Kind
Status = Message.Status
SENDABLE = (Status.APPROVED, Status.SCHEDULED)
# Retry a message the mail server could not take after 1, 5, 30 minutes, then every 2 hours.
BACKOFF_SECONDS = (60, 300, 1800, 7200)
# A message still SENDING after this was being sent by a worker that died.
STALE_SENDING = dt.timedelta(minutes=15)
STALE_SENDING_ERROR = (
    "The worker stopped while handing this message to the mail server, so it may or may not have "
    "gone out. Check with the recipient before you send it again."
)
STALE_CLAIM_NOTE = "The worker stopped before the message reached the mail server; it is sent again."
MAYBE_SENT_ERROR = (
    "The connection broke after the message was handed to the mail server, so it may or may not "
    "have gone out. Check with the recipient before you send it again."
)
# Pauses between tries to record a message as sent while the database is away.
SENT_WRITE_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0)
# Messages claimed and sent together over one connection (see ``message_send_many``): as many
# as one sweeper task sends, so a dead worker leaves at most that many "may have been sent".
BATCH_SIZE = 100
# Hand-over marks are written this many messages at a time in a batch: a worker that dies in the
# middle of a batch leaves at most this many unsent messages "may have been sent".
HANDOVER_CHUNK = 10
WARM_REJECTION_SWEEP_DAYS = 30


class SendOutcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # Not due, not approved, or another worker has it.
    DEFERRED = "deferred"  # Quiet hours or a weekend: moved to the next allowed time.
    RETRY = "retry"  # The mail server could not take it now; scheduled again.
    MAYBE_SENT = "maybe_sent"  # Handed over with no answer: a recruiter decides whether to resend.
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
    on_sent: Callable[[list[Message], dt.datetime], None] | None = None,
) -> SendResult:
    """Send a due, approved message. Two workers running this for one message send it once.

    The row is claimed (APPROVED/SCHEDULED → SENDING) in one UPDATE before anything is sent, and
    ``handed_over_at`` is written once the mail server has been reached, just before the message
    itself goes. A claim that never got that far is released (here after a database error, by
    the sweeper after a dead worker) and sent again; one that did may have reached the candidate
    and becomes MAYBE_SENT unless the server said it did or did not take it. Links in the email
    get their tokens here (see ``magic_links_issue``): the stored body holds none.
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
    if (
        message.candidate_id is not None
        and message.kind not in IMMEDIATE_KINDS
        and not is_send_time(now, organization=message.organization)
    ):
        later = next_send_time(earliest=now, organization=message.organization)
        Message.objects.filter(pk=message_id, status__in=SENDABLE).update(scheduled_at=later, updated_at=now)
        return SendResult(SendOutcome.DEFERRED, retry_at=later)
    claimed = Message.objects.filter(pk=message_id, status__in=SENDABLE, scheduled_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, handed_over_at=None, updated_at=now
    )
    if not claimed:
        return SendResult(SendOutcome.SKIPPED)
    try:
        message.refresh_from_db()  # What was claimed is what is sent.
        reason = _reason_not_to_send(message, now=now)
        if reason:
            _cancel(message, reason=reason, now=now)
            return SendResult(SendOutcome.CANCELLED)
        text, html = message.body_text, message.body_html
        if message.candidate_id is not None:
            text, html = magic_links_issue(parts=[text, html], candidate_id=message.candidate_id, now=now)
        provider_id = deliver(
            to=message.to_email,
            subject=message.subject,
            text=text,
            html=html,
            from_email=message.from_email or None,
            reply_to=message.reply_to or None,
            headers=_headers(message),
            connection=connection,
            on_handover=lambda: _hand_over(message, now=now),
        )
    except DeliveryError as error:
        return _send_failed(message, error, now=now)
    except ClaimLost:
        return SendResult(SendOutcome.SKIPPED)
    except DatabaseError:
        _release(message, now=now)  # Nothing reached the mail server: the claim goes back.
        raise
    _record_sent([(message, provider_id)], now=now, on_sent=on_sent)
    logger.info("message sent", extra={"message_id": message_id, "kind": message.kind})
    return SendResult(SendOutcome.SENT)


def message_send_many(
    *,
    message_ids: list[int],
    now: dt.datetime | None = None,
    on_sent: Callable[[list[Message], dt.datetime], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> dict[int, SendResult]:
    """Send due, approved messages over one connection, in batches; each goes out at most once.

    Per batch, two commits around the sending. The first claims the messages (rows locked and
    skipped by other workers on PostgreSQL, a conditional UPDATE each elsewhere, so two workers
    never claim the same one) and gives their links tokens; the second records them sent. In
    between, the hand-over is recorded for the next ``HANDOVER_CHUNK`` messages at a time, in one
    write, just before the first of them goes. A worker that dies in the middle of a batch
    leaves the messages of the chunk it was in "may have been sent" (at most ``HANDOVER_CHUNK``,
    never one sent twice) and those sent but not yet recorded too; the rest go back and are sent
    again. A connection that breaks after a message was handed over makes only that message
    "may have been sent".
    """
    now = now or timezone.now()
    results: dict[int, SendResult] = {}
    connection = None
    try:
        for start in range(0, len(message_ids), batch_size):
            batch = message_ids[start : start + batch_size]
            prepared = _claim_many(batch, now=now, results=results)
            if not prepared:
                continue
            connection = connection or get_connection()
            sent: list[tuple[Message, str]] = []
            attempted: set[int] = set()  # Those that reached the mail server (or failed there).
            handed = _Handover([message for message, _, _ in prepared], now=now)
            lost = False
            try:
                for message, text, html in prepared:
                    try:
                        provider_id = deliver(
                            to=message.to_email,
                            subject=message.subject,
                            text=text,
                            html=html,
                            from_email=message.from_email or None,
                            reply_to=message.reply_to or None,
                            headers=_headers(message),
                            connection=connection,
                            on_handover=partial(handed.record, message),
                        )
                    except DeliveryError as error:
                        attempted.add(message.pk)
                        results[message.pk] = _send_failed(message, error, now=now)
                        continue
                    except ClaimLost:  # The sweeper took this worker for dead: stop.
                        attempted.add(message.pk)
                        lost = True
                        break
                    attempted.add(message.pk)
                    sent.append((message, provider_id))
                    results[message.pk] = SendResult(SendOutcome.SENT)
            finally:
                # Whatever stopped the loop (an error before a message was handed over included),
                # those not handed over go back as they were, and those that went are recorded.
                untried = [m for m, _, _ in prepared if m.pk not in attempted]
                if untried:
                    _release_many(untried, now=now)
                if sent:
                    _record_sent(sent, now=now, on_sent=on_sent)
                    logger.info("messages sent", extra={"count": len(sent)})
            if lost:
                break
    finally:
        if connection is not None:
            connection.close()
    for message_id in message_ids:
        results.setdefault(message_id, SendResult(SendOutcome.SKIPPED))
    return results


def _claim_many(
    ids: list[int], *, now: dt.datetime, results: dict[int, SendResult]
) -> list[tuple[Message, str, str]]:
    """Claim the due ones among ``ids`` for sending now, in one commit.

    Those due in quiet hours move to the next allowed time; those no longer wanted are
    cancelled; the others' links get their tokens. Return the claimed messages with their text
    and HTML as they will be sent.
    """
    locks = db_connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        due = Message.objects.filter(pk__in=ids, status__in=SENDABLE, scheduled_at__lte=now).order_by("pk")
        if locks:  # Another worker's batch skips these rows, and this one skips theirs.
            due = due.select_for_update(skip_locked=True)
        messages = list(due)
        organizations = Organization.objects.in_bulk({m.organization_id for m in messages})
        later_for: dict[int, dt.datetime | None] = {}  # Per organization: None if now is a send time.
        wanted: list[Message] = []
        unwanted: list[tuple[Message, str]] = []
        for message in messages:
            message.organization = organizations[message.organization_id]
            if message.candidate_id is not None and message.kind not in IMMEDIATE_KINDS:
                if message.organization_id not in later_for:
                    next_time = next_send_time(earliest=now, organization=message.organization)
                    later_for[message.organization_id] = None if next_time == now else next_time
                later = later_for[message.organization_id]
                if later is not None:
                    Message.objects.filter(pk=message.pk).update(scheduled_at=later, updated_at=now)
                    results[message.pk] = SendResult(SendOutcome.DEFERRED, retry_at=later)
                    continue
            reason = _reason_not_to_send(message, now=now)
            if reason:
                unwanted.append((message, reason))
            else:
                wanted.append(message)
        claim = {
            "status": Status.SENDING,
            "attempts": F("attempts") + 1,
            "handed_over_at": None,
            "updated_at": now,
        }
        sendable = Message.objects.filter(status__in=SENDABLE, scheduled_at__lte=now)
        if locks:  # The rows are locked by this transaction: one UPDATE claims exactly them.
            sendable.filter(pk__in=[m.pk for m in wanted]).update(**claim)
        else:  # No row locks (SQLite): a conditional UPDATE each says which are this worker's.
            wanted = [m for m in wanted if sendable.filter(pk=m.pk).update(**claim)]
        for message in wanted:
            message.status, message.attempts = Status.SENDING, message.attempts + 1
            message.handed_over_at = None
        for message, reason in unwanted:
            if locks or sendable.filter(pk=message.pk).exists():  # Without locks: still due?
                _cancel(message, reason=reason, now=now)
                results[message.pk] = SendResult(SendOutcome.CANCELLED)
        issued = magic_links_issue_many(
            emails=[(m.candidate_id or 0, [m.body_text, m.body_html]) for m in wanted], now=now
        )
    return [(message, text, html) for message, (text, html) in zip(wanted, issued, strict=True)]


def _release_many(messages: list[Message], *, now: dt.datetime) -> None:
    """Put back claims whose messages were not tried (a batch stopped before them), as they were."""
    try:
        update_rows(
            Message,
            match=["id", "attempts"],  # The attempt number is the claim (see ``_hand_over``).
            rows=[(m.pk, m.attempts, m.attempts - 1) for m in messages],
            fields=["attempts"],
            values={"status": Status.SCHEDULED, "handed_over_at": None, "updated_at": now},
            where={"status": Status.SENDING},
        )
    except DatabaseError:
        # The sweeper releases them once the claims are stale.
        logger.warning("claims not released", extra={"count": len(messages)})


class _Handover:
    """The hand-over marks of a batch, written ``HANDOVER_CHUNK`` messages at a time."""

    def __init__(self, messages: list[Message], *, now: dt.datetime) -> None:
        self.messages, self.now = messages, now
        self.position = {message.pk: index for index, message in enumerate(messages)}
        self.marked: set[int] = set()

    def record(self, message: Message) -> None:
        """Called just before ``message`` goes: mark it and the next few, unless done already."""
        if message.pk in self.marked:
            return
        start = self.position[message.pk]
        chunk = self.messages[start : start + HANDOVER_CHUNK]
        rows = [(m.pk, m.attempts, self.now) for m in chunk]
        count = _on_a_live_connection(
            lambda: update_rows(
                Message,
                match=["id", "attempts"],  # The attempt number is the claim (see ``_hand_over``).
                rows=rows,
                fields=["handed_over_at"],
                values={"updated_at": self.now},
                where={"status": Status.SENDING},
            )
        )
        if count == len(chunk):
            self.marked.update(m.pk for m in chunk)
        else:  # Some claims were taken back (the sweeper took this worker for dead): ask singly.
            _hand_over(message, now=self.now)
            self.marked.add(message.pk)


class ClaimLost(Exception):
    """The claim was released (the sweeper took this worker for dead): another attempt sends."""


def _hand_over(message: Message, *, now: dt.datetime) -> None:
    # The attempt number is the claim: a claim the sweeper released and another worker took
    # has a higher one, and this worker must not send.
    marked = _on_a_live_connection(
        lambda: Message.objects.filter(
            pk=message.pk, status=Status.SENDING, attempts=message.attempts
        ).update(handed_over_at=now, updated_at=now)
    )
    if not marked:
        raise ClaimLost()


def _release(message: Message, *, now: dt.datetime) -> None:
    """Put a claim that reached no mail server back, as it was (a database error stopped it)."""
    try:
        _on_a_live_connection(
            lambda: Message.objects.filter(
                pk=message.pk, status=Status.SENDING, attempts=message.attempts, handed_over_at__isnull=True
            ).update(status=Status.SCHEDULED, attempts=F("attempts") - 1, updated_at=now)
        )
    except DatabaseError:
        # The sweeper releases it once the claim is stale.
        logger.warning("claim not released", extra={"message_id": message.pk})


def _on_a_live_connection(write: Callable[[], T]) -> T:
    """Run ``write``; if the database connection was lost (terminated, a restart), run it once
    more on a fresh one. Without this, a connection that died while a message was with the mail
    server would stop the batch, and a claim put back on it would wait for the sweeper."""
    try:
        return write()
    except (OperationalError, InterfaceError):
        if db_connection.in_atomic_block:
            raise
        db_connection.close()  # The next query connects afresh.
        return write()


def _record_sent(
    sent: list[tuple[Message, str]],
    *,
    now: dt.datetime,
    on_sent: Callable[[list[Message], dt.datetime], None] | None,
) -> None:
    """Mark messages SENT (with their provider ids), trying again through a database that is
    briefly away.

    If it never comes back, the rows stay SENDING with ``handed_over_at`` set, and the sweeper
    shows them as "may have been sent": never sent twice without someone deciding so.
    """
    for attempt, pause in enumerate((*SENT_WRITE_PAUSES, None)):
        try:
            with transaction.atomic():  # One commit for the outcomes and what follows from them.
                update_rows(
                    Message,
                    match=["id"],
                    rows=[(m.pk, provider_id[:200]) for m, provider_id in sent],
                    fields=["provider_id"],
                    values={"status": Status.SENT, "sent_at": now, "last_error": "", "updated_at": now},
                )
                _after_sent([m for m, _ in sent], now=now)
                if on_sent is not None:  # What follows from the sending, e.g. webhook events.
                    on_sent([m for m, _ in sent], now)
            return
        except (OperationalError, InterfaceError):
            if pause is None or db_connection.in_atomic_block:
                raise
            logger.warning("sent messages not recorded yet", extra={"count": len(sent), "try": attempt + 1})
            db_connection.close()  # The next query connects afresh.
            time.sleep(pause)


def _headers(message: Message) -> dict[str, str]:
    headers = {}
    if message.is_keep_warm and message.candidate_id is not None:
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that posts to the link.
        headers["List-Unsubscribe"] = f"<{contents.stop_url(message.candidate_id)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.kind in SYSTEM_KINDS:
        headers["Auto-Submitted"] = "auto-generated"
    return headers


def _cancel(message: Message, *, reason: str, now: dt.datetime) -> None:
    Message.objects.filter(pk=message.pk).update(status=Status.CANCELLED, last_error=reason, updated_at=now)
    audit_record(
        organization=message.organization_id,
        actor=Actor.system(),
        action="message.cancelled",
        target=message,
        context={"reason": reason},
    )


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
    if error.maybe_delivered:
        Message.objects.filter(pk=message.pk).update(
            status=Status.MAYBE_SENT, last_error=f"{MAYBE_SENT_ERROR} {error}"[:1000], updated_at=now
        )
        audit_record(
            organization=message.organization_id,
            actor=Actor.system(),
            action="message.maybe_sent",
            target=message,
        )
        logger.warning("message may have been sent", extra={"message_id": message.pk, "attempt": attempts})
        return SendResult(SendOutcome.MAYBE_SENT)
    if error.retryable and attempts < settings.MESSAGE_MAX_ATTEMPTS:
        retry_at = now + backoff(attempts)
        Message.objects.filter(pk=message.pk).update(
            status=Status.SCHEDULED,
            scheduled_at=retry_at,
            handed_over_at=None,
            last_error=f"Attempt {attempts} failed; trying again. {error}"[:1000],
            updated_at=now,
        )
        logger.warning("message not sent, will retry", extra={"message_id": message.pk, "attempt": attempts})
        return SendResult(SendOutcome.RETRY, retry_at=retry_at)
    note = f"Gave up after {attempts} attempts. " if error.retryable else ""
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, last_error=f"{note}{error}"[:1000], handed_over_at=None, updated_at=now
    )
    audit_record(
        organization=message.organization_id, actor=Actor.system(), action="message.failed", target=message
    )
    logger.warning("message failed", extra={"message_id": message.pk, "attempts": attempts})
    return SendResult(SendOutcome.FAILED)


def _after_sent(messages: list[Message], *, now: dt.datetime) -> None:
    """Feedback that went out is SENT and answers the candidate's request; contact is noted."""
    with_feedback = [m for m in messages if m.includes_feedback and m.candidate_id and m.opening_id]
    if with_feedback:
        pairs = {(m.candidate_id, m.opening_id) for m in with_feedback}
        # By candidate, then the pairs kept here: one short query, not a condition per message.
        found = RunnerUp.objects.filter(candidate_id__in={c for c, _ in pairs}).values_list(
            "pk", "candidate_id", "opening_id"
        )
        runner_ups: dict[tuple[int | None, int | None], int] = {
            (c, o): pk for pk, c, o in found if (c, o) in pairs
        }
        Feedback.objects.filter(runner_up_id__in=runner_ups.values()).exclude(
            status=Feedback.Status.SENT
        ).update(status=Feedback.Status.SENT, updated_at=now)
        answered_by: dict[int | None, list[int]] = {}
        for message in with_feedback:
            runner_up_id = runner_ups.get((message.candidate_id, message.opening_id))
            if runner_up_id is not None:
                answered_by.setdefault(message.approved_by_id, []).append(runner_up_id)
        for user_id, runner_up_ids in answered_by.items():
            FeedbackRequest.objects.filter(
                runner_up_id__in=runner_up_ids, status=FeedbackRequest.Status.OPEN
            ).update(
                status=FeedbackRequest.Status.ANSWERED,
                answered_at=now,
                answered_by_id=user_id,
                updated_at=now,
            )
    contacted = [m.candidate_id for m in messages if m.is_keep_warm and m.candidate_id]
    if contacted:
        TouchpointPlan.objects.filter(candidate_id__in=contacted).update(
            last_contacted_at=now, updated_at=now
        )


MESSAGE_SEND_TASK = "talentpool.messaging.tasks.message_send_task"
MESSAGE_SEND_MANY_TASK = "talentpool.messaging.tasks.message_send_many_task"
# Due messages the sweeper hands to one task, sent over one connection.
SWEEP_TASK_SIZE = 100
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
    # Never reached the mail server: send it again. Reached it: a recruiter decides.
    stale.filter(handed_over_at__isnull=True).update(
        status=Status.SCHEDULED, scheduled_at=now, last_error=STALE_CLAIM_NOTE, updated_at=now
    )
    stale.filter(handed_over_at__isnull=False).update(
        status=Status.MAYBE_SENT, last_error=STALE_SENDING_ERROR, updated_at=now
    )
    due = list(
        Message.objects.filter(status__in=SENDABLE, scheduled_at__lte=now)
        .order_by("scheduled_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(due), SWEEP_TASK_SIZE):
        task_named(MESSAGE_SEND_MANY_TASK).delay(message_ids=due[start : start + SWEEP_TASK_SIZE])
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
