"""Exactly once from the candidate's side, against a real SMTP server (aiosmtpd).

A message records that the mail server was reached just before it hands the message over (SMTP
DATA). What never got that far is sent again; what did, without an answer, may have arrived and
waits for a person to decide.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.contrib.admin import helpers
from django.db import OperationalError, connection
from django.urls import reverse

from integrations.email.sending import deliver
from talentpool.core.models import Membership
from talentpool.messaging import sending
from talentpool.messaging.models import Message
from talentpool.messaging.sending import SendOutcome, message_due_sweep, message_send, message_send_many
from tests.factories import CandidateFactory, MembershipFactory, MessageFactory, UserFactory
from tests.messaging.conftest import TUESDAY_10

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10, tick=False)]


def due_message(organization, **fields) -> Message:
    candidate = CandidateFactory(organization=organization, email="sofie@example.dk")
    defaults = {"status": Message.Status.SCHEDULED, "scheduled_at": TUESDAY_10 - dt.timedelta(minutes=1)}
    return MessageFactory(candidate=candidate, organization=organization, **(defaults | fields))


def test_the_handover_is_recorded_after_the_server_is_reached_and_before_the_message_goes(smtp):
    # given: the server notes, at each step, whether the handover was recorded yet
    seen: list[tuple[str, bool]] = []
    recorded: list[bool] = []
    inbox = smtp.inbox
    original_rcpt, original_data = inbox.handle_RCPT, inbox.handle_DATA

    async def rcpt(*args, **kwargs):
        seen.append(("RCPT", bool(recorded)))
        return await original_rcpt(*args, **kwargs)

    async def data(*args, **kwargs):
        seen.append(("DATA", bool(recorded)))
        return await original_data(*args, **kwargs)

    inbox.handle_RCPT, inbox.handle_DATA = rcpt, data

    # when
    deliver(
        to="sofie@example.dk", subject="Hej", text="Hej Sofie\n", on_handover=lambda: recorded.append(True)
    )

    # then
    assert seen == [("RCPT", False), ("DATA", True)]


def test_nothing_is_handed_over_when_the_handover_cannot_be_recorded(smtp):
    # given
    def database_away() -> None:
        raise OperationalError("the database is away")

    # when / then: the database's error, and no message at the server
    with pytest.raises(OperationalError):
        deliver(to="sofie@example.dk", subject="Hej", text="Hej\n", on_handover=database_away)
    assert smtp.inbox.received == []


def test_a_connection_that_drops_after_the_message_was_handed_over_may_have_sent_it(smtp, kystlys):
    # given: the server reads the message, then drops the connection without an answer
    smtp.inbox.drop_after_data = True
    message = due_message(kystlys)

    # when
    result = message_send(message_id=message.pk)
    queued = message_due_sweep(now=TUESDAY_10 + dt.timedelta(hours=1))

    # then: shown as "may have been sent", and never sent again by itself
    assert result.outcome == SendOutcome.MAYBE_SENT
    message.refresh_from_db()
    assert message.status == Message.Status.MAYBE_SENT
    assert message.handed_over_at == TUESDAY_10
    assert "may or may not have gone out" in message.last_error
    assert queued == []
    assert len(smtp.inbox.received) == 1


def test_a_server_that_answers_data_with_a_temporary_error_is_tried_again_and_sends_once(smtp, kystlys):
    # given
    smtp.inbox.data_reply = "451 4.3.0 Try again later"
    message = due_message(kystlys)

    # when
    first = message_send(message_id=message.pk)
    smtp.inbox.data_reply = ""
    with time_machine.travel(TUESDAY_10 + dt.timedelta(minutes=2), tick=False):
        message_due_sweep()

    # then: the server said it did not take it, so a retry is safe
    assert first.outcome == SendOutcome.RETRY
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 2)
    assert len(smtp.inbox.received) == 1


def test_a_refused_recipient_fails_before_anything_is_handed_over(smtp, kystlys):
    # given
    smtp.inbox.refuse_with = "550 5.1.1 No such user"
    message = due_message(kystlys)

    # when
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.FAILED
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.handed_over_at is None


def test_a_database_error_before_sending_releases_the_claim(smtp, kystlys, monkeypatch):
    # given: the database fails while the links are being made
    message = due_message(kystlys)

    def database_away(**_: object) -> list[str]:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(sending, "magic_links_issue", database_away)

    # when
    with pytest.raises(OperationalError):
        message_send(message_id=message.pk)

    # then: the claim went back as it was, and nothing left
    message.refresh_from_db()
    assert (message.status, message.attempts, message.handed_over_at) == (Message.Status.SCHEDULED, 0, None)
    assert smtp.inbox.received == []

    # when: the database is back
    monkeypatch.undo()
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.SENT
    assert len(smtp.inbox.received) == 1


def test_a_claim_released_by_the_sweeper_is_not_sent_by_the_worker_that_held_it(smtp, kystlys):
    # given: a worker claimed the message as attempt 1, but was taken for dead; another claimed
    # it since (attempt 2)
    message = due_message(kystlys, status=Message.Status.SENDING, attempts=2)
    message.attempts = 1

    # when / then: the first worker's handover is refused
    with pytest.raises(sending.ClaimLost):
        sending._hand_over(message, now=TUESDAY_10)


@pytest.mark.django_db(transaction=True)
def test_the_sent_write_is_tried_again_when_the_database_drops_it(smtp, kystlys, monkeypatch):
    # given: the first write of the outcome fails
    message = due_message(kystlys)
    failures = [OperationalError("the database is away")]
    after_sent = sending._after_sent

    def flaky(messages: list[Message], *, now: dt.datetime) -> None:
        if failures:
            raise failures.pop()
        after_sent(messages, now=now)

    monkeypatch.setattr(sending, "_after_sent", flaky)
    monkeypatch.setattr(sending, "SENT_WRITE_PAUSES", (0.01,))

    # when
    result = message_send(message_id=message.pk)

    # then
    assert result.outcome == SendOutcome.SENT
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(smtp.inbox.received) == 1


def test_sending_again_a_message_that_may_have_been_sent_asks_first(smtp, kystlys, client):
    # given
    recruiter = UserFactory(username="mette", is_staff=True)
    MembershipFactory(user=recruiter, organization=kystlys, role=Membership.Role.ADMIN)
    client.force_login(recruiter)
    message = due_message(kystlys, status=Message.Status.MAYBE_SENT, handed_over_at=TUESDAY_10)
    url = reverse("admin:messaging_message_changelist")
    selected = {"action": "retry", helpers.ACTION_CHECKBOX_NAME: [message.pk]}

    # when
    asked = client.post(url, selected)

    # then: a question, and nothing changed
    assert asked.status_code == 200
    assert 'id="maybe-sent"' in asked.content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.MAYBE_SENT

    # when: confirmed
    client.post(url, {**selected, "resend": "yes"})

    # then
    message.refresh_from_db()
    assert message.status in (Message.Status.SCHEDULED, Message.Status.SENT)
    assert message.handed_over_at is None or message.status == Message.Status.SENT


def due_messages(organization, count: int) -> list[Message]:
    return [
        MessageFactory(
            candidate=CandidateFactory(organization=organization, email=f"person{n}@example.dk"),
            organization=organization,
            status=Message.Status.SCHEDULED,
            scheduled_at=TUESDAY_10 - dt.timedelta(minutes=1),
        )
        for n in range(count)
    ]


def test_a_batch_is_sent_over_one_connection_and_each_message_once(smtp, kystlys):
    # given
    messages = due_messages(kystlys, 30)
    ids = [m.pk for m in messages]

    # when: sent in batches, and then again
    first = message_send_many(message_ids=ids, batch_size=8)
    second = message_send_many(message_ids=ids, batch_size=8)

    # then
    assert {r.outcome for r in first.values()} == {SendOutcome.SENT}
    assert {r.outcome for r in second.values()} == {SendOutcome.SKIPPED}
    recipients = [rcpt for _, (rcpt,), _ in smtp.inbox.received]
    assert sorted(recipients) == sorted(m.to_email for m in messages)
    assert smtp.inbox.sessions == 1
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_a_connection_that_drops_in_a_batch_leaves_only_that_message_maybe_sent(smtp, kystlys):
    # given: the server drops the line after reading the third message
    messages = due_messages(kystlys, 6)
    smtp.inbox.drop_for = {messages[2].to_email}

    # when
    results = message_send_many(message_ids=[m.pk for m in messages])

    # then: that one may have been sent; the others went, over a new connection after it
    assert results[messages[2].pk].outcome == SendOutcome.MAYBE_SENT
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses.pop(messages[2].pk) == Message.Status.MAYBE_SENT
    assert set(statuses.values()) == {Message.Status.SENT}
    assert len(smtp.inbox.received) == 6
    assert smtp.inbox.sessions == 2


def test_a_batch_sent_while_the_server_is_down_is_released_and_sent_once_later(smtp, kystlys):
    # given
    messages = due_messages(kystlys, 5)
    smtp.stop()

    # when
    down = message_send_many(message_ids=[m.pk for m in messages])
    smtp.start()
    with time_machine.travel(TUESDAY_10 + dt.timedelta(minutes=2), tick=False):
        message_due_sweep()
        message_due_sweep()

    # then
    assert {r.outcome for r in down.values()} == {SendOutcome.RETRY}
    assert len(smtp.inbox.received) == 5
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_batch_at_once_send_each_message_once(smtp, kystlys):
    # given
    ids = [m.pk for m in due_messages(kystlys, 40)]
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            message_send_many(message_ids=ids, batch_size=10)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    recipients = [rcpt for _, (rcpt,), _ in smtp.inbox.received]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_a_batch_stopped_by_an_error_records_what_went_and_puts_back_what_was_not_tried(
    smtp, kystlys, monkeypatch
):
    # given: building the third message's headers fails
    messages = due_messages(kystlys, 6)
    headers = sending._headers

    def failing(message: Message) -> dict[str, str]:
        if message.pk == messages[2].pk:
            raise RuntimeError("a bug")
        return headers(message)

    monkeypatch.setattr(sending, "_headers", failing)

    # when
    with pytest.raises(RuntimeError):
        message_send_many(message_ids=[m.pk for m in messages])

    # then: two went and are recorded; the third, never handed over, waits with the rest
    statuses = [Message.objects.get(pk=m.pk).status for m in messages]
    assert statuses == [Message.Status.SENT] * 2 + [Message.Status.SCHEDULED] * 4
    assert len(smtp.inbox.received) == 2
