"""The periodic sweepers in the embedded default, where there is no broker and no Celery beat.

``make demo`` and ``make run`` start the web server with ``EMBEDDED_BEAT=1``: a daemon thread in
that process runs each entry of ``CELERY_BEAT_SCHEDULE`` at its interval, in-process, so that
approved messages go out at their time, failed webhook deliveries are retried, keep-warm and
retention run. With a broker (``REDIS_URL``) tasks are not eager, Celery beat does this, and
the thread is never started.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from talentpool.core.queueing import task_named

logger = logging.getLogger(__name__)

TICK_SECONDS = 5.0


class EmbeddedBeat:
    """Which entries of a beat schedule are due, and running them."""

    def __init__(self, schedule: Mapping[str, Mapping[str, Any]], *, now: float) -> None:
        self.schedule = schedule
        # The first run of each comes one interval after start-up, as with Celery beat.
        self.next_run = {name: now + float(entry["schedule"]) for name, entry in schedule.items()}

    def due(self, now: float) -> list[str]:
        return [name for name, at in self.next_run.items() if at <= now]

    def tick(self, now: float, run: Callable[[str], object] | None = None) -> list[str]:
        """Run what is due; return the names run. One failing entry does not stop the others."""
        ran = []
        for name in self.due(now):
            entry = self.schedule[name]
            self.next_run[name] = now + float(entry["schedule"])
            try:
                (run or _run_task)(str(entry["task"]))
            except Exception:
                logger.exception("periodic task failed", extra={"entry": name})
            ran.append(name)
        return ran


def _run_task(name: str) -> object:
    return task_named(name).apply().get(propagate=False)


def embedded_beat_wanted() -> bool:
    return bool(settings.EMBEDDED_BEAT and settings.CELERY_TASK_ALWAYS_EAGER)


def embedded_beat_start() -> threading.Thread:
    """Start the beat thread (a daemon: it ends with the server)."""
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE, now=time.monotonic())

    def loop() -> None:
        while True:
            time.sleep(TICK_SECONDS)
            try:
                beat.tick(time.monotonic())
            finally:
                close_old_connections()  # this thread's connection, as a request's would be

    thread = threading.Thread(target=loop, name="embedded-beat", daemon=True)
    thread.start()
    logger.info("embedded beat started", extra={"entries": len(beat.schedule)})
    return thread
