"""Sending: a message goes out at its time; integrators hear of each one sent to a candidate."""

from __future__ import annotations

import datetime as dt

from talentpool.messaging.models import Message
from talentpool.messaging.sending import SendResult, message_send, message_send_many
from talentpool.webhooks.services import message_sent_emit


def message_deliver(
    *, message_id: int, now: dt.datetime | None = None, connection: object = None
) -> SendResult:
    """Send one message (see ``message_send``); a sent one emits ``message.sent`` in the same commit."""
    return message_send(message_id=message_id, now=now, connection=connection, on_sent=_sent)


def message_deliver_many(*, message_ids: list[int], now: dt.datetime | None = None) -> dict[int, SendResult]:
    """Send messages in batches over one connection (see ``message_send_many``), emitting as above."""
    return message_send_many(message_ids=message_ids, now=now, on_sent=_sent)


def _sent(messages: list[Message], sent_at: dt.datetime) -> None:
    message_sent_emit(messages=messages, sent_at=sent_at)
