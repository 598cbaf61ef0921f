"""The asynchronous path: indexing through a real Celery worker on a real Redis broker."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from talentpool.celery import app as celery_app
from talentpool.search.candidates import candidate_index
from talentpool.search.selectors import CandidateQuery, candidate_search
from tests.candidates.test_search import pooled
from tests.factories import OrganizationFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("search_engine"),
]


@pytest.fixture
def celery_worker():
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()  # nothing left over from an earlier run
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    celery_app.conf.task_always_eager = True


def test_a_real_worker_indexes_a_candidate_after_the_consent_commits(celery_worker):
    organization = OrganizationFactory()
    candidate_index.ensure()  # an existing (empty) index, so only the worker can add the document
    candidate = pooled(organization, headline="Projektleder")  # commits: the tasks go to Redis
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        candidate_index.refresh()
        result = candidate_search(organization_id=organization.pk, query=CandidateQuery(text="projektleder"))
        if result.total:
            break
        time.sleep(0.2)
    assert [hit.candidate_id for hit in result.hits] == [candidate.pk]
