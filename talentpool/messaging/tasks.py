from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from talentpool.core.queueing import retry_or_give_up
from talentpool.messaging.services import message_send


@shared_task(bind=True, max_retries=5, acks_late=True)
def message_send_task(self: Task, *, message_id: int) -> None:
    try:
        message_send(message_id=message_id)
    except Exception as error:
        retry_or_give_up(self, error, retryable=isinstance(error, OSError))
