"""Queued work that was dropped (a broker that was down, a killed worker) is swept up from the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.queueing import task_named
from talentpool.flows.profile import candidate_change
from talentpool.matching.models import MatchAlert
from talentpool.matching.services import candidate_match_sweep
from talentpool.openings.models import Opening
from talentpool.search.candidates import candidate_index, candidate_index_sweep
from talentpool.search.openings import opening_index, opening_index_sweep
from talentpool.search.selectors import CandidateQuery, candidate_search
from tests.matching.test_services import new_opening
from tests.matching.test_services import pool as pool
from tests.outages import celery_broker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

LATER = dt.timedelta(minutes=3)  # past the sweepers' grace for work still in the queue


def found(organization, text: str) -> list[int]:
    candidate_index.refresh()
    result = candidate_search(organization_id=organization.pk, query=CandidateQuery(text=text))
    return [hit.candidate_id for hit in result.hits]


def test_a_change_whose_index_task_was_lost_is_indexed_by_the_sweeper(organization, pool):
    # given a change saved, whose task never ran (the on-commit callbacks are not executed)
    bo = pool["unrelated"]
    candidate_change(candidate=bo, actor=Actor.system(), data={"headline": "Tømrermester"})
    assert found(organization, "tømrermester") == []

    # when the sweeper runs
    queued = candidate_index_sweep(now=timezone.now() + LATER)

    # then the change is indexed, and a second sweep finds nothing left to do
    assert queued == 1
    assert found(organization, "tømrermester") == [bo.pk]
    assert candidate_index_sweep(now=timezone.now() + LATER) == 0


def test_the_index_sweeper_leaves_alone_a_change_that_is_probably_still_queued(organization, pool):
    candidate_change(candidate=pool["unrelated"], actor=Actor.system(), data={"headline": "Tømrermester"})
    assert candidate_index_sweep(now=timezone.now()) == 0


def test_an_opening_whose_index_task_was_lost_is_indexed_by_the_sweeper(organization):
    # given an opening asked to be indexed, whose task was lost
    opening_index.ensure()
    opening = new_opening(organization)
    assert Opening.objects.get(pk=opening.pk).indexed_at is None

    # when
    assert opening_index_sweep(now=timezone.now() + LATER) == 1

    # then
    opening_index.refresh()
    assert opening_index.client.get(index=opening_index.read_alias, id=str(opening.pk))["found"]
    assert Opening.objects.get(pk=opening.pk).indexed_at is not None


def test_a_rematch_lost_after_a_profile_change_is_made_by_the_sweeper(
    organization, pool, django_capture_on_commit_callbacks
):
    # given an open opening, and Bo, who retrains; the re-match task is lost
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization)
    bo = pool["unrelated"]
    candidate_change(
        candidate=bo,
        actor=Actor.candidate(),
        data={"headline": "IT-projektleder", "skills": ["projektledelse", "PRINCE2 Practitioner"]},
    )
    assert not MatchAlert.objects.filter(opening=opening, candidate=bo).exists()
    assert Candidate.objects.get(pk=bo.pk).match_requested_at is not None

    # when the sweeper runs
    queued = candidate_match_sweep(now=timezone.now() + LATER)

    # then the match is made, once
    assert queued == 1
    assert MatchAlert.objects.filter(opening=opening, candidate=bo).count() == 1
    assert candidate_match_sweep(now=timezone.now() + LATER) == 0


def test_a_rematch_that_ran_is_not_swept_again(organization, pool, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(candidate=pool["unrelated"], actor=Actor.candidate(), data={"skills": ["PRINCE2"]})
    bo = Candidate.objects.get(pk=pool["unrelated"].pk)
    assert bo.matched_at is not None
    assert bo.match_requested_at is not None
    assert bo.matched_at >= bo.match_requested_at
    assert candidate_match_sweep(now=timezone.now() + LATER) == 0


def test_every_sweeper_is_in_the_beat_schedule_which_the_embedded_beat_also_runs():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "talentpool.search.tasks.search_index_heal_task",
        "talentpool.search.tasks.candidate_index_sweep_task",
        "talentpool.search.tasks.opening_index_sweep_task",
        "talentpool.search.tasks.candidate_index_reconcile_task",
        "talentpool.matching.tasks.candidate_match_sweep_task",
        "talentpool.matching.tasks.opening_match_sweep_task",
        "talentpool.webhooks.tasks.webhook_delivery_sweep_task",
    } <= scheduled
    for name in scheduled:
        task_named(name)  # each resolves to a task


@pytest.mark.parametrize(
    ("task", "kwargs", "failing"),
    [
        (
            "talentpool.search.tasks.candidate_index_task",
            {"candidate_ids": [1]},
            "talentpool.search.tasks.candidate_index_sync",
        ),
        (
            "talentpool.matching.tasks.candidate_match_task",
            {"candidate_id": 1},
            "talentpool.matching.tasks.candidate_match_run",
        ),
        (
            "talentpool.matching.tasks.opening_match_task",
            {"opening_id": 1},
            "talentpool.matching.tasks.opening_match_run",
        ),
        (
            "talentpool.webhooks.tasks.webhook_deliver_task",
            {"delivery_id": 1},
            "talentpool.webhooks.tasks.webhook_deliver",
        ),
    ],
)
def test_a_task_retries_when_the_database_connection_is_lost(monkeypatch, task, kwargs, failing):
    # given a worker whose database connection was terminated
    def lost(**_kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(failing, lost)
    worker_task = task_named(task)
    worker_task.push_request(
        is_eager=False, called_directly=False, retries=0, id="t-1", args=[], kwargs=kwargs, delivery_info={}
    )
    try:
        # when it runs, then it is retried rather than dropped (the retry goes to a queue nobody reads)
        with celery_broker("memory://"), pytest.raises(Retry):
            worker_task.run(**kwargs)
    finally:
        worker_task.pop_request()
