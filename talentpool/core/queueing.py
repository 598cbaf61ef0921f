"""Side effects run after commit: a rolled-back transaction queues nothing."""

from __future__ import annotations

import importlib
import logging
from functools import cache
from typing import Any

from celery.app.task import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits.

    A broker that is down, or a task that fails in-process (eager mode), never fails the write
    that queued it: state in the database drives the work, and the periodic sweepers and
    reconciliation pick up whatever was not done.
    """

    def enqueue() -> None:
        try:
            task.delay(**kwargs)
        except Exception:
            logger.exception("task not queued", extra={"task": task.name})

    transaction.on_commit(enqueue)


@cache
def task_named(name: str) -> Task:
    """The task at a dotted path ("talentpool.search.tasks.candidate_index_task")."""
    module, _, attribute = name.rpartition(".")
    task: Task = getattr(importlib.import_module(module), attribute)
    return task


def enqueue_task_on_commit(name: str, /, **kwargs: Any) -> None:
    """Queue the task at a dotted path once the current transaction commits.

    By name, so that a domain module queues work without importing the tasks, which sit above
    it with the other interfaces (admin, API, pages, commands).
    """
    enqueue_on_commit(task_named(name), **kwargs)


def retry_or_give_up(task: Task, error: Exception, *, retryable: bool, max_countdown: int = 600) -> None:
    """Retry a failed task with exponential backoff, or re-raise what a retry cannot fix.

    In eager mode nobody is there to retry later; the failure is logged and left to the sweepers.
    """
    if not retryable:
        raise error
    if task.request.is_eager:
        logger.warning("task failed in-process", extra={"task": task.name}, exc_info=error)
        return
    raise task.retry(exc=error, countdown=min(max_countdown, 5 * 2**task.request.retries))
