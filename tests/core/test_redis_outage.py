"""Redis (broker and cache) killed: requests still answer, and the work they queued happens later.

The test starts a Redis of its own on a free port, points the cache and the Celery broker at it,
kills it, makes requests, starts it again (empty, as after a crash without persistence), and
runs a real Celery worker on it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.celery import app as celery_app
from talentpool.core.cache import failover_reset
from talentpool.core.models import ApiKey
from talentpool.core.queueing import broker_pause_reset
from talentpool.matching.models import MatchAlert
from talentpool.matching.services import candidate_match_sweep
from talentpool.search.candidates import candidate_index, candidate_index_sweep
from talentpool.search.selectors import CandidateQuery, candidate_search
from tests.api.conftest import client_for
from tests.candidates.test_search import pooled
from tests.links import signed_in
from tests.matching.test_services import AARHUS, new_opening
from tests.outages import RedisServer, celery_broker, redis_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_engine")]

LATER = dt.timedelta(minutes=3)  # past the sweepers' grace for work still in the queue


@pytest.fixture
def redis(settings) -> Iterator[RedisServer]:
    with redis_server() as server:
        settings.REDIS_URL = server.url
        settings.CACHES = {
            "default": {
                "BACKEND": "talentpool.core.cache.FailoverRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        failover_reset()
        yield server
    failover_reset()
    broker_pause_reset()


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def test_while_redis_is_down_every_request_answers_and_the_queued_work_happens_once_it_is_back(
    redis, organization
):
    # given Bo in the pool, an open opening he does not fit yet, and clients signed in before
    bo = pooled(organization, first_name="Bo", headline="Bogholder", skills=["bogføring"], **AARHUS)
    opening = new_opening(organization)
    assert not MatchAlert.objects.filter(opening=opening, candidate=bo).exists()
    api = client_for(organization, scope=ApiKey.Scope.WRITE)
    page = signed_in(Client(), bo)
    anonymous = Client()

    with celery_broker(redis.url):
        # when Redis dies
        redis.kill()
        answers = [
            timed(
                api.patch,
                f"/api/v1/candidates/{bo.pk}/",
                {"headline": "IT-projektleder", "skills": ["projektledelse", "PRINCE2 Practitioner"]},
                format="json",
                HTTP_IDEMPOTENCY_KEY="outage-1",
            ),
            timed(api.get, "/api/v1/candidates/"),
            timed(api.get, "/api/v1/search/candidates/", {"text": "bogholder"}),
            timed(page.get, reverse("candidate-home")),
            timed(anonymous.get, reverse("candidate-new-link")),
            timed(anonymous.post, reverse("candidate-new-link"), {"email": "bo@example.dk"}),
            timed(anonymous.get, "/health/"),
        ]

        # then every request answered, none with a 500, none waiting long for Redis
        assert [response.status_code for response, _ in answers] == [200, 200, 200, 200, 200, 302, 503]
        assert answers[-1][0].json()["components"]["broker"]["status"] == "down"
        assert max(took for _, took in answers) < 3.0
        assert Candidate.objects.get(pk=bo.pk).headline == "IT-projektleder"

        # when Redis comes back (empty: what was queued before the crash is gone too)
        redis.start()
        failover_reset()
        broker_pause_reset()
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            started = time.monotonic()
            assert candidate_index_sweep(now=timezone.now() + LATER) == 1
            assert candidate_match_sweep(now=timezone.now() + LATER) == 1
            alerted, found = False, list[int]()
            while time.monotonic() - started < 20 and not (alerted and found):
                time.sleep(0.2)
                alerted = MatchAlert.objects.filter(opening=opening, candidate=bo).exists()
                candidate_index.refresh()
                query = CandidateQuery(text="projektleder")
                found = [
                    h.candidate_id
                    for h in candidate_search(organization_id=organization.pk, query=query).hits
                ]

    # then the index is current and the re-match was made
    assert found == [bo.pk]
    assert alerted
    assert candidate_index_sweep(now=timezone.now() + LATER) == 0
    assert candidate_match_sweep(now=timezone.now() + LATER) == 0


def test_rate_limits_keep_counting_in_memory_while_redis_is_down(redis, caplog):
    # given Redis is down
    redis.kill()
    anonymous = Client()

    # when someone asks for new links for one address again and again
    statuses = [
        anonymous.post(reverse("candidate-new-link"), {"email": "sofie@example.dk"}).status_code
        for _ in range(5)
    ]

    # then the limit still holds (counted in this process's memory), and the log says so
    # without naming the address or the key
    assert statuses == [302, 302, 302, 429, 429]
    lines = [record.getMessage() for record in caplog.records if record.name == "talentpool.core.cache"]
    assert lines == ["cache unavailable; counting in this process's memory"]
    assert "sofie" not in caplog.text
