from __future__ import annotations

import datetime as dt

import pytest

from talentpool.embedded_beat import EmbeddedBeat, embedded_beat_wanted
from talentpool.messaging.models import Message
from tests.factories import CandidateFactory, MessageFactory

SCHEDULE = {
    "often": {"task": "tests.often", "schedule": 60.0},
    "hourly": {"task": "tests.hourly", "schedule": 3600.0},
}


def test_each_entry_runs_one_interval_after_start_and_then_at_its_interval():
    beat = EmbeddedBeat(SCHEDULE, now=0.0)
    ran: list[str] = []

    assert beat.tick(59.0, run=ran.append) == []
    assert beat.tick(60.0, run=ran.append) == ["often"]
    assert beat.tick(119.0, run=ran.append) == []
    assert beat.tick(3600.0, run=ran.append) == ["often", "hourly"]
    assert ran == ["tests.often", "tests.often", "tests.hourly"]


def test_a_failing_entry_does_not_stop_the_others():
    beat = EmbeddedBeat(SCHEDULE, now=0.0)
    ran: list[str] = []

    def run(name: str) -> None:
        if name == "tests.often":
            raise RuntimeError("boom")
        ran.append(name)

    assert beat.tick(3600.0, run=run) == ["often", "hourly"]
    assert ran == ["tests.hourly"]


def test_the_embedded_beat_runs_only_without_a_broker(settings):
    settings.EMBEDDED_BEAT, settings.CELERY_TASK_ALWAYS_EAGER = True, True
    assert embedded_beat_wanted()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not embedded_beat_wanted()
    settings.EMBEDDED_BEAT, settings.CELERY_TASK_ALWAYS_EAGER = False, True
    assert not embedded_beat_wanted()


@pytest.mark.django_db
@pytest.mark.clock(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC))
def test_a_tick_sends_an_approved_message_that_has_come_due(settings, mailoutbox):
    # given: a message approved for a moment that has now passed, and the real schedule
    message = MessageFactory(
        candidate=CandidateFactory(),
        status=Message.Status.SCHEDULED,
        scheduled_at=dt.datetime(2026, 3, 10, 8, 59, tzinfo=dt.UTC),
    )
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE, now=0.0)

    # when the minute's sweep runs
    ran = beat.tick(60.0)

    # then
    assert "send-due-messages" in ran
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(mailoutbox) == 1
