"""The SMTP path, against a real SMTP server (aiosmtpd) listening on a local port."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller

from integrations.email.sending import DeliveryError, deliver
from talentpool.core.actors import Actor
from talentpool.messaging.drafting import message_approve, warm_rejection_draft
from talentpool.messaging.models import Message
from talentpool.messaging.sending import SendOutcome, message_send
from tests.factories import CandidateFactory, MessageFactory, OpeningFactory, RunnerUpFactory
from tests.messaging.conftest import FEEDBACK, TUESDAY_10, add_feedback, in_pool

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses recipients when told to."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse_with = ""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in self.received]


@pytest.fixture
def smtp_server(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_keep_warm_message_arrives_as_well_formed_multipart_with_list_unsubscribe(
    smtp_server, organization
):
    # given: a check-in in Danish, signed by a recruiter with a non-ASCII name
    candidate = in_pool(CandidateFactory(organization=organization, first_name="Søren", language="da"))
    message = MessageFactory(
        candidate=candidate,
        organization=organization,
        kind=Message.Kind.CHECK_IN,
        status=Message.Status.SCHEDULED,
        scheduled_at=TUESDAY_10 - dt.timedelta(minutes=1),
        subject="Er der nyt siden sidst, Søren?",
        body_text="Kære Søren\n\nEr der nyt hos dig?\n",
        body_html='<!DOCTYPE html><html lang="da"><body><p>Kære Søren</p></body></html>',
        from_email='"Mette Højgaard, Kystlys A/S" <job@kystlys.example>',
        reply_to="mette@kystlys.example",
    )

    # when
    result = message_send(message_id=message.pk, now=TUESDAY_10)

    # then: one message on the wire, exactly as stored
    assert result.outcome == SendOutcome.SENT
    ((mail_from, rcpt_tos, _),) = smtp_server.received
    assert mail_from == "job@kystlys.example"
    assert rcpt_tos == [candidate.email]
    (received,) = smtp_server.messages()
    assert received.get_content_type() == "multipart/alternative"
    plain, rich = received.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert plain.get_content().replace("\r\n", "\n") == "Kære Søren\n\nEr der nyt hos dig?\n"
    assert rich.get_content_type() == "text/html"
    assert "<p>Kære Søren</p>" in rich.get_content()
    assert str(received["Subject"]) == "Er der nyt siden sidst, Søren?"
    assert received["From"].addresses[0].display_name == "Mette Højgaard, Kystlys A/S"
    assert str(received["Reply-To"]) == "mette@kystlys.example"
    unsubscribe = str(received["List-Unsubscribe"]).strip()  # Folded onto its own line: it is long.
    assert unsubscribe.startswith("<http")
    assert unsubscribe.endswith(">")
    assert "/me/stop/" in unsubscribe
    assert str(received["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.provider_id == str(received["Message-ID"])


def test_a_warm_rejection_arrives_without_list_unsubscribe(smtp_server, organization):
    # given: an approved rejection with feedback, due now
    runner_up = RunnerUpFactory(
        opening=OpeningFactory(organization=organization, title="IT-projektleder"),
        candidate=CandidateFactory(organization=organization, language="sv"),
        decided_at=TUESDAY_10 - dt.timedelta(days=3),
    )
    add_feedback(runner_up, **FEEDBACK["sv"])
    with time_machine.travel(TUESDAY_10, tick=False):
        message = warm_rejection_draft(runner_up=runner_up, actor=Actor.system())
        message_approve(message=message, actor=Actor.system())

    # when
    message_send(message_id=message.pk, now=TUESDAY_10)

    # then
    (received,) = smtp_server.messages()
    assert received["List-Unsubscribe"] is None
    assert str(received["Subject"]) == "Din ansökan till tjänsten som IT-projektleder"
    plain = received.get_body(preferencelist=("plain",))
    assert plain is not None
    assert "Din presentation av kampanjplanen var den tydligaste vi såg." in plain.get_content()


def test_a_recipient_the_server_refuses_is_a_failure_a_retry_cannot_fix(smtp_server):
    # given
    smtp_server.refuse_with = "550 5.1.1 No such user"

    # when / then
    with pytest.raises(DeliveryError) as error:
        deliver(to="nobody@example.com", subject="Hej", text="Hej")
    assert not error.value.retryable


def test_a_busy_server_is_a_failure_worth_retrying(smtp_server):
    # given
    smtp_server.refuse_with = "451 4.3.0 Try again later"

    # when / then
    with pytest.raises(DeliveryError) as error:
        deliver(to="somebody@example.com", subject="Hej", text="Hej")
    assert error.value.retryable


def test_a_server_that_is_not_there_is_a_failure_worth_retrying(settings):
    # given: nothing listens on this port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2

    # when / then
    with pytest.raises(DeliveryError) as error:
        deliver(to="somebody@example.com", subject="Hej", text="Hej")
    assert error.value.retryable
    assert "ConnectionRefusedError" in str(error.value)
