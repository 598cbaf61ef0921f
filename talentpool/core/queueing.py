"""Side effects run after commit: a rolled-back transaction queues nothing.

Queueing never fails or holds up the request that queues: state in the database drives the
work, and the periodic sweepers and reconciliation pick up whatever was not queued. A broker
that cannot be reached is not tried again for ``BROKER_PAUSE_SECONDS`` in this process, so that a
request queueing a hundred tasks during an outage waits for one connection timeout, not a
hundred.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Any

from celery.app.task import Task
from django.db import InterfaceError, OperationalError, transaction

logger = logging.getLogger(__name__)
# Work that waits, in eager mode, until the answer to the current request has gone out.
_request = threading.local()

BROKER_PAUSE_SECONDS = 10.0

_broker_lock = threading.Lock()
_broker_down_until = 0.0


def broker_pause_reset() -> None:
    """Try the broker again at the next enqueue (tests, and a broker known to be back)."""
    global _broker_down_until
    with _broker_lock:
        _broker_down_until = 0.0


def enqueue(task: Task, /, **kwargs: Any) -> bool:
    """Queue ``task`` now; False (and a log line) if it was not queued.

    In eager mode (no broker) the task runs here, and its failure is logged, not raised.
    """
    global _broker_down_until
    eager = bool(task.app.conf.task_always_eager)
    if not eager and time.monotonic() < _broker_down_until:
        logger.warning("task not queued: broker unavailable", extra={"task": task.name})
        return False
    try:
        task.delay(**kwargs)
    except Exception as error:
        if eager:
            logger.exception("task failed in-process", extra={"task": task.name})
        else:
            with _broker_lock:
                _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
            logger.warning(
                "task not queued: broker unavailable",
                extra={"task": task.name, "error": type(error).__name__},
            )
        return False
    return True


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits.

    A broker that is down, or a task that fails in-process (eager mode), never fails the write
    that queued it.
    """
    transaction.on_commit(lambda: enqueue(task, **kwargs))


def enqueue_task_after_response(name: str, /, **kwargs: Any) -> None:
    """Queue the task at a dotted path after commit, and never before the answer has gone out.

    With a broker a worker runs it anyway. In eager mode (no broker) a task queued while a request
    is being answered runs once the answer has been sent (when the server closes the response),
    so that what it does, and how long it takes, cannot show in the answer.
    """
    task = task_named(name)

    def queue_now_or_after_the_answer() -> None:
        pending: list[Callable[[], object]] | None = getattr(_request, "after_response", None)
        if pending is not None and task.app.conf.task_always_eager:
            pending.append(lambda: enqueue(task, **kwargs))
        else:
            enqueue(task, **kwargs)

    transaction.on_commit(queue_now_or_after_the_answer)


def request_begun(**_: Any) -> None:
    """``request_started``: work queued from here on may wait for the answer."""
    _request.after_response = []


def request_answered(**_: Any) -> None:
    """``request_finished`` (the response was sent and closed): run what waited for it."""
    pending: list[Callable[[], object]] = getattr(_request, "after_response", None) or []
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


def enqueue_task(name: str, /, **kwargs: Any) -> bool:
    """Queue the task at a dotted path now (sweepers; work that is not tied to a transaction)."""
    return enqueue(task_named(name), **kwargs)


def is_database_unavailable(error: BaseException) -> bool:
    """A lost or refused database connection: a retry on a fresh connection may succeed."""
    return isinstance(error, OperationalError | InterfaceError)


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
