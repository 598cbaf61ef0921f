from __future__ import annotations

import datetime as dt
import smtplib
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from talentpool.core.actors import Actor
from talentpool.messaging.drafting import feedback_message_draft, message_approve, warm_rejection_draft
from talentpool.messaging.feedback_requests import feedback_request_create
from talentpool.messaging.models import FeedbackRequest, Message
from talentpool.messaging.scheduling import spread_minutes
from talentpool.messaging.sending import STALE_SENDING_ERROR, SendOutcome, message_due_sweep, message_send
from talentpool.messaging.tasks import message_send_task
from talentpool.openings.models import Feedback
from tests.factories import CandidateFactory, MessageFactory
from tests.messaging.backends import FailingBackend, SlowBackend
from tests.messaging.conftest import COPENHAGEN, TUESDAY_10, in_pool

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10)]

SYSTEM = Actor.system()


def scheduled(candidate, **fields) -> Message:
    defaults = {
        "status": Message.Status.SCHEDULED,
        "scheduled_at": TUESDAY_10 - dt.timedelta(minutes=5),
        "language": candidate.language,
    }
    return MessageFactory(candidate=candidate, organization=candidate.organization, **(defaults | fields))


def test_a_message_is_sent_once_when_the_send_task_runs_twice(kystlys, at_tuesday_10):
    # given
    message = scheduled(CandidateFactory(organization=kystlys))

    # when
    first = message_send_task.delay(message_id=message.pk).get()
    second = message_send_task.delay(message_id=message.pk).get()

    # then
    assert (first, second) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.sent_at == TUESDAY_10
    assert message.provider_id == mail.outbox[0].extra_headers["Message-ID"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_once_when_two_workers_run_the_send_task_at_the_same_time(kystlys, settings):
    # given: a slow mail server, and two workers that start together
    settings.EMAIL_BACKEND = "tests.messaging.backends.SlowBackend"
    SlowBackend.sent.clear()
    message = scheduled(CandidateFactory(organization=kystlys), scheduled_at=TUESDAY_10)
    start = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(message_send_task.apply(kwargs={"message_id": message.pk}).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]

    # when
    with time_machine.travel(TUESDAY_10 + dt.timedelta(minutes=1), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # then
    assert sorted(results) == ["sent", "skipped"]
    assert SlowBackend.sent == [message.to_email]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1


def test_a_draft_is_not_sent(kystlys, at_tuesday_10):
    # given
    message = scheduled(CandidateFactory(organization=kystlys), status=Message.Status.DRAFT)

    # when
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.SKIPPED
    assert mail.outbox == []


def test_a_message_due_at_night_waits_for_the_morning(kystlys):
    # given: due at 22:30 on a Tuesday in Copenhagen
    night = dt.datetime(2026, 3, 10, 22, 30, tzinfo=COPENHAGEN)
    message = scheduled(CandidateFactory(organization=kystlys), scheduled_at=night)

    # when the task runs that night
    with time_machine.travel(night, tick=False):
        result = message_send_task.delay(message_id=message.pk).get()

    # then nothing goes out until Wednesday 08:00
    assert result == "deferred"
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.scheduled_at == dt.datetime(2026, 3, 11, 9, 0, tzinfo=COPENHAGEN)
    with time_machine.travel(dt.datetime(2026, 3, 11, 8, 59, tzinfo=COPENHAGEN), tick=False):
        assert message_due_sweep() == []
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, 0, tzinfo=COPENHAGEN), tick=False):
        assert message_due_sweep() == [message.pk]
    assert len(mail.outbox) == 1


def test_a_message_due_on_saturday_goes_out_on_monday(kystlys):
    # given
    saturday = dt.datetime(2026, 3, 14, 11, 0, tzinfo=COPENHAGEN)
    message = scheduled(CandidateFactory(organization=kystlys), scheduled_at=saturday)

    # when
    with time_machine.travel(saturday, tick=False):
        message_send(message_id=message.pk)

    # then
    message.refresh_from_db()
    assert mail.outbox == []
    assert message.scheduled_at == dt.datetime(2026, 3, 16, 9, 0, tzinfo=COPENHAGEN)


def test_approval_at_night_schedules_for_the_morning(kystlys, mette, make_runner_up):
    # given
    runner_up = make_runner_up(decided_at=TUESDAY_10 - dt.timedelta(days=3))
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM, now=TUESDAY_10 - dt.timedelta(days=3))
    night = dt.datetime(2026, 3, 10, 23, 15, tzinfo=COPENHAGEN)

    # when
    with time_machine.travel(night, tick=False):
        message_approve(message=message, actor=Actor.user(mette))

    # then
    assert message.status == Message.Status.SCHEDULED
    assert message.approved_by == mette
    # In the next morning's window, 09:00 to 11:30, at the place its id gives it
    morning = dt.datetime(2026, 3, 11, 9, 0, tzinfo=COPENHAGEN)
    assert message.scheduled_at == morning + dt.timedelta(minutes=spread_minutes(message.pk))
    assert mail.outbox == []


def test_an_approved_message_that_is_due_is_sent_after_commit(
    make_runner_up, mette, at_tuesday_10, django_capture_on_commit_callbacks
):
    # given
    runner_up = make_runner_up(decided_at=TUESDAY_10 - dt.timedelta(days=3))
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=message, actor=Actor.user(mette))

    # then
    assert [m.to for m in mail.outbox] == [[runner_up.candidate.email]]
    sent = mail.outbox[0]
    assert sent.from_email == '"Mette Højgaard, Kystlys A/S" <job@kystlys.example>'
    assert sent.reply_to == ["mette@kystlys.example"]
    assert "List-Unsubscribe" not in sent.extra_headers  # A rejection is not a mailing.
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_server_that_is_down_is_tried_again_later_and_the_error_is_visible(
    kystlys, settings, at_tuesday_10
):
    # given
    settings.EMAIL_BACKEND = "tests.messaging.backends.FailingBackend"
    FailingBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    message = scheduled(CandidateFactory(organization=kystlys))

    # when
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.RETRY
    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert message.attempts == 1
    assert message.scheduled_at == TUESDAY_10 + dt.timedelta(minutes=1)
    assert "Attempt 1 failed" in message.last_error
    assert "Connection unexpectedly closed" in message.last_error


def test_retries_back_off_and_then_give_up(kystlys, settings, at_tuesday_10):
    # given
    settings.EMAIL_BACKEND = "tests.messaging.backends.FailingBackend"
    settings.MESSAGE_MAX_ATTEMPTS = 3
    FailingBackend.error = smtplib.SMTPServerDisconnected("gone")
    message = scheduled(CandidateFactory(organization=kystlys))
    waits = []

    # when
    now = TUESDAY_10
    for _ in range(3):
        result = message_send(message_id=message.pk, now=now)
        if result.retry_at:
            waits.append(result.retry_at - now)
            now = result.retry_at

    # then
    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=5)]
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error.startswith("Gave up after 3 attempts.")


def test_a_refused_address_fails_at_once(kystlys, settings, at_tuesday_10):
    # given
    settings.EMAIL_BACKEND = "tests.messaging.backends.FailingBackend"
    FailingBackend.error = smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"No such user")})
    message = scheduled(CandidateFactory(organization=kystlys))

    # when
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.FAILED
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "The mail server refused the recipient (550)."


def test_a_send_a_dead_worker_left_before_reaching_the_mail_server_is_sent_again(kystlys):
    # given: claimed 20 minutes ago by a worker that died before it reached the mail server
    message = scheduled(CandidateFactory(organization=kystlys), status=Message.Status.SENDING, attempts=1)
    Message.objects.filter(pk=message.pk).update(updated_at=TUESDAY_10 - dt.timedelta(minutes=20))

    # when
    with time_machine.travel(TUESDAY_10, tick=False):
        queued = message_due_sweep()

    # then: released, queued and (eagerly) sent once
    assert queued == [message.pk]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(mail.outbox) == 1


def test_a_send_a_dead_worker_left_after_handing_it_over_may_have_been_sent_and_is_not_sent_again(kystlys):
    # given: claimed 20 minutes ago; the worker had begun handing it to the mail server
    message = scheduled(CandidateFactory(organization=kystlys), status=Message.Status.SENDING, attempts=1)
    Message.objects.filter(pk=message.pk).update(
        updated_at=TUESDAY_10 - dt.timedelta(minutes=20), handed_over_at=TUESDAY_10 - dt.timedelta(minutes=20)
    )

    # when
    with time_machine.travel(TUESDAY_10, tick=False):
        queued = message_due_sweep()

    # then
    assert queued == []
    message.refresh_from_db()
    assert message.status == Message.Status.MAYBE_SENT
    assert message.get_status_display() == "May have been sent"
    assert message.last_error == STALE_SENDING_ERROR
    assert mail.outbox == []


def test_the_sweeper_sends_due_messages_and_leaves_future_ones(kystlys, at_tuesday_10):
    # given
    due = scheduled(CandidateFactory(organization=kystlys))
    later = scheduled(CandidateFactory(organization=kystlys), scheduled_at=TUESDAY_10 + dt.timedelta(hours=2))

    # when
    queued = message_due_sweep()

    # then
    assert queued == [due.pk]
    assert [m.to[0] for m in mail.outbox] == [due.to_email]
    later.refresh_from_db()
    assert later.status == Message.Status.SCHEDULED


def test_the_sweeper_drafts_a_rejection_whose_task_was_lost(make_runner_up, at_tuesday_10):
    # given: a decision recorded while the broker was down
    runner_up = make_runner_up()

    # when
    message_due_sweep()

    # then
    assert (
        Message.objects.filter(kind=Message.Kind.WARM_REJECTION, candidate=runner_up.candidate).count() == 1
    )


def test_a_keep_warm_message_carries_list_unsubscribe(kystlys, at_tuesday_10):
    # given
    candidate = in_pool(CandidateFactory(organization=kystlys))
    message = scheduled(candidate, kind=Message.Kind.CHECK_IN)

    # when
    message_send(message_id=message.pk)

    # then
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe"].startswith("<http")
    assert "/me/stop/" in headers["List-Unsubscribe"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_keep_warm_message_to_someone_who_left_the_pool_is_cancelled_not_sent(kystlys, at_tuesday_10):
    # given: scheduled while in the pool; the consent has run out since
    candidate = in_pool(CandidateFactory(organization=kystlys), until=TUESDAY_10 - dt.timedelta(hours=1))
    message = scheduled(candidate, kind=Message.Kind.CHECK_IN)

    # when
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.CANCELLED
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == Message.Status.CANCELLED
    assert message.last_error == "Not sent: the candidate is no longer in the talent pool."


def test_sending_feedback_marks_it_sent_and_answers_the_candidates_request(
    make_runner_up, mette, at_tuesday_10
):
    # given: the candidate asked for feedback, and the recruiter approves it
    runner_up = make_runner_up(language="en")
    request = feedback_request_create(
        candidate=runner_up.candidate, runner_up=runner_up, actor=Actor.candidate()
    )
    message = feedback_message_draft(runner_up=runner_up, actor=Actor.user(mette))
    message_approve(message=message, actor=Actor.user(mette))

    # when
    message_send(message_id=message.pk)

    # then
    runner_up.feedback.refresh_from_db()
    assert runner_up.feedback.status == Feedback.Status.SENT
    request.refresh_from_db()
    assert request.status == FeedbackRequest.Status.ANSWERED
    assert request.answered_by == mette
    assert request.answered_at == TUESDAY_10


def test_messages_to_recruiters_are_not_held_for_quiet_hours(kystlys, mette):
    # given: a match digest due at night
    night = dt.datetime(2026, 3, 10, 23, 0, tzinfo=COPENHAGEN)
    digest = Message.objects.create(
        organization=kystlys,
        kind=Message.Kind.MATCH_ALERT_DIGEST,
        status=Message.Status.APPROVED,
        recipient_user=mette,
        dedupe_key="digest:1",
        language="da",
        to_email=mette.email,
        subject="2 personer",
        body_text="...",
        scheduled_at=night,
    )

    # when
    with time_machine.travel(night, tick=False):
        result = message_send(message_id=digest.pk)

    # then
    assert result.outcome == SendOutcome.SENT
