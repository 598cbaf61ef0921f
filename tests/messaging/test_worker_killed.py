"""Worker pool processes SIGKILLed in the middle of 100 sends: none twice, none lost.

A real worker (``celery worker --pool=prefork -c 2``, a process of its own) sends through a real
SMTP server on a Redis of the test's own, against the test's PostgreSQL database. At two given
messages the server kills the pool processes after reading the message and before answering,
the worst moment: that message arrived and nobody recorded it. The main process starts new pool
processes and gives the killed tasks to them again (``acks_late``); then the sweeper runs as it
would 16 minutes later.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis as redis_client
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from talentpool.core.queueing import task_named
from talentpool.messaging.models import Message
from talentpool.messaging.sending import (
    MESSAGE_SEND_MANY_TASK,
    message_due_sweep,
    message_send_queue,
)
from tests.factories import due_messages
from tests.outages import celery_broker, redis_server
from tests.smtp import Inbox, SmtpServer

logger = logging.getLogger(__name__)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SENDS = 100
KILL_AT = (30, 65)  # the messages at which the pool processes are killed
TEST_BATCH = 25
SWEPT_AT = dt.timedelta(minutes=16)  # past ``STALE_SENDING``: the sweeper judges what is left


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent pid is the second field after the command name (which may hold spaces).
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


class KillingInbox(Inbox):
    """A slow inbox that, at the given messages, SIGKILLs the worker's pool processes (those
    alive then: the main process may not have replaced both yet) once it has read the message and
    before it answers."""

    def __init__(self, *, kill_at: tuple[int, ...]) -> None:
        super().__init__()
        self.kill_at = kill_at
        self.worker_pid = 0
        self.killed: list[int] = []
        self.kills_done = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.01)  # a mail server that takes its time
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.received) in self.kill_at:
            for pid in children_of(self.worker_pid):
                os.kill(pid, signal.SIGKILL)
                self.killed.append(pid)
            if len(self.received) == self.kill_at[-1]:
                self.kills_done.set()
        return reply


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def queue_one_task_each(ids: list[int]) -> None:
    message_send_queue(message_ids=ids)  # as approvals queue them


def queue_batches(ids: list[int]) -> None:
    # As the sweeper queues them, in batch tasks; smaller than BATCH_SIZE so that the two kills
    # fall in different tasks (a task whose process died comes back with nothing to claim).
    for start in range(0, len(ids), TEST_BATCH):
        task_named(MESSAGE_SEND_MANY_TASK).delay(message_ids=ids[start : start + TEST_BATCH])


@pytest.mark.parametrize("queue", [queue_one_task_each, queue_batches], ids=["one task each", "batches"])
def test_pool_processes_killed_mid_batch_send_no_email_twice_and_lose_none(
    settings, tmp_path, organization, queue
):
    # given 100 due messages queued on a Redis of the test's own
    inbox = KillingInbox(kill_at=KILL_AT)
    smtp = SmtpServer()
    smtp.inbox = inbox
    smtp.use(settings)
    smtp.start()
    messages = due_messages(organization, SENDS)
    log = tmp_path / "worker.log"
    with redis_server() as redis, celery_broker(redis.url), log.open("wb") as output:
        queue([m.pk for m in messages])
        broker = redis_client.Redis.from_url(redis.url)

        # when a prefork worker with two pool processes sends them, and they are killed twice
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "talentpool.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "LOG_LEVEL": "WARNING",
        }
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "talentpool", "worker", "--pool=prefork", "-c", "2"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"),
            ],
            cwd=django_settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        inbox.worker_pid = worker.pid
        try:
            assert inbox.kills_done.wait(timeout=60), log.read_text()
            # the tasks of the killed processes go back to the queue and run again: wait until
            # every task was acknowledged
            deadline = time.monotonic() + 60
            while broker.llen("celery") or broker.hlen("unacked"):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
    delivered_by_worker = len(inbox.received)

    # and the sweeper runs once those sends are stale (its sends run in-process)
    with time_machine.travel(timezone.now() + SWEPT_AT, tick=False):
        message_due_sweep()
    smtp.stop()

    # then no email arrived twice, and every message either arrived once and is SENT, or is
    # "may have been sent" (arrived at most once): none FAILED, none left behind
    arrived = Counter(rcpt for _, (rcpt,), _ in inbox.received)
    assert set(arrived.values()) == {1}
    statuses = {m.to_email: Message.objects.get(pk=m.pk).status for m in messages}
    sent = [to for to, status in statuses.items() if status == Message.Status.SENT]
    maybe = [to for to, status in statuses.items() if status == Message.Status.MAYBE_SENT]
    assert len(sent) + len(maybe) == SENDS, Counter(statuses.values())
    assert all(arrived[to] == 1 for to in sent)
    # the two messages the kills came after arrived, unrecorded
    assert sum(arrived[to] for to in maybe) >= len(KILL_AT)
    assert len(inbox.killed) >= len(KILL_AT)
    logger.info(
        "killed %s pool processes; %s delivered by the worker, %s after the sweep; %s sent, "
        "%s may have been sent (%s of them arrived)",
        len(inbox.killed),
        delivered_by_worker,
        len(inbox.received) - delivered_by_worker,
        len(sent),
        len(maybe),
        sum(arrived[to] for to in maybe),
    )
