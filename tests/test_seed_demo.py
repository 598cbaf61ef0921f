"""The demo seed. Seeding takes seconds, so the tests share one seeded database (committed once
for this module and removed at its end); each test's own changes are rolled back as usual."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from talentpool.candidates.models import Candidate
from talentpool.celery import app as celery_app
from talentpool.consent.models import ConsentEvent
from talentpool.core.models import Membership, Organization
from talentpool.demo.seed import SeedSummary, ascii_fold, demo_reset, seed_demo
from talentpool.openings.models import FeedbackItem, Opening, RunnerUp

NOW = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
pytestmark = pytest.mark.clock(NOW)
# The demo password is hashed once per run; the default hasher is slow on purpose.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])

Fingerprint = list[tuple[str, str, str, list[str], dt.datetime | None]]


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "openings": Opening.objects.count(),
        "candidates": Candidate.objects.count(),
        "runner_ups": RunnerUp.objects.count(),
        "feedback_items": FeedbackItem.objects.count(),
        "consent_events": ConsentEvent.objects.count(),
    }


def fingerprint() -> Fingerprint:
    rows = Candidate.objects.values_list(
        "organization__slug", "email", "cv_text", "skills", "consent_expires_at"
    )
    return sorted(rows)


@contextmanager
def tasks_queued_not_run() -> Iterator[None]:
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[tuple[SeedSummary, Fingerprint]]:
    # This seed commits, so the services' on-commit tasks (indexing, matching, digests) would
    # run in-process: they go to the in-memory broker instead, where no worker takes them.
    with django_db_blocker.unblock(), FAST_HASHER:
        with tasks_queued_not_run():
            summary = seed_demo(now=NOW)
        yield summary, fingerprint()
        demo_reset()
        User.objects.filter(username="admin").delete()


@pytest.fixture
def summary(seeded: tuple[SeedSummary, Fingerprint], db) -> SeedSummary:
    return seeded[0]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_seed_demo_creates_two_organizations_with_openings_candidates_runner_ups_and_a_pool(
    summary: SeedSummary,
) -> None:
    assert summary.seeded == ("kystlys", "fjallbo")
    assert summary.organizations == 2
    assert summary.openings >= 10
    assert summary.candidates >= 200
    assert summary.runner_ups >= summary.candidates // 3
    assert summary.in_pool > 0
    assert FeedbackItem.objects.filter(kind=FeedbackItem.Kind.STRENGTH).exists()
    assert FeedbackItem.objects.filter(kind=FeedbackItem.Kind.DEVELOPMENT_AREA).exists()
    assert ConsentEvent.objects.values("kind").distinct().count() >= 3


def test_seed_demo_keeps_each_organizations_rows_in_that_organization(summary: SeedSummary) -> None:
    for runner_up in RunnerUp.objects.select_related("candidate", "opening"):
        assert runner_up.candidate.organization_id == runner_up.organization_id
        assert runner_up.opening.organization_id == runner_up.organization_id


def test_seed_demo_backdates_consent_and_puts_only_current_grants_in_the_pool(summary: SeedSummary) -> None:
    assert not ConsentEvent.objects.filter(created_at__gt=NOW).exists()
    assert ConsentEvent.objects.filter(created_at__lt=NOW - dt.timedelta(days=365)).exists()
    for candidate in Candidate.objects.all():
        latest = candidate.consent_events.order_by("created_at", "id").last()
        if candidate.consent_expires_at is None:
            expired = latest is not None and latest.expires_at is not None and latest.expires_at <= NOW
            assert latest is None or not latest.grants or expired
        else:
            assert latest is not None
            assert latest.grants
            assert latest.expires_at == candidate.consent_expires_at


def test_seed_demo_is_idempotent(summary: SeedSummary) -> None:
    # given
    before = counts()

    # when
    again = seed_demo(now=NOW)

    # then
    assert again.seeded == ()
    assert again.skipped == ("kystlys", "fjallbo")
    assert counts() == before


def test_seed_demo_completes_an_organization_that_is_missing(
    seeded: tuple[SeedSummary, Fingerprint], db
) -> None:
    # given
    before = counts()
    Candidate.objects.filter(organization__slug="fjallbo").delete()
    Organization.objects.filter(slug="fjallbo").delete()

    # when
    summary = seed_demo(now=NOW)

    # then
    assert summary.seeded == ("fjallbo",)
    assert counts() == before
    assert fingerprint() == seeded[1]


def test_seed_demo_gives_the_same_data_for_the_same_seed(seeded: tuple[SeedSummary, Fingerprint], db) -> None:
    # given
    demo_reset()

    # when
    seed_demo(now=NOW)

    # then
    assert fingerprint() == seeded[1]


def test_demo_reset_deletes_the_demo_organizations_and_their_users(summary: SeedSummary) -> None:
    # when
    demo_reset()

    # then
    assert not Organization.objects.exists()
    assert not Candidate.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


def test_mette_is_a_recruiter_at_kystlys_only(summary: SeedSummary) -> None:
    mette = User.objects.get(username="mette@kystlys.example")
    assert mette.is_staff
    assert not mette.is_superuser
    assert mette.check_password("talentpool-demo")
    memberships = Membership.objects.filter(user=mette).select_related("organization")
    assert [(m.organization.slug, m.role, m.title) for m in memberships] == [
        ("kystlys", Membership.Role.RECRUITER, "Senior Recruiter")
    ]
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_command_reports_progress_and_counts(summary: SeedSummary) -> None:
    # given
    out = StringIO()

    # when
    call_command("seed_demo", "--reset", "--now", "2026-03-02", stdout=out)
    call_command("seed_demo", stdout=out)

    # then
    output = out.getvalue()
    assert "Kystlys A/S: seeding" in output
    assert "candidates 50/125" in output
    assert "organizations: 2, users: 5, openings: 20, candidates: 250" in output
    assert "demo data already present" in output


def test_ascii_fold_turns_nordic_names_into_email_addresses() -> None:
    assert ascii_fold("Søren") == "soren"
    assert ascii_fold("Østergaard") == "ostergaard"
    assert ascii_fold("Ærenlund") == "aerenlund"
    assert ascii_fold("Åsa Hägglund") == "asahagglund"
    assert ascii_fold("O'Brien") == "obrien"
    assert ascii_fold("Łukaszewicz") == "lukaszewicz"
