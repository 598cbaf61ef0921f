from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from api.idempotency import idempotency_records_purge
from integrations.ats.base import AtsApiError
from integrations.ats.deliveries import (
    FEEDBACK_MAX_ATTEMPTS,
    delivery_feedback_fetch,
    delivery_feedback_sweep,
)
from talentpool.core.queueing import retry_or_give_up


@shared_task(acks_late=True)
def idempotency_record_purge_task() -> int:
    """Periodic: forget idempotency records past their lifetime (their bodies may hold personal data)."""
    return idempotency_records_purge()


@shared_task(bind=True, max_retries=FEEDBACK_MAX_ATTEMPTS, acks_late=True)
def ats_feedback_fetch_task(self: Task, *, delivery_id: int) -> str:
    """Read the interviewers' feedback for a decision an ATS sent, and add it."""
    try:
        return delivery_feedback_fetch(delivery_id=delivery_id)
    except AtsApiError as error:
        retry_or_give_up(self, error, retryable=True)
        return "retrying"


@shared_task(acks_late=True)
def ats_feedback_sweep_task() -> int:
    """Periodic: fetch again the feedback a lost task left pending."""
    return delivery_feedback_sweep()
