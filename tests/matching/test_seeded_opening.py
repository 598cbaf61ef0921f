"""Matching against the demo pool: a new opening finds the past runner-ups for similar roles first."""

from __future__ import annotations

import datetime as dt

import pytest

from talentpool.candidates.models import Candidate
from talentpool.candidates.search import candidate_index
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.demo.seed import seed_demo
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import title_concepts
from talentpool.matching.services import opening_match
from talentpool.openings.models import Opening, RunnerUp
from talentpool.openings.services import opening_create

NOW = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine"), pytest.mark.clock(NOW)]


def test_a_new_opening_in_the_demo_pool_ranks_past_runner_ups_for_similar_roles_first(
    django_capture_on_commit_callbacks,
):
    # given the demo pool (indexed from the database on first use)
    seed_demo(now=NOW)
    kystlys = Organization.objects.get(slug="kystlys")
    must = ["project_management"]
    nice = ["agile", "prince2", "stakeholder_management"]
    # when a new project manager opening is created
    with django_capture_on_commit_callbacks(execute=True):
        opening = opening_create(
            organization=kystlys,
            actor=Actor.system(),
            data={"title": "Projektleder", "must_have_skills": must, "nice_to_have_skills": nice},
        )
    # then every pooled past runner-up for a similar role, holding the must-haves, is alerted,
    # and they rank above everyone with the same skills who was never a runner-up
    ranked = list(
        MatchAlert.objects.filter(opening=opening)
        .order_by("-score", "id")
        .values_list("candidate_id", "score")
    )
    assert ranked, "the demo pool has project managers"
    wanted = title_concepts(opening.title)
    pooled = Candidate.objects.in_pool().filter(organization=kystlys)
    holders = [c for c in pooled if set(must) <= set(c.skills)]
    similar_runner_ups = {
        r.candidate_id
        for r in RunnerUp.objects.filter(
            candidate__in=holders, stage__in=["FINAL_INTERVIEW", "OFFER"]
        ).select_related("opening")
        if wanted & title_concepts(r.opening.title)
    }
    assert similar_runner_ups, "the demo data has final-interview runner-ups for project manager roles"
    alerted = [candidate_id for candidate_id, _ in ranked]
    assert similar_runner_ups <= set(alerted)
    assert alerted[0] in similar_runner_ups
    skills = {c.pk: frozenset(c.skills) & {*must, *nice} for c in holders}
    never_runner_ups = set(alerted) - set(RunnerUp.objects.values_list("candidate_id", flat=True))
    for runner_up in similar_runner_ups:
        for other in never_runner_ups:
            if skills.get(other) == skills[runner_up]:
                assert alerted.index(runner_up) < alerted.index(other)


def test_the_demo_pool_is_indexed_in_full_and_each_open_opening_was_matched_against_it(
    django_capture_on_commit_callbacks,
):
    # given the demo seeded with its on-commit tasks run in their order, into an index that
    # exists already (so only those tasks fill it), as `make demo` runs them
    candidate_index.ensure()
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(now=NOW)
    # then both organizations' pools are indexed in full
    candidate_index.refresh()
    for organization in Organization.objects.all():
        indexed = candidate_index.client.count(
            index=candidate_index.read_alias, query={"term": {"organization_id": organization.pk}}
        )["count"]
        assert indexed == Candidate.objects.in_pool().filter(organization=organization).count() > 0
    # and matching an open opening again finds nobody new: the seed's own run saw every candidate
    for opening in Opening.objects.open():
        assert opening_match(opening_id=opening.pk) == [], opening.title
    assert MatchAlert.objects.filter(organization__slug="fjallbo").exists()
