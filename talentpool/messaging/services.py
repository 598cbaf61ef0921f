"""Messages to candidates: drafted, reviewed, scheduled at a humane time, sent at most once.

A message is a row before it is an email. Drafting renders it in the candidate's language and
stores it; approval (a recruiter's, or the organization's standing one) gives it a sending time
outside quiet hours and weekends; sending claims the row in one UPDATE before anything leaves,
so a task that runs twice, or a sweeper that queues a message again, never sends it twice.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from integrations.email.rendering import render_layout, text_to_html
from integrations.email.sending import DeliveryError, deliver
from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.core.queueing import enqueue_on_commit
from talentpool.core.services import audit_record
from talentpool.messaging import content as contents
from talentpool.messaging.content import Content, NothingToSay
from talentpool.messaging.models import KEEP_WARM_KINDS, FeedbackRequest, Message, TouchpointPlan
from talentpool.messaging.scheduling import is_send_time, next_send_time, organization_zone
from talentpool.openings.models import Feedback, Opening, RunnerUp
from talentpool.webhooks.services import message_sent_emit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

Kind = Message.Kind
Status = Message.Status
SENDABLE = (Status.APPROVED, Status.SCHEDULED)
PENDING = (Status.DRAFT, Status.APPROVED, Status.SCHEDULED)
# What counts as having been in touch with someone (for the gap between keep-warm messages).
CONTACTED = (Status.APPROVED, Status.SCHEDULED, Status.SENDING, Status.SENT)
REGULAR_TOUCHPOINTS = (Kind.CHECK_IN, Kind.CV_UPDATE_INVITATION)
# Retry a message the mail server could not take after 1, 5, 30 minutes, then every 2 hours.
BACKOFF_SECONDS = (60, 300, 1800, 7200)
# A message still SENDING after this was being sent by a worker that died.
STALE_SENDING = dt.timedelta(minutes=15)
STALE_SENDING_ERROR = (
    "The worker stopped while sending this message, so it may or may not have gone out. "
    "Check with the candidate before you send it again."
)
WARM_REJECTION_SWEEP_DAYS = 30


def dedupe_key(*, kind: str, candidate_id: int, opening_id: int | None = None, touchpoint: str = "") -> str:
    """One message per (candidate, kind, opening or touchpoint): a retry finds the same row."""
    return f"{kind}:{candidate_id}:{opening_id or ''}:{touchpoint}"


# Drafting ------------------------------------------------------------------------------------


@transaction.atomic
def message_draft(
    *,
    kind: str,
    candidate: Candidate,
    build: Callable[[], Content],
    actor: Actor,
    now: dt.datetime,
    opening: Opening | None = None,
    touchpoint: str = "",
    not_before: dt.datetime | None = None,
    approve: bool = False,
) -> Message:
    """Draft (or redraft, while it is still a draft) the one message for this key.

    ``build`` runs only when something is (re)drafted: it may create links the email carries.
    A message that was approved, sent or cancelled is returned as it is.
    """
    key = dedupe_key(
        kind=kind,
        candidate_id=candidate.pk,
        opening_id=opening.pk if opening else None,
        touchpoint=touchpoint,
    )
    existing = (
        Message.objects.select_for_update()
        .filter(organization_id=candidate.organization_id, dedupe_key=key)
        .first()
    )
    if existing is not None and existing.status != Status.DRAFT:
        return existing
    content = build()
    rendered = contents.content_render(content)
    details = contents.sender_details(organization=candidate.organization, sender=content.sender)
    organization = candidate.organization
    values = {
        "kind": kind,
        "candidate": candidate,
        "opening": opening,
        "touchpoint": touchpoint,
        "language": candidate.language,
        "to_email": candidate.email,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "sender": content.sender,
        "from_email": details.from_email,
        "reply_to": details.reply_to,
        "includes_feedback": content.includes_feedback,
        "scheduled_at": next_send_time(earliest=max(now, not_before or now), organization=organization),
    }
    if existing is None:
        message = Message(organization_id=candidate.organization_id, dedupe_key=key, **values)
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            # Drafted at the same moment by another worker: that one stands.
            return Message.objects.get(organization_id=candidate.organization_id, dedupe_key=key)
        action = "message.drafted"
    else:
        message = existing
        for name, value in values.items():
            setattr(message, name, value)
        message.save()
        action = "message.redrafted"
    audit_record(
        organization=candidate.organization_id,
        actor=actor,
        action=action,
        target=message,
        context={"kind": kind},
    )
    if approve:
        message_approve(message=message, actor=Actor.system(), now=now)
    return message


def warm_rejection_draft(*, runner_up: RunnerUp, actor: Actor, now: dt.datetime | None = None) -> Message:
    """Draft the warm rejection for a runner-up, in their language, to go out after the delay."""
    now = now or timezone.now()
    runner_up = RunnerUp.objects.select_related("candidate__organization", "opening", "organization").get(
        pk=runner_up.pk
    )
    organization = runner_up.organization
    delay = dt.timedelta(hours=organization.rejection_delay_hours)
    return message_draft(
        kind=Kind.WARM_REJECTION,
        candidate=runner_up.candidate,
        opening=runner_up.opening,
        build=lambda: contents.warm_rejection_content(runner_up=runner_up, now=now),
        actor=actor,
        now=now,
        not_before=runner_up.decided_at + delay,
        approve=organization.auto_approve_messages,
    )


def warm_rejection_queue(*, runner_up_id: int) -> None:
    """Draft the warm rejection once the decision is committed."""
    from talentpool.messaging.tasks import warm_rejection_draft_task

    enqueue_on_commit(warm_rejection_draft_task, runner_up_id=runner_up_id)


def feedback_message_draft(*, runner_up: RunnerUp, actor: Actor, now: dt.datetime | None = None) -> Message:
    """Draft the feedback message; the feedback must be approved. ``ValidationError`` otherwise."""
    now = now or timezone.now()
    runner_up = RunnerUp.objects.select_related("candidate__organization", "opening", "organization").get(
        pk=runner_up.pk
    )
    try:
        content = contents.feedback_content(runner_up=runner_up, now=now)
    except NothingToSay as reason:
        raise ValidationError(str(reason)) from None
    return message_draft(
        kind=Kind.FEEDBACK,
        candidate=runner_up.candidate,
        opening=runner_up.opening,
        build=lambda: content,
        actor=actor,
        now=now,
        approve=runner_up.organization.auto_approve_messages,
    )


def opted_out(candidate_id: int) -> bool:
    return TouchpointPlan.objects.filter(candidate_id=candidate_id, opted_out_at__isnull=False).exists()


def withdrew_consent(candidate_id: int) -> bool:
    latest = ConsentEvent.objects.filter(candidate_id=candidate_id).order_by("-created_at", "-id").first()
    return latest is not None and latest.kind == ConsentEvent.Kind.WITHDRAWN


def _ensure_may_contact(candidate: Candidate, *, now: dt.datetime, in_pool: bool) -> None:
    if in_pool and not candidate.is_in_pool(now=now):
        raise ValidationError("The candidate is not in the talent pool.")
    if opted_out(candidate.pk):
        raise ValidationError("The candidate asked us to stop these emails.")
    if not in_pool and withdrew_consent(candidate.pk):
        raise ValidationError("The candidate withdrew their consent; we do not ask again.")


def pool_invitation_draft(
    *, candidate: Candidate, actor: Actor, sender: User | None = None, now: dt.datetime | None = None
) -> Message:
    """Invite a candidate who is not in the talent pool to join it."""
    now = now or timezone.now()
    if candidate.is_in_pool(now=now):
        raise ValidationError("The candidate is already in the talent pool.")
    _ensure_may_contact(candidate, now=now, in_pool=False)
    return message_draft(
        kind=Kind.POOL_INVITATION,
        candidate=candidate,
        touchpoint=f"{now:%Y-%m-%d}",
        build=lambda: contents.pool_invitation_content(candidate=candidate, now=now, sender=sender),
        actor=actor,
        now=now,
        approve=candidate.organization.auto_approve_messages,
    )


def opening_invitation_draft(
    *,
    candidate: Candidate,
    opening: Opening,
    actor: Actor,
    sender: User | None = None,
    now: dt.datetime | None = None,
) -> Message:
    """Invite someone in the pool (a past runner-up, usually) to apply for a new opening."""
    now = now or timezone.now()
    if opening.organization_id != candidate.organization_id:
        raise ValidationError("The candidate and the opening belong to different organizations.")
    _ensure_may_contact(candidate, now=now, in_pool=True)
    return message_draft(
        kind=Kind.OPENING_INVITATION,
        candidate=candidate,
        opening=opening,
        build=lambda: contents.opening_invitation_content(
            candidate=candidate, opening=opening, now=now, sender=sender
        ),
        actor=actor,
        now=now,
        approve=candidate.organization.auto_approve_messages,
    )


def message_redraft(*, message: Message, actor: Actor, now: dt.datetime | None = None) -> bool:
    """Render a draft again from current data (approved feedback, a new template); True if redrafted."""
    now = now or timezone.now()
    if message.status != Status.DRAFT or message.candidate is None:
        return False
    candidate, opening = message.candidate, message.opening
    build: Callable[[], Content]
    if message.kind in (Kind.WARM_REJECTION, Kind.FEEDBACK):
        runner_up = RunnerUp.objects.filter(candidate=candidate, opening=opening).first()
        if runner_up is None:
            raise ValidationError("The runner-up decision behind this message is gone.")
        if message.kind == Kind.WARM_REJECTION:
            build = lambda: contents.warm_rejection_content(runner_up=runner_up, now=now)  # noqa: E731
        else:
            try:
                content = contents.feedback_content(runner_up=runner_up, now=now)
            except NothingToSay as reason:
                raise ValidationError(str(reason)) from None
            build = lambda: content  # noqa: E731
    elif message.kind == Kind.POOL_INVITATION:
        build = lambda: contents.pool_invitation_content(candidate=candidate, now=now)  # noqa: E731
    elif message.kind == Kind.OPENING_INVITATION and opening is not None:
        build = lambda: contents.opening_invitation_content(candidate=candidate, opening=opening, now=now)  # noqa: E731
    elif message.kind in (Kind.CHECK_IN, Kind.CV_UPDATE_INVITATION, Kind.CONSENT_RENEWAL):
        build = lambda: contents.keep_warm_content(kind=message.kind, candidate=candidate, now=now)  # noqa: E731
    else:
        return False
    message_draft(
        kind=message.kind,
        candidate=candidate,
        opening=opening,
        touchpoint=message.touchpoint,
        build=build,
        actor=actor,
        now=now,
        not_before=message.scheduled_at,
    )
    return True


# Review ----------------------------------------------------------------------------------------


def message_approve(*, message: Message, actor: Actor, now: dt.datetime | None = None) -> bool:
    """Approve a draft and schedule it: at its proposed time or now, moved out of quiet hours.

    True if this call approved it (a message approved twice at once is approved once).
    """
    now = now or timezone.now()
    earliest = max(now, message.scheduled_at or now)
    if message.candidate_id is not None:
        organization = Organization.objects.get(pk=message.organization_id)
        earliest = next_send_time(earliest=earliest, organization=organization)
    with transaction.atomic():
        approved = Message.objects.filter(pk=message.pk, status=Status.DRAFT).update(
            status=Status.SCHEDULED,
            approved_by_id=actor.user_id,
            approved_at=now,
            scheduled_at=earliest,
            updated_at=now,
        )
        if not approved:
            return False
        audit_record(
            organization=message.organization_id,
            actor=actor,
            action="message.approved",
            target=message,
            changes=["status", "scheduled_at"],
        )
        if earliest <= now:
            message_send_queue(message_ids=[message.pk])
    message.refresh_from_db()
    return True


def message_approve_many(*, messages: Iterable[Message], actor: Actor, now: dt.datetime | None = None) -> int:
    """Approve the drafts among ``messages``; return how many were approved."""
    now = now or timezone.now()
    return sum(message_approve(message=m, actor=actor, now=now) for m in messages if m.status == Status.DRAFT)


@transaction.atomic
def message_cancel(*, message: Message, actor: Actor, reason: str = "") -> bool:
    """Cancel a message that has not been sent; True if this call cancelled it."""
    cancelled = Message.objects.filter(pk=message.pk, status__in=(*PENDING, Status.FAILED)).update(
        status=Status.CANCELLED, last_error=reason, updated_at=timezone.now()
    )
    if cancelled:
        audit_record(
            organization=message.organization_id,
            actor=actor,
            action="message.cancelled",
            target=message,
            changes=["status"],
        )
    return bool(cancelled)


def message_retry(*, message: Message, actor: Actor, now: dt.datetime | None = None) -> bool:
    """Schedule a failed message again, as if newly approved."""
    now = now or timezone.now()
    with transaction.atomic():
        reset = Message.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.DRAFT, attempts=0, updated_at=now
        )
        if not reset:
            return False
        message.refresh_from_db()
        return message_approve(message=message, actor=actor, now=now)


@transaction.atomic
def message_edit(*, message: Message, actor: Actor, subject: str, body_text: str) -> Message:
    """Let a recruiter reword a draft; its HTML follows the new text."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.DRAFT:
        raise ValidationError("Only a draft can be changed.")
    changed = [
        name
        for name, value in (("subject", subject), ("body_text", body_text))
        if getattr(message, name) != value
    ]
    if not changed:
        return message
    message.subject = " ".join(subject.split())
    message.body_text = body_text.strip() + "\n"
    _, footer_html = contents.footers(
        kind=message.kind, candidate_id=message.candidate_id, language=message.language
    )
    main_text = message.body_text.split("\n--\n")[0]
    message.body_html = render_layout(
        text_to_html(main_text), language=message.language, footer_html=footer_html
    )
    message.save(update_fields=["subject", "body_text", "body_html", "updated_at"])
    audit_record(
        organization=message.organization_id,
        actor=actor,
        action="message.edited",
        target=message,
        changes=changed,
    )
    return message


# Sending -------------------------------------------------------------------------------------


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


def message_send(*, message_id: int, now: dt.datetime | None = None, connection: object = None) -> SendResult:
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
        message_sent_emit(message=message, sent_at=now)
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


def message_send_queue(*, message_ids: list[int]) -> None:
    from talentpool.messaging.tasks import message_send_task

    for message_id in message_ids:
        enqueue_on_commit(message_send_task, message_id=message_id)


def message_due_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Queue due messages again, give up on sends a dead worker left, draft lost rejections.

    Return the ids of the messages queued.
    """
    from talentpool.messaging.tasks import message_send_task, warm_rejection_draft_task

    now = now or timezone.now()
    stale = Message.objects.filter(status=Status.SENDING, updated_at__lt=now - STALE_SENDING)
    stale.update(status=Status.FAILED, last_error=STALE_SENDING_ERROR, updated_at=now)
    due = list(
        Message.objects.filter(status__in=SENDABLE, scheduled_at__lte=now)
        .order_by("scheduled_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        message_send_task.delay(message_id=message_id)
    rejection = Message.objects.filter(
        kind=Kind.WARM_REJECTION, candidate_id=OuterRef("candidate_id"), opening_id=OuterRef("opening_id")
    )
    undrafted = (
        RunnerUp.objects.filter(decided_at__gte=now - dt.timedelta(days=WARM_REJECTION_SWEEP_DAYS))
        .exclude(Exists(rejection))
        .values_list("pk", flat=True)[:200]
    )
    for runner_up_id in undrafted:
        warm_rejection_draft_task.delay(runner_up_id=runner_up_id)
    return due


# Keep warm -----------------------------------------------------------------------------------


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


# Feedback requests -----------------------------------------------------------------------------


def working_days_after(moment: dt.datetime, days: int, *, organization: Organization) -> dt.datetime:
    """``days`` working days (Monday to Friday) after ``moment``, at the end of that day."""
    local = moment.astimezone(organization_zone(organization))
    day = local.date()
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=local.tzinfo).astimezone(dt.UTC)


@transaction.atomic
def feedback_request_create(
    *,
    candidate: Candidate,
    actor: Actor,
    runner_up: RunnerUp | None = None,
    question: str = "",
    now: dt.datetime | None = None,
) -> FeedbackRequest:
    """A candidate asks for feedback; a recruiter owes an answer within the working days set."""
    now = now or timezone.now()
    if runner_up is not None and runner_up.candidate_id != candidate.pk:
        raise ValidationError("The runner-up is another candidate.")
    existing = FeedbackRequest.objects.filter(
        candidate=candidate, runner_up=runner_up, status=FeedbackRequest.Status.OPEN
    ).first()
    if existing is not None:
        return existing  # Asked twice: one request, one due date.
    request = FeedbackRequest.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        runner_up=runner_up,
        question=question.strip(),
        due_at=working_days_after(
            now, settings.FEEDBACK_REQUEST_DUE_WORKING_DAYS, organization=candidate.organization
        ),
    )
    audit_record(
        organization=candidate.organization_id, actor=actor, action="feedback_request.created", target=request
    )
    return request


@transaction.atomic
def feedback_request_close(
    *, request: FeedbackRequest, actor: Actor, status: str, now: dt.datetime | None = None
) -> bool:
    """Mark a request answered (by phone, say) or declined; True if this call closed it."""
    if status not in (FeedbackRequest.Status.ANSWERED, FeedbackRequest.Status.DECLINED):
        raise ValueError(status)
    now = now or timezone.now()
    closed = FeedbackRequest.objects.filter(pk=request.pk, status=FeedbackRequest.Status.OPEN).update(
        status=status, answered_at=now, answered_by_id=actor.user_id, updated_at=now
    )
    if closed:
        audit_record(
            organization=request.organization_id,
            actor=actor,
            action=f"feedback_request.{status.lower()}",
            target=request,
            changes=["status"],
        )
    return bool(closed)
