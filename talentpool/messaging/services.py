"""Sending stored messages: claimed before sending, so a message goes out at most once."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F
from django.utils import timezone

from integrations.email.sending import deliver
from talentpool.core.queueing import enqueue_on_commit
from talentpool.messaging.models import Message

logger = logging.getLogger(__name__)

SENDABLE = (Message.Status.APPROVED, Message.Status.SCHEDULED)


def message_send(*, message_id: int, now: dt.datetime | None = None) -> bool:
    """Send a due, approved message; True if this call sent it.

    The row is claimed (APPROVED/SCHEDULED → SENDING) in one UPDATE before anything is sent, so
    two workers running this for one message send it once.
    """
    now = now or timezone.now()
    claimed = Message.objects.filter(pk=message_id, status__in=SENDABLE, scheduled_at__lte=now).update(
        status=Message.Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = deliver(
            to=message.to_email, subject=message.subject, text=message.body_text, html=message.body_html
        )
    except Exception as error:
        Message.objects.filter(pk=message_id).update(
            status=Message.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:1000]
        )
        logger.warning("message not sent", extra={"message_id": message_id, "error": type(error).__name__})
        raise
    Message.objects.filter(pk=message_id).update(
        status=Message.Status.SENT, sent_at=timezone.now(), provider_id=provider_id, last_error=""
    )
    logger.info("message sent", extra={"message_id": message_id, "kind": message.kind})
    return True


def message_send_queue(*, message_ids: list[int]) -> None:
    from talentpool.messaging.tasks import message_send_task

    for message_id in message_ids:
        enqueue_on_commit(message_send_task, message_id=message_id)
