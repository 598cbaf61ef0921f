from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from talentpool.consent.requests import magic_link_email_send, magic_link_request
from talentpool.core.queueing import retry_or_give_up
from talentpool.flows.retention import retention_run


@shared_task(acks_late=True)
def retention_run_task() -> dict[str, int]:
    """Periodic: expire consent that has run out; erase people kept past their documentation period."""
    result = retention_run()
    return {"expired": result.expired, "erased": result.erased}


@shared_task(bind=True, max_retries=5, acks_late=True)
def magic_link_email_task(self: Task, *, magic_link_id: int, token: str) -> None:
    try:
        magic_link_email_send(magic_link_id=magic_link_id, token=token)
    except Exception as error:
        retry_or_give_up(self, error, retryable=isinstance(error, OSError))


# Not acknowledged late: sending a second new link after a worker crash helps nobody.
@shared_task(bind=True, max_retries=3, acks_late=False)
def magic_link_request_task(self: Task, *, email: str) -> None:
    try:
        magic_link_request(email=email)
    except Exception as error:
        retry_or_give_up(self, error, retryable=isinstance(error, OSError))
