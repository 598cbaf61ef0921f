from __future__ import annotations

from celery import shared_task

from api.idempotency import idempotency_records_purge


@shared_task(acks_late=True)
def idempotency_record_purge_task() -> int:
    """Periodic: forget idempotency records past their lifetime (their bodies may hold personal data)."""
    return idempotency_records_purge()
