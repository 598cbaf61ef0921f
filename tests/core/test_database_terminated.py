"""PostgreSQL connections terminated under a real Celery worker: nothing lost, nothing twice.

Every connection to the test database but the terminating one is ended with
``pg_terminate_backend``, as a database restart or a failover ends them: the worker's in the
middle of its tasks, and the test's own (which stands for the web process). The worker runs on a
Redis of the test's own; email goes to a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.celery import app as celery_app
from talentpool.core.actors import Actor
from talentpool.core.queueing import task_named
from talentpool.flows.profile import candidate_change
from talentpool.matching.models import MatchAlert
from talentpool.matching.services import candidate_match_sweep
from talentpool.messaging.models import Message
from talentpool.messaging.sending import MESSAGE_SEND_MANY_TASK, message_due_sweep, message_send_queue
from talentpool.search.candidates import candidate_index, candidate_index_sweep
from talentpool.search.selectors import CandidateQuery, candidate_search
from tests.candidates.test_search import pooled
from tests.factories import due_messages
from tests.matching.test_services import AARHUS, new_opening
from tests.outages import (
    RedisServer,
    celery_broker,
    database_connections_terminate,
    database_settled,
    redis_server,
)
from tests.smtp import Inbox, SmtpServer

logger = logging.getLogger(__name__)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LATER = dt.timedelta(minutes=3)  # past the sweepers' grace for work still in the queue


class TerminatingInbox(Inbox):
    """An inbox that terminates the database's connections when it is at given SMTP commands:
    at RCPT (the sender is about to record the hand-over) or at DATA (the message has been read,
    the sender waits for the answer and then records it as sent)."""

    def __init__(self, *, at_rcpt: set[int], at_data: set[int]) -> None:
        super().__init__()
        self.at_rcpt, self.at_data = at_rcpt, at_data
        self.rcpts = self.datas = self.terminated = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.rcpts += 1
        if self.rcpts in self.at_rcpt:
            self.terminated += database_connections_terminate()
        return await super().handle_RCPT(server, session, envelope, address, options)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.datas += 1
        if self.datas in self.at_data:
            self.terminated += database_connections_terminate()
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture
def task_outcomes() -> Iterator[Counter[str]]:
    """How many task runs the worker retried and how many failed, by task name."""
    outcomes: Counter[str] = Counter()

    def retried(request: Any = None, **_: Any) -> None:
        outcomes[f"retried {request.task.rsplit('.', 1)[-1]}"] += 1

    def failed(sender: Any = None, **_: Any) -> None:
        outcomes[f"failed {sender.name.rsplit('.', 1)[-1]}"] += 1

    signals.task_retry.connect(retried, weak=False)
    signals.task_failure.connect(failed, weak=False)
    yield outcomes
    signals.task_retry.disconnect(retried)
    signals.task_failure.disconnect(failed)
    connection.close()  # Perhaps terminated: the database's teardown connects afresh.


def test_connections_terminated_during_a_batch_of_sends_lose_no_email_and_send_none_twice(
    settings, redis, organization, task_outcomes
):
    # given 200 due messages, 100 queued one task each (as approvals queue them) and 100 in one
    # task (as the sweeper queues them), and a mail server at which the database's connections
    # are terminated five times: twice just before a hand-over is recorded, three times while
    # the sender waits for the server's answer
    inbox = TerminatingInbox(at_rcpt={10, 60, 170}, at_data={30, 130})
    smtp = SmtpServer()
    smtp.inbox = inbox
    smtp.use(settings)
    smtp.start()
    messages = due_messages(organization, 200)
    ids = [m.pk for m in messages]

    try:
        with celery_broker(redis.url):
            # when the worker sends them
            message_send_queue(message_ids=ids[:100])
            task_named(MESSAGE_SEND_MANY_TASK).delay(message_ids=ids[100:])
            with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                settled = database_settled(
                    lambda: Message.objects.filter(status=Message.Status.SENT).count() == 200
                )
                statuses = Counter(Message.objects.values_list("status", flat=True))
                assert settled, statuses
                # and the sweeper finds nothing left to send
                assert message_due_sweep(now=timezone.now() + LATER) == []
    finally:
        smtp.stop()

    # then every email arrived once, and every message is recorded as sent
    assert inbox.terminated >= 5
    arrived = Counter(rcpt for _, (rcpt,), _ in inbox.received)
    assert set(arrived.values()) == {1}
    assert sorted(arrived) == sorted(m.to_email for m in messages)
    assert not any(outcome.startswith("failed") for outcome in task_outcomes), task_outcomes
    logger.info(
        "terminated %s connections; %s delivered once; %s", inbox.terminated, len(arrived), task_outcomes
    )


def test_connections_terminated_during_profile_updates_leave_every_rematch_made_and_the_index_current(
    redis, organization, search_engine, task_outcomes
):
    # given 40 bookkeepers in the pool and an open opening for an IT project manager, which none
    # of them fits yet
    people = [
        pooled(organization, first_name=f"Person{n}", headline="Bogholder", skills=["bogføring"], **AARHUS)
        for n in range(40)
    ]
    opening = new_opening(organization)
    assert not MatchAlert.objects.filter(opening=opening).exists()
    terminated = refused = 0

    with (
        celery_broker(redis.url),
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        # when each retrains as a project manager, the database's connections terminated
        # after every 8th update, in the middle of the worker's index and match tasks
        for n, person in enumerate(people):
            while True:
                try:
                    with transaction.atomic():
                        candidate = Candidate.objects.get(pk=person.pk)
                        candidate_change(
                            candidate=candidate,
                            actor=Actor.candidate(),
                            data={
                                "headline": "IT-projektleder",
                                "skills": ["projektledelse", "PRINCE2 Practitioner"],
                            },
                        )
                    break
                except DatabaseError:
                    # The request answered 500 and wrote nothing; the person tries again.
                    refused += 1
                    connection.close()
            if n % 8 == 7:
                terminated += database_connections_terminate()

        # then the worker catches up, retrying on fresh connections
        ids = [p.pk for p in people]

        current = Candidate.objects.filter(
            pk__in=ids, indexed_at__gte=F("index_requested_at"), matched_at__gte=F("match_requested_at")
        )
        assert database_settled(lambda: current.count() == len(ids))

    # then every re-match was made, once, and every document is current
    assert terminated >= 5
    alerted = Counter(MatchAlert.objects.filter(opening=opening).values_list("candidate_id", flat=True))
    assert alerted == Counter({p.pk: 1 for p in people})
    candidate_index.refresh()
    result = candidate_search(
        organization_id=organization.pk, query=CandidateQuery(text="projektleder", page_size=50)
    )
    assert sorted(hit.candidate_id for hit in result.hits) == sorted(p.pk for p in people)
    assert candidate_index.reconcile() == {"missing": 0, "stale": 0, "orphaned": 0}
    assert candidate_index_sweep(now=timezone.now() + LATER) == 0
    assert candidate_match_sweep(now=timezone.now() + LATER) == 0
    assert not any(outcome.startswith("failed") for outcome in task_outcomes), task_outcomes
    logger.info("terminated %s connections; %s updates refused; %s", terminated, refused, task_outcomes)
