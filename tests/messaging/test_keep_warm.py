from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from talentpool.core.actors import Actor
from talentpool.flows.consent import pool_join, pool_leave
from talentpool.messaging.keep_warm import keep_warm_run, keep_warm_stop
from talentpool.messaging.models import Message, TouchpointPlan
from talentpool.messaging.sending import message_due_sweep
from tests.factories import CandidateFactory, ConsentTextFactory, MessageFactory
from tests.messaging.conftest import TUESDAY_10, in_pool

DAY = dt.timedelta(days=1)
# Plans count days in UTC (a day is 24 hours), so the test does too.
T0 = TUESDAY_10.astimezone(dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(T0)]


def run_at(moment: dt.datetime) -> list[Message]:
    """Run the periodic keep-warm task, then the sweeper, at ``moment``."""
    with time_machine.travel(moment, tick=False):
        messages = keep_warm_run()
        message_due_sweep()
    return messages


def kinds(candidate) -> list[str]:
    return list(
        Message.objects.filter(candidate=candidate).order_by("scheduled_at").values_list("kind", flat=True)
    )


@pytest.fixture
def pool_member(kystlys):
    candidate = CandidateFactory(organization=kystlys, first_name="Sofie", language="da")
    return in_pool(candidate, until=T0 + dt.timedelta(days=540))


def test_someone_new_in_the_pool_gets_a_plan_and_a_check_in_after_about_three_months(pool_member):
    # given
    assert run_at(T0) == []
    plan = TouchpointPlan.objects.get(candidate=pool_member)
    assert plan.next_touchpoint == Message.Kind.CHECK_IN
    assert plan.next_due_at == T0 + 90 * DAY

    # when
    assert run_at(T0 + 89 * DAY) == []
    messages = run_at(T0 + 90 * DAY)

    # then: a Danish check-in, approved by the plan and sent
    assert [m.kind for m in messages] == [Message.Kind.CHECK_IN]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Er der nyt siden sidst?"
    assert "/me/stop/" in mail.outbox[0].body
    plan.refresh_from_db()
    assert plan.next_touchpoint == Message.Kind.CV_UPDATE_INVITATION
    assert plan.next_due_at == T0 + 180 * DAY


def test_check_ins_alternate_with_cv_update_invitations(pool_member):
    # when (day 180 is a Sunday: the invitation goes out on Monday, and the next counts from then)
    for day in (0, 90, 180, 181, 270, 272):
        run_at(T0 + day * DAY)

    # then
    assert kinds(pool_member) == ["CHECK_IN", "CV_UPDATE_INVITATION", "CHECK_IN"]


def test_running_the_task_twice_sends_one_message(pool_member):
    # when
    run_at(T0)
    run_at(T0 + 90 * DAY)
    run_at(T0 + 90 * DAY)
    run_at(T0 + 90 * DAY + dt.timedelta(hours=2))

    # then
    assert kinds(pool_member) == ["CHECK_IN"]
    assert len(mail.outbox) == 1


def test_a_renewal_request_goes_out_weeks_before_consent_ends_instead_of_a_check_in(kystlys):
    # given: consent ends in 100 days, so a check-in at 90 days would crowd the renewal at 72
    candidate = in_pool(CandidateFactory(organization=kystlys, language="en"), until=T0 + 100 * DAY)

    # when
    run_at(T0)
    run_at(T0 + 71 * DAY)
    assert kinds(candidate) == []
    run_at(T0 + 72 * DAY)

    # then
    assert kinds(candidate) == ["CONSENT_RENEWAL"]
    message = Message.objects.get(candidate=candidate)
    assert message.touchpoint == f"renewal-{T0 + 100 * DAY:%Y-%m-%d}"
    assert "You are in our talent pool until" in message.body_text
    assert "/me/link/" in message.body_text


def test_no_two_keep_warm_messages_come_closer_than_the_gap(pool_member, settings):
    # given: an opening invitation went out 80 days after joining
    run_at(T0)
    MessageFactory(
        candidate=pool_member,
        organization=pool_member.organization,
        kind=Message.Kind.OPENING_INVITATION,
        status=Message.Status.SENT,
        scheduled_at=T0 + 80 * DAY,
        sent_at=T0 + 80 * DAY,
    )

    # when: the check-in would be due at 90 days
    run_at(T0 + 90 * DAY)

    # then: it waits until 60 days after the invitation... and then the regular interval applies
    assert kinds(pool_member) == ["OPENING_INVITATION"]
    plan = TouchpointPlan.objects.get(candidate=pool_member)
    assert plan.next_due_at == T0 + 170 * DAY
    run_at(T0 + 170 * DAY)
    assert kinds(pool_member) == ["OPENING_INVITATION", "CHECK_IN"]


def test_a_withdrawn_candidate_gets_no_further_keep_warm_mail(pool_member):
    # given: a check-in is planned and one is already scheduled
    run_at(T0)
    pending = MessageFactory(
        candidate=pool_member,
        organization=pool_member.organization,
        kind=Message.Kind.CV_UPDATE_INVITATION,
        status=Message.Status.SCHEDULED,
        scheduled_at=T0 + 30 * DAY,
    )

    # when
    with time_machine.travel(T0 + DAY, tick=False):
        pool_leave(candidate=pool_member, actor=Actor.candidate())
    for day in (30, 90, 180, 270, 360):
        run_at(T0 + day * DAY)

    # then
    assert mail.outbox == []
    pending.refresh_from_db()
    assert pending.status == Message.Status.CANCELLED
    assert not Message.objects.filter(candidate=pool_member).exclude(pk=pending.pk).exists()


def test_keep_warm_resumes_when_a_withdrawn_candidate_consents_again(pool_member):
    # given
    run_at(T0)
    with time_machine.travel(T0 + DAY, tick=False):
        pool_leave(candidate=pool_member, actor=Actor.candidate())
    text = ConsentTextFactory(organization=pool_member.organization, language="da")

    # when: they join again a month later
    with time_machine.travel(T0 + 30 * DAY, tick=False):
        pool_join(candidate=pool_member, text=text, actor=Actor.candidate())
    run_at(T0 + 30 * DAY)
    run_at(T0 + 120 * DAY)

    # then
    assert kinds(pool_member) == ["CHECK_IN"]


def test_a_candidate_who_opted_out_gets_no_keep_warm_mail_even_in_the_pool(pool_member):
    # given
    run_at(T0)

    # when
    keep_warm_stop(candidate=pool_member, actor=Actor.candidate(), opt_out=True)
    for day in (90, 180, 270, 500):
        run_at(T0 + day * DAY)

    # then
    assert kinds(pool_member) == []
    assert mail.outbox == []


def test_someone_outside_the_pool_gets_no_plan(kystlys):
    # given
    candidate = CandidateFactory(organization=kystlys)

    # when
    run_at(T0)

    # then
    assert not TouchpointPlan.objects.filter(candidate=candidate).exists()
