"""Messages drafted in the reader's language and reviewed.

One row per (candidate, kind, opening or touchpoint), so a retry never drafts or sends twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.email.rendering import render_layout, text_to_html
from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent, Organization
from talentpool.core.queueing import enqueue_task_on_commit
from talentpool.core.services import audit_record
from talentpool.messaging import content as contents
from talentpool.messaging.content import Content, NothingToSay
from talentpool.messaging.models import IMMEDIATE_KINDS, Message, MessageTemplate
from talentpool.messaging.placeholders import template_errors
from talentpool.messaging.scheduling import next_send_time
from talentpool.messaging.selectors import opted_out, rejection_feedback_is_draft, withdrew_consent
from talentpool.messaging.sending import WARM_REJECTION_DRAFT_TASK, message_send_queue
from talentpool.openings.models import Opening, RunnerUp

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

Kind = Message.Kind
Status = Message.Status
PENDING = (Status.DRAFT, Status.APPROVED, Status.SCHEDULED)


class FeedbackStillDraft(ValidationError):
    """Approving this rejection would send it without the feedback a recruiter is still writing."""

    def __init__(self) -> None:
        super().__init__(
            "The runner-up's feedback is still a draft: approve the feedback first (the rejection is "
            "then drafted again with it), or confirm that the rejection goes without it.",
            code="feedback_draft",
        )


def dedupe_key(*, kind: str, candidate_id: int, opening_id: int | None = None, touchpoint: str = "") -> str:
    """One message per (candidate, kind, opening or touchpoint): a retry finds the same row."""
    return f"{kind}:{candidate_id}:{opening_id or ''}:{touchpoint}"


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
        "scheduled_at": next_send_time(
            earliest=max(now, not_before or now),
            organization=organization,
            spread_key=existing.pk if existing is not None else candidate.pk,
        ),
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
        # The organization approves automatically: it chose not to wait for feedback.
        message_approve(message=message, actor=Actor.system(), now=now, feedback_draft_confirmed=True)
    return message


def warm_rejection_draft(*, runner_up: RunnerUp, actor: Actor, now: dt.datetime | None = None) -> Message:
    """Draft the warm rejection for a runner-up, in their language, to go out after the delay."""
    now = now or timezone.now()
    runner_up = RunnerUp.objects.select_related("candidate__organization", "opening", "organization").get(
        pk=runner_up.pk
    )
    organization = runner_up.organization
    delay = dt.timedelta(hours=organization.rejection_delay_hours)
    not_before = max(runner_up.decided_at + delay, runner_up.notify_not_before or runner_up.decided_at)
    return message_draft(
        kind=Kind.WARM_REJECTION,
        candidate=runner_up.candidate,
        opening=runner_up.opening,
        build=lambda: contents.warm_rejection_content(runner_up=runner_up, now=now),
        actor=actor,
        now=now,
        not_before=not_before,
        approve=organization.auto_approve_messages,
    )


def warm_rejection_draft_queue(*, runner_up_id: int) -> None:
    enqueue_task_on_commit(WARM_REJECTION_DRAFT_TASK, runner_up_id=runner_up_id)


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


def warm_rejection_redraft(*, runner_up: RunnerUp, actor: Actor, now: dt.datetime | None = None) -> bool:
    """Draft a runner-up's warm rejection again if it is still a draft; True if it was.

    A draft a recruiter has reworded by hand keeps their words (their "Redraft" button still
    renders it again).
    """
    draft = Message.objects.filter(
        kind=Kind.WARM_REJECTION,
        candidate_id=runner_up.candidate_id,
        opening_id=runner_up.opening_id,
        status=Status.DRAFT,
    ).first()
    if draft is None or message_edited_by_hand(draft):
        return False
    return message_redraft(message=draft, actor=actor, now=now)


def message_edited_by_hand(message: Message) -> bool:
    return AuditEvent.objects.filter(
        action="message.edited", target_type="messaging.message", target_id=message.pk
    ).exists()


# Review ----------------------------------------------------------------------------------------


def message_approve(
    *, message: Message, actor: Actor, now: dt.datetime | None = None, feedback_draft_confirmed: bool = False
) -> bool:
    """Approve a draft and schedule it: at its proposed time or now, moved out of quiet hours.

    True if this call approved it (a message approved twice at once is approved once). A warm
    rejection whose feedback is still a draft raises ``FeedbackStillDraft`` unless
    ``feedback_draft_confirmed``.
    """
    now = now or timezone.now()
    if (
        not feedback_draft_confirmed
        and message.status == Status.DRAFT
        and rejection_feedback_is_draft(message)
    ):
        raise FeedbackStillDraft
    earliest = max(now, message.scheduled_at or now)
    if message.candidate_id is not None and message.kind not in IMMEDIATE_KINDS:
        organization = Organization.objects.get(pk=message.organization_id)
        earliest = next_send_time(earliest=earliest, organization=organization, spread_key=message.pk)
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


def message_approve_many(
    *,
    messages: Iterable[Message],
    actor: Actor,
    now: dt.datetime | None = None,
    feedback_draft_confirmed: bool = False,
) -> int:
    """Approve the drafts among ``messages``; return how many were approved.

    Unless ``feedback_draft_confirmed``, rejections whose feedback is still a draft are left.
    """
    now = now or timezone.now()
    approved = 0
    for message in messages:
        if message.status != Status.DRAFT:
            continue
        try:
            approved += message_approve(
                message=message, actor=actor, now=now, feedback_draft_confirmed=feedback_draft_confirmed
            )
        except FeedbackStillDraft:
            continue
    return approved


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


def message_retry(
    *, message: Message, actor: Actor, now: dt.datetime | None = None, resend: bool = False
) -> bool:
    """Schedule a failed message again, as if newly approved.

    One that may have been sent (MAYBE_SENT) is sent again only with ``resend``: someone checked
    that it did not arrive, or decided a second copy is better than none.
    """
    now = now or timezone.now()
    retryable = [Status.FAILED, Status.MAYBE_SENT] if resend else [Status.FAILED]
    with transaction.atomic():
        reset = Message.objects.filter(pk=message.pk, status__in=retryable).update(
            status=Status.DRAFT, attempts=0, handed_over_at=None, updated_at=now
        )
        if not reset:
            return False
        message.refresh_from_db()
        return message_approve(message=message, actor=actor, now=now, feedback_draft_confirmed=True)


@transaction.atomic
def message_edit(*, message: Message, actor: Actor, subject: str, body_text: str) -> Message:
    """Let a recruiter reword a draft; its HTML follows the new text."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.DRAFT:
        raise ValidationError("Only a draft can be changed.")
    subject, body_text = " ".join(subject.split()), body_text.strip() + "\n"
    changed = [
        name
        for name, value in (("subject", subject), ("body_text", body_text))
        if getattr(message, name).replace("\r\n", "\n") != value.replace("\r\n", "\n")
    ]
    if not changed:
        return message
    message.subject, message.body_text = subject, body_text
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


@transaction.atomic
def message_template_save(*, template: MessageTemplate, actor: Actor) -> MessageTemplate:
    """Save an organization's wording for a kind of message in a language.

    Its placeholders are checked first (``ValidationError`` per field): a template may use only
    the placeholders its kind offers, and no tags that reach beyond them.
    """
    errors = template_errors(
        kind=template.kind, subject=template.subject, text=template.text, html=template.html
    )
    if errors:
        raise ValidationError(errors)
    created = template.pk is None
    template.full_clean()
    template.save()
    audit_record(
        organization=template.organization_id,
        actor=actor,
        action="message_template.created" if created else "message_template.updated",
        target=template,
        changes=["subject", "text", "html"],
    )
    return template
