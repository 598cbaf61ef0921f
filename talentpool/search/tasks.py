"""Index the pool and the open openings: thin tasks over ``talentpool.search``."""

from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from integrations.search.indices import is_unavailable
from talentpool.core.queueing import is_database_unavailable, retry_or_give_up
from talentpool.search.candidates import candidate_index, candidate_index_sweep, candidate_index_sync
from talentpool.search.openings import opening_index, opening_index_sweep, opening_index_sync


def _retryable(error: Exception) -> bool:
    return is_unavailable(error) or is_database_unavailable(error)


@shared_task(bind=True, max_retries=8, acks_late=True)
def candidate_index_task(self: Task, *, candidate_ids: list[int]) -> None:
    try:
        candidate_index_sync(candidate_ids=candidate_ids)
    except Exception as error:
        retry_or_give_up(self, error, retryable=_retryable(error))


@shared_task(acks_late=True)
def candidate_index_reconcile_task() -> dict[str, int]:
    """Periodic: repair missing, stale and orphaned documents."""
    candidate_index.ensure()
    return candidate_index.reconcile()


@shared_task(acks_late=True)
def candidate_index_heal_task() -> dict[str, int] | None:
    """Put back a missing index or alias and fill it from the database (queued when one is found
    missing, and every minute). Does nothing, cheaply, when all is in place."""
    return candidate_index.heal()


@shared_task(acks_late=True)
def candidate_index_sweep_task() -> int:
    """Periodic: queue indexing again for candidates whose indexing task was lost."""
    return candidate_index_sweep()


@shared_task(bind=True, max_retries=8, acks_late=True)
def opening_index_task(self: Task, *, opening_ids: list[int]) -> None:
    try:
        opening_index_sync(opening_ids=opening_ids)
    except Exception as error:
        retry_or_give_up(self, error, retryable=_retryable(error))


@shared_task(acks_late=True)
def opening_index_reconcile_task() -> dict[str, int]:
    """Periodic: repair missing, stale and orphaned documents."""
    opening_index.ensure()
    return opening_index.reconcile()


@shared_task(acks_late=True)
def opening_index_heal_task() -> dict[str, int] | None:
    """Like ``candidate_index_heal_task``, for the openings index."""
    return opening_index.heal()


@shared_task(acks_late=True)
def opening_index_sweep_task() -> int:
    """Periodic: queue indexing again for openings whose indexing task was lost."""
    return opening_index_sweep()


@shared_task(acks_late=True)
def search_index_heal_task() -> dict[str, dict[str, int] | None]:
    """Periodic (every minute): heal both indices, so that search answers again within minutes
    of an engine that came back empty, without anyone running a command."""
    return {"candidates": candidate_index.heal(), "openings": opening_index.heal()}
