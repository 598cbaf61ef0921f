"""Side effects run after commit: a rolled-back transaction queues nothing."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from celery.app.task import Task
from django.db import transaction

logger = logging.getLogger(__name__)
# Work that waits, in eager mode, until the answer to the current request has gone out.
_request = threading.local()


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits.

    A broker that is down, or a task that fails in-process (eager mode), never fails the write
    that queued it: state in the database drives the work, and the periodic sweepers and
    reconciliation pick up whatever was not done.
    """

    transaction.on_commit(lambda: _enqueue(task, kwargs))


def _enqueue(task: Task, kwargs: dict[str, Any]) -> None:
    try:
        task.delay(**kwargs)
    except Exception:
        logger.exception("task not queued", extra={"task": task.name})


def enqueue_task_after_response(name: str, /, **kwargs: Any) -> None:
    """Queue the task at a dotted path after commit, and never before the answer has gone out.

    With a broker a worker runs it anyway. In eager mode (no broker) a task queued while a request
    is being answered runs once the answer has been sent (when the server closes the response),
    so that what it does, and how long it takes, cannot show in the answer.
    """
    task = task_named(name)

    def enqueue() -> None:
        pending: list[Callable[[], None]] | None = getattr(_request, "after_response", None)
        if pending is not None and task.app.conf.task_always_eager:
            pending.append(lambda: _enqueue(task, kwargs))
        else:
            _enqueue(task, kwargs)

    transaction.on_commit(enqueue)


def request_begun(**_: Any) -> None:
    """``request_started``: work queued from here on may wait for the answer."""
    _request.after_response = []


def request_answered(**_: Any) -> None:
    """``request_finished`` (the response was sent and closed): run what waited for it."""
    pending: list[Callable[[], None]] = getattr(_request, "after_response", None) or []
    _request.after_response = None
    for run in pending:
        run()


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
