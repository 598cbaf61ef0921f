"""Every email leaves from a row: consent requests, new links and digests, against a real SMTP server.

The server (aiosmtpd) is stopped and started again on purpose: what was asked for while it was
down arrives once it is back, exactly once, and the rows never hold a working link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from talentpool.consent.links import magic_links_issue
from talentpool.consent.models import LinkRequest, MagicLink
from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey, Organization
from talentpool.messaging.digests import match_digest_queue
from talentpool.messaging.link_emails import consent_request_send, link_request_sweep
from talentpool.messaging.models import Message
from talentpool.messaging.tasks import message_due_sweep_task
from tests.api.conftest import client_for
from tests.factories import (
    CandidateFactory,
    ConsentTextFactory,
    MatchAlertFactory,
    OpeningFactory,
    RunnerUpFactory,
)
from tests.links import open_link, token_in
from tests.messaging.conftest import TUESDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture
def sofie(kystlys: Organization, mette) -> Any:
    ConsentTextFactory(organization=kystlys, language="da")
    return CandidateFactory(
        organization=kystlys,
        first_name="Sofie",
        last_name="Ærø",
        email="sofie.aero@example.dk",
        language="da",
    )


def sweep_later(traveller: Any, minutes: int) -> None:
    traveller.shift(dt.timedelta(minutes=minutes))
    message_due_sweep_task()


def test_a_consent_request_made_while_the_mail_server_is_down_arrives_once_when_it_is_back(
    smtp, kystlys, sofie, at_tuesday_10, django_capture_on_commit_callbacks
):
    # given: the mail server is down
    smtp.stop()
    api = client_for(kystlys, scope=ApiKey.Scope.WRITE)

    # when: an ATS asks for consent
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/candidates/{sofie.pk}/consent-requests/")

    # then: accepted, stored, tried and waiting for the next attempt
    assert response.status_code == 202
    message = Message.objects.get(kind=Message.Kind.CONSENT_REQUEST, candidate=sofie)
    assert message.status == Message.Status.SCHEDULED
    assert message.attempts == 1
    assert message.handed_over_at is None
    assert smtp.inbox.received == []

    # when: the server is back, and the sweeper runs twice
    smtp.start()
    sweep_later(at_tuesday_10, 2)
    sweep_later(at_tuesday_10, 10)

    # then: it arrived once, with a link that works, which the stored row does not hold
    (received,) = smtp.inbox.messages()
    assert received["To"].addresses[0].addr_spec == "sofie.aero@example.dk"
    token = token_in(received.get_body(("plain",)).get_content())
    assert 'name="intent" value="consent"' in open_link(Client(), token).content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert token not in message.body_text + message.body_html
    assert "/me/link/link-pending-" in message.body_text


def test_a_new_link_asked_for_while_the_mail_server_is_down_arrives_once_when_it_is_back(
    smtp, kystlys, sofie, at_tuesday_10, django_capture_on_commit_callbacks
):
    # given
    smtp.stop()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("candidate-new-link"), {"email": "Sofie.Aero@example.dk"})

    # then: the page says it is on its way; the email waits in a row
    assert response.status_code == 302
    assert not LinkRequest.objects.exists()  # Handled: the address typed is not kept.
    message = Message.objects.get(kind=Message.Kind.MAGIC_LINK, candidate=sofie)
    assert message.status == Message.Status.SCHEDULED

    # when
    smtp.start()
    sweep_later(at_tuesday_10, 2)
    sweep_later(at_tuesday_10, 10)

    # then
    (received,) = smtp.inbox.messages()
    token = token_in(received.get_body(("plain",)).get_content())
    assert open_link(Client(), token).status_code == 200
    assert MagicLink.objects.get(candidate=sofie).scope == MagicLink.Scope.PROFILE


def test_a_new_link_request_whose_task_was_lost_is_handled_by_the_sweeper(
    smtp, kystlys, sofie, at_tuesday_10
):
    # given: the request was stored, but its task never ran (the broker was down): on-commit
    # callbacks do not run inside this test's transaction
    Client().post(reverse("candidate-new-link"), {"email": sofie.email})
    assert LinkRequest.objects.count() == 1
    assert not Message.objects.exists()

    # when
    sweep_later(at_tuesday_10, 2)
    sweep_later(at_tuesday_10, 10)

    # then
    assert not LinkRequest.objects.exists()
    assert len(smtp.inbox.received) == 1


def test_a_new_link_request_left_for_a_day_is_forgotten_unanswered(kystlys, sofie):
    # given
    LinkRequest.objects.create(email=sofie.email, created_at=TUESDAY_10 - dt.timedelta(hours=25))

    # when
    handled = link_request_sweep(now=TUESDAY_10)

    # then
    assert handled == 0
    assert not LinkRequest.objects.exists()
    assert not Message.objects.exists()


def test_a_consent_request_waits_for_the_organizations_sending_time(
    smtp, kystlys, sofie, django_capture_on_commit_callbacks
):
    # given: Tuesday 22:00 in Copenhagen, inside the quiet hours
    evening = TUESDAY_10.replace(hour=22)
    api = client_for(kystlys, scope=ApiKey.Scope.WRITE)

    # when
    with time_machine_at(evening), django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/candidates/{sofie.pk}/consent-requests/")

    # then: stored for the morning, and the link's expiry counts from then
    message = Message.objects.get(kind=Message.Kind.CONSENT_REQUEST)
    assert message.scheduled_at is not None
    assert message.scheduled_at > evening
    assert 9 <= message.scheduled_at.astimezone(evening.tzinfo).hour < 12  # the morning window
    assert response.json()["link_expires_at"].startswith(
        f"{message.scheduled_at + dt.timedelta(days=14):%Y-%m-%d}"
    )
    assert smtp.inbox.received == []


def test_a_new_link_goes_at_once_whatever_the_hour(smtp, kystlys, sofie, django_capture_on_commit_callbacks):
    # given: a Saturday night
    night = dt.datetime(2026, 3, 14, 23, 30, tzinfo=TUESDAY_10.tzinfo)

    # when
    with time_machine_at(night), django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("candidate-new-link"), {"email": sofie.email})

    # then
    assert len(smtp.inbox.received) == 1


def test_the_link_and_digest_emails_are_message_rows_from_the_organization_with_a_reply_to(
    smtp, kystlys, mette, sofie, at_tuesday_10, django_capture_on_commit_callbacks
):
    # given: Sofie was Mette's runner-up; an opening of Mette's has a new match
    RunnerUpFactory(organization=kystlys, candidate=sofie, decided_by=mette)
    opening = OpeningFactory(organization=kystlys, title="Lagerchef")
    opening.recruiters.add(mette)
    alert = MatchAlertFactory(opening=opening, candidate=CandidateFactory(organization=kystlys))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("candidate-new-link"), {"email": sofie.email})
        match_digest_queue(opening=opening, alerts=[alert], now=TUESDAY_10)

    # then: both are rows, sent, from the organization's address with its name, and replyable
    link_message = Message.objects.get(kind=Message.Kind.MAGIC_LINK)
    digest = Message.objects.get(kind=Message.Kind.MATCH_ALERT_DIGEST)
    assert (link_message.status, digest.status) == (Message.Status.SENT, Message.Status.SENT)
    received = {m["To"].addresses[0].addr_spec: m for m in smtp.inbox.messages()}
    to_sofie, to_mette = received["sofie.aero@example.dk"], received["mette@kystlys.example"]
    assert to_sofie["From"].addresses[0].display_name == "Mette Højgaard, Kystlys A/S"
    assert to_sofie["From"].addresses[0].addr_spec == "job@kystlys.example"
    assert str(to_sofie["Reply-To"]) == "mette@kystlys.example"
    assert "Mette Højgaard" in to_sofie.get_body(("plain",)).get_content()
    assert to_mette["From"].addresses[0].display_name == "Kystlys Rekruttering, Kystlys A/S"
    assert to_mette["From"].addresses[0].addr_spec == "job@kystlys.example"
    assert str(to_mette["Reply-To"]) == "job@kystlys.example"
    assert "localhost" not in str(to_mette["From"]) + str(to_sofie["From"])


@pytest.mark.clock(TUESDAY_10)
def test_a_stored_link_email_holds_no_working_link_until_it_is_sent(
    kystlys, sofie, django_capture_on_commit_callbacks
):
    # given: a link email drafted but not sent (the mail server is the console, never reached)
    link = consent_request_send(candidate=sofie, actor=Actor.system(), now=TUESDAY_10)
    message = Message.objects.get(kind=Message.Kind.CONSENT_REQUEST)

    # when: someone tries the link the stored email shows
    placeholder = token_in(message.body_text)
    response = Client().get(reverse("candidate-link", args=[placeholder]))

    # then: it leads nowhere; only sending makes a token, and an earlier one stops working
    assert placeholder == f"link-pending-{link.pk}"
    assert Client().get(response["Location"]).status_code in (404, 410)
    (first,) = magic_links_issue(parts=[message.body_text], candidate_id=sofie.pk, now=TUESDAY_10)
    (second,) = magic_links_issue(parts=[message.body_text], candidate_id=sofie.pk, now=TUESDAY_10)
    assert open_link(Client(), token_in(second)).status_code == 200
    assert Client().get(
        Client().get(reverse("candidate-link", args=[token_in(first)]))["Location"]
    ).status_code in (
        404,
        410,
    )


def time_machine_at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)
