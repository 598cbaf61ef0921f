"""Index the pool and the open openings: thin tasks over ``talentpool.search``."""

from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from integrations.search.indices import is_unavailable
from talentpool.core.queueing import retry_or_give_up
from talentpool.search.candidates import candidate_index, candidate_index_sync
from talentpool.search.openings import opening_index, opening_index_sync


@shared_task(bind=True, max_retries=8, acks_late=True)
def candidate_index_task(self: Task, *, candidate_ids: list[int]) -> None:
    try:
        candidate_index_sync(candidate_ids=candidate_ids)
    except Exception as error:
        retry_or_give_up(self, error, retryable=is_unavailable(error))


@shared_task(acks_late=True)
def candidate_index_reconcile_task() -> dict[str, int]:
    """Periodic: repair missing, stale and orphaned documents."""
    candidate_index.ensure()
    return candidate_index.reconcile()


@shared_task(bind=True, max_retries=8, acks_late=True)
def opening_index_task(self: Task, *, opening_ids: list[int]) -> None:
    try:
        opening_index_sync(opening_ids=opening_ids)
    except Exception as error:
        retry_or_give_up(self, error, retryable=is_unavailable(error))


@shared_task(acks_late=True)
def opening_index_reconcile_task() -> dict[str, int]:
    """Periodic: repair missing, stale and orphaned documents."""
    opening_index.ensure()
    return opening_index.reconcile()
