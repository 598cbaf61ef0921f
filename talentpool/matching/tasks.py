from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from integrations.search.indices import is_unavailable
from talentpool.core.queueing import is_database_unavailable, retry_or_give_up
from talentpool.flows.opening import opening_match_run
from talentpool.flows.profile import candidate_match_run
from talentpool.matching.services import candidate_match_sweep
from talentpool.openings.models import Opening


def _retryable(error: Exception) -> bool:
    return is_unavailable(error) or is_database_unavailable(error)


@shared_task(bind=True, max_retries=8, acks_late=True)
def opening_match_task(self: Task, *, opening_id: int) -> None:
    try:
        opening_match_run(opening_id=opening_id)
    except Exception as error:
        retry_or_give_up(self, error, retryable=_retryable(error))


@shared_task(bind=True, max_retries=8, acks_late=True)
def candidate_match_task(self: Task, *, candidate_id: int) -> None:
    try:
        candidate_match_run(candidate_id=candidate_id)
    except Exception as error:
        retry_or_give_up(self, error, retryable=_retryable(error))


@shared_task(acks_late=True)
def opening_match_sweep_task() -> int:
    """Periodic: queue open openings never matched (a lost task, or a broker that was down)."""
    ids = list(Opening.objects.open().filter(matched_at__isnull=True).values_list("pk", flat=True)[:500])
    for opening_id in ids:
        opening_match_task.delay(opening_id=opening_id)
    return len(ids)


@shared_task(acks_late=True)
def candidate_match_sweep_task() -> int:
    """Periodic: queue candidates whose re-match after a profile change was never made."""
    return candidate_match_sweep()
