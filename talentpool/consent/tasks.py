from __future__ import annotations

from celery import shared_task

from talentpool.flows.retention import retention_run


@shared_task(acks_late=True)
def retention_run_task() -> dict[str, int]:
    """Periodic: expire consent that has run out; erase people kept past their documentation period."""
    result = retention_run()
    return {"expired": result.expired, "erased": result.erased}
