"""Matching against the demo pool: a new opening finds the past runner-ups for similar roles first."""

from __future__ import annotations

import datetime as dt

import pytest

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.demo.seed import seed_demo
from talentpool.flows.opening import opening_add
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import SIMILAR_ROLE, role_similarity, score_match
from talentpool.matching.services import candidate_facts, opening_match, opening_needs
from talentpool.openings.models import Opening, RunnerUp
from talentpool.search.candidates import candidate_index
from talentpool.skills.profile import PastPlace

NOW = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine"), pytest.mark.clock(NOW)]


def test_a_new_opening_in_the_demo_pool_ranks_past_runner_ups_for_similar_roles_first(
    django_capture_on_commit_callbacks,
):
    # given the demo pool (indexed from the database on first use)
    seed_demo(now=NOW)
    kystlys = Organization.objects.get(slug="kystlys")
    # when a new project manager opening is created
    with django_capture_on_commit_callbacks(execute=True):
        opening = opening_add(
            organization=kystlys,
            actor=Actor.system(),
            data={
                "title": "Projektleder",
                "must_have_skills": ["projektledelse"],
                "nice_to_have_skills": ["agile metoder", "PRINCE2", "interessenthåndtering"],
            },
        )
    # then every alerted past runner-up for a similar role at a late stage has the place among
    # the reasons and ranks above anyone who shows the same and was never a runner-up
    ranked = list(MatchAlert.objects.filter(opening=opening).order_by("-score", "id"))
    assert ranked, "the demo pool has project managers"
    needs = opening_needs(opening)
    similar = {
        runner_up.candidate_id
        for runner_up in RunnerUp.objects.filter(
            candidate__in=Candidate.objects.in_pool(now=NOW).filter(organization=kystlys),
            stage__in=["FINAL_INTERVIEW", "OFFER"],
        ).select_related("opening")
        if role_similarity(needs.role, PastPlace(runner_up.opening.title, runner_up.stage), needs.level)
        >= SIMILAR_ROLE
    }
    alerted_similar = [alert for alert in ranked if alert.candidate_id in similar]
    assert alerted_similar, "the demo data has final-interview runner-ups for project manager roles"
    never = set(
        Candidate.objects.filter(organization=kystlys)
        .exclude(runner_ups__isnull=False)
        .values_list("pk", flat=True)
    )
    for alert in alerted_similar:
        assert any(reason.get("kind") == "runner_up" for reason in alert.reasons)
        facts = candidate_facts(alert.candidate_id, now=NOW)
        assert facts is not None
        facts.profile.history = []
        without_the_place = score_match(needs, facts).score
        assert alert.score > without_the_place
        for other in ranked:
            if other.candidate_id in never and other.score == without_the_place:
                assert ranked.index(alert) < ranked.index(other)


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
