from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from talentpool.candidates.models import Candidate
from talentpool.core.models import Membership, Organization
from talentpool.openings.models import Feedback, FeedbackItem, RunnerUp
from tests.factories import (
    CandidateFactory,
    ConsentEventFactory,
    MembershipFactory,
    OpeningFactory,
    RunnerUpFactory,
    UserFactory,
)
from tests.smtp import SmtpServer

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# A Tuesday morning in Copenhagen: a humane time to send.
TUESDAY_10 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=COPENHAGEN)


@pytest.fixture
def kystlys(organization: Organization) -> Organization:
    organization.sender_name = "Kystlys Rekruttering"
    organization.sender_email = "job@kystlys.example"
    organization.time_zone = "Europe/Copenhagen"
    organization.consent_months = 18
    organization.save()
    return organization


@pytest.fixture
def mette(kystlys: Organization) -> User:
    user = UserFactory(
        username="mette.h",
        first_name="Mette",
        last_name="Højgaard",
        email="mette@kystlys.example",
        is_staff=True,
    )
    MembershipFactory(user=user, organization=kystlys, role=Membership.Role.RECRUITER, title="Talentchef")
    return user


@pytest.fixture
def at_tuesday_10() -> Iterator[Any]:
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


def add_feedback(
    runner_up: RunnerUp,
    *,
    status: str = Feedback.Status.APPROVED,
    share: bool = True,
    strengths: tuple[str, ...] = (),
    development: tuple[tuple[str, str], ...] = (),
    next_steps: tuple[str, ...] = (),
    note: str = "",
) -> Feedback:
    feedback = Feedback.objects.create(
        organization=runner_up.organization,
        runner_up=runner_up,
        status=status,
        share_with_candidate=share,
        free_text=note,
    )
    kind = FeedbackItem.Kind
    items = [
        FeedbackItem(feedback=feedback, kind=kind.STRENGTH, text=t, position=i)
        for i, t in enumerate(strengths)
    ]
    items += [
        FeedbackItem(feedback=feedback, kind=kind.DEVELOPMENT_AREA, category=c, text=t, position=i)
        for i, (c, t) in enumerate(development)
    ]
    items += [
        FeedbackItem(feedback=feedback, kind=kind.NEXT_STEP, text=t, position=i)
        for i, t in enumerate(next_steps)
    ]
    FeedbackItem.objects.bulk_create(items)
    return feedback


FEEDBACK: dict[str, dict[str, Any]] = {
    "da": dict(
        strengths=(
            "Din præsentation af kampagneplanen var den klareste, vi så.",
            "dine skarpe spørgsmål om vores kunder",
        ),
        development=(("EXPERIENCE", "flere års erfaring med den analyseplatform, vi bruger hver dag"),),
        next_steps=("et kursus i Google Analytics 4",),
        note="Vi håber at se dig igen.",
    ),
    "sv": dict(
        strengths=(
            "Din presentation av kampanjplanen var den tydligaste vi såg.",
            "dina skarpa frågor om våra kunder",
        ),
        development=(("EXPERIENCE", "flera års erfarenhet av analysplattformen vi använder varje dag"),),
        next_steps=("en kurs i Google Analytics 4",),
        note="Vi hoppas att få träffa dig igen.",
    ),
    "en": dict(
        strengths=(
            "Your presentation of the campaign plan was the clearest we saw.",
            "your sharp questions about our customers",
        ),
        development=(("EXPERIENCE", "several years with the analytics platform we use every day"),),
        next_steps=("a course in Google Analytics 4",),
        note="We hope to see you again.",
    ),
}


@pytest.fixture
def make_runner_up(kystlys: Organization, mette: User) -> Callable[..., RunnerUp]:
    """A runner-up for an opening of Kystlys, decided by Mette, with approved feedback by default."""

    def make(
        *,
        language: str = "da",
        feedback: str | None = Feedback.Status.APPROVED,
        share: bool = True,
        decided_at: dt.datetime | None = None,
        candidate: Candidate | None = None,
    ) -> RunnerUp:
        opening = OpeningFactory(organization=kystlys, title="IT-projektleder")
        opening.recruiters.add(mette)
        candidate = candidate or CandidateFactory(
            organization=kystlys, first_name="Sofie", last_name="Ærø", language=language
        )
        runner_up = RunnerUpFactory(
            organization=kystlys,
            opening=opening,
            candidate=candidate,
            stage=RunnerUp.Stage.FINAL_INTERVIEW,
            decided_by=mette,
            decided_at=decided_at or TUESDAY_10 - dt.timedelta(days=2),
        )
        if feedback is not None:
            add_feedback(runner_up, status=feedback, share=share, **FEEDBACK[language])
        return runner_up

    return make


def in_pool(candidate: Candidate, *, until: dt.datetime | None = None) -> Candidate:
    """Give ``candidate`` consent (a real event) lasting until ``until``."""
    expires_at = until or TUESDAY_10 + dt.timedelta(days=365)
    ConsentEventFactory(candidate=candidate, organization=candidate.organization, expires_at=expires_at)
    candidate.consent_expires_at = expires_at
    candidate.save(update_fields=["consent_expires_at"])
    return candidate


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) the test can stop and start again; settings point at it."""
    server = SmtpServer()
    server.use(settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()
