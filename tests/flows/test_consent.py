from __future__ import annotations

import datetime as dt

import pytest

from talentpool.consent.models import ConsentEvent
from talentpool.core.actors import Actor
from talentpool.flows.consent import pool_expire, pool_join, pool_leave
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import Message, TouchpointPlan
from tests.factories import MessageFactory, OpeningFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def test_withdrawal_cancels_pending_keep_warm_mail_and_stops_the_plan(candidate, consent_text):
    # given
    pool_join(candidate=candidate, text=consent_text, actor=Actor.candidate())
    check_in = MessageFactory(candidate=candidate, kind=Message.Kind.CHECK_IN, status=Message.Status.APPROVED)

    # when
    pool_leave(candidate=candidate, actor=Actor.candidate())

    # then
    check_in.refresh_from_db()
    assert check_in.status == Message.Status.CANCELLED
    assert TouchpointPlan.objects.get(candidate=candidate).stopped_at is not None


def test_expiry_cancels_unsent_keep_warm_mail(candidate, consent_text):
    # given
    event = pool_join(candidate=candidate, text=consent_text, actor=Actor.candidate())
    assert event.expires_at is not None
    check_in = MessageFactory(
        candidate=candidate, kind=Message.Kind.CHECK_IN, status=Message.Status.SCHEDULED
    )

    # when
    expired = pool_expire(candidate=candidate, now=event.expires_at + dt.timedelta(minutes=1))

    # then
    assert expired is not None
    assert expired.kind == ConsentEvent.Kind.EXPIRED
    check_in.refresh_from_db()
    assert check_in.status == Message.Status.CANCELLED


def test_joining_the_pool_matches_the_candidate_against_open_openings(
    candidate, consent_text, django_capture_on_commit_callbacks
):
    # given: an opening the candidate fits, opened before they joined
    candidate.headline, candidate.skills = "Elektriker", ["Elinstallation"]
    candidate.save()
    opening = OpeningFactory(
        organization=candidate.organization, title="Elektriker", must_have_skills=["Elinstallation"]
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        pool_join(candidate=candidate, text=consent_text, actor=Actor.candidate())

    # then
    assert MatchAlert.objects.filter(opening=opening, candidate=candidate).exists()
