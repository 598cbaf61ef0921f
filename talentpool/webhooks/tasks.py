from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from talentpool.core.queueing import is_database_unavailable, retry_or_give_up
from talentpool.webhooks.services import webhook_deliver, webhook_deliveries_due, webhook_retry_delay


@shared_task(bind=True, max_retries=8, acks_late=True)
def webhook_deliver_task(self: Task, *, delivery_id: int) -> bool:
    try:
        delivered = webhook_deliver(delivery_id=delivery_id)
        if not delivered and not self.request.is_eager:
            # Come back when the backoff is over; the sweep would too, only later.
            delay = webhook_retry_delay(delivery_id=delivery_id)
            if delay is not None:
                webhook_deliver_task.apply_async(kwargs={"delivery_id": delivery_id}, countdown=delay)
    except Exception as error:
        # A lost database connection: try again on a fresh one (a claimed delivery waits for its
        # lease to end, so it is never posted twice at once).
        retry_or_give_up(self, error, retryable=is_database_unavailable(error))
        return False
    return delivered


@shared_task(acks_late=True)
def webhook_delivery_sweep_task() -> int:
    """Periodic: post the deliveries that are due (retries, and any whose task was lost)."""
    ids = webhook_deliveries_due()
    for delivery_id in ids:
        webhook_deliver_task.delay(delivery_id=delivery_id)
    return len(ids)
