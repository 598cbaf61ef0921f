from __future__ import annotations

from celery import shared_task

from talentpool.flows.profile import cv_text_extract, cv_text_extract_sweep


# Limits beyond extraction's own: a PDF that hangs one page still cannot hold a worker for long.
@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def cv_text_extract_task(*, cv_file_id: int, sha256: str) -> None:
    cv_text_extract(cv_file_id=cv_file_id, sha256=sha256)


@shared_task(acks_late=True)
def cv_text_extract_sweep_task() -> int:
    """Periodic: queue extraction again for CVs whose task was lost."""
    return cv_text_extract_sweep()
