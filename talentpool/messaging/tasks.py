from __future__ import annotations

from celery import shared_task
from celery.app.task import Task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from talentpool.core.actors import Actor
from talentpool.core.queueing import retry_or_give_up
from talentpool.flows.sending import message_deliver, message_deliver_many
from talentpool.messaging.drafting import warm_rejection_draft
from talentpool.messaging.keep_warm import keep_warm_run
from talentpool.messaging.link_emails import link_request_handle, link_request_sweep
from talentpool.messaging.sending import SendOutcome, message_due_sweep
from talentpool.openings.models import RunnerUp

# A database that is briefly away (a restart, a dropped connection): trying again helps.
DATABASE_AWAY = (OperationalError, InterfaceError)


@shared_task(bind=True, max_retries=None, acks_late=True)
def message_send_task(self: Task, *, message_id: int) -> str:
    """Send one message. The row holds the attempts and the next try; this only makes it sooner.

    A mail server that could not take it has scheduled the row again (``SendOutcome.RETRY``);
    a database error released the claim. Either way the task tries again, and the sweeper
    would too.
    """
    try:
        result = message_deliver(message_id=message_id)
    except DATABASE_AWAY as error:
        retry_or_give_up(self, error, retryable=True, max_countdown=300)
        return "retry"
    if result.outcome == SendOutcome.RETRY and result.retry_at and not self.request.is_eager:
        countdown = max(1, int((result.retry_at - timezone.now()).total_seconds()) + 1)
        raise self.retry(countdown=countdown)
    return str(result.outcome)


@shared_task(bind=True, max_retries=None, acks_late=True)
def message_send_many_task(self: Task, *, message_ids: list[int]) -> int:
    """Send due messages over one connection; return how many went. The sweeper queues these.

    Those the mail server could not take are scheduled again in their rows, for the sweeper.
    """
    try:
        results = message_deliver_many(message_ids=message_ids)
    except DATABASE_AWAY as error:
        retry_or_give_up(self, error, retryable=True, max_countdown=300)
        return 0
    return sum(1 for result in results.values() if result.outcome == SendOutcome.SENT)


@shared_task(bind=True, max_retries=8, acks_late=True)
def link_request_task(self: Task, *, link_request_id: int) -> int:
    """Look up the address of a new-link request and write the link emails (see link_emails)."""
    try:
        return link_request_handle(link_request_id=link_request_id)
    except DATABASE_AWAY as error:
        retry_or_give_up(self, error, retryable=True, max_countdown=300)
        return 0


@shared_task(acks_late=True)
def warm_rejection_draft_task(*, runner_up_id: int) -> None:
    runner_up = RunnerUp.objects.filter(pk=runner_up_id).first()
    if runner_up is not None:
        warm_rejection_draft(runner_up=runner_up, actor=Actor.system())


@shared_task(acks_late=True)
def message_due_sweep_task() -> int:
    """Periodic: handle lost new-link requests, queue due messages (a lost task, a retry, a
    broker that was down) and release sends a dead worker left before reaching the mail server."""
    link_request_sweep()
    return len(message_due_sweep())


@shared_task(acks_late=True)
def keep_warm_task() -> int:
    """Periodic: plan and send due check-ins, CV-update invitations and consent renewals."""
    return len(keep_warm_run())
