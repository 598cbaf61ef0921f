from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from standardwebhooks import Webhook

from talentpool.core.actors import Actor
from talentpool.flows.consent import pool_join, pool_leave
from talentpool.flows.opening import matches_announce
from talentpool.flows.profile import candidate_change
from talentpool.flows.sending import message_deliver, message_deliver_many
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import Message
from talentpool.webhooks.models import WebhookDelivery, WebhookEndpoint
from talentpool.webhooks.services import (
    BACKOFF_SECONDS,
    MAX_ATTEMPTS,
    webhook_deliver,
    webhook_deliveries_due,
    webhook_endpoint_create,
    webhook_event_emit,
)
from talentpool.webhooks.signing import sign, verify
from talentpool.webhooks.tasks import webhook_delivery_sweep_task
from tests.factories import CandidateFactory, ConsentTextFactory, MessageFactory, OpeningFactory

NOW = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def endpoint(organization, receiver) -> WebhookEndpoint:
    return webhook_endpoint_create(organization=organization, actor=Actor.system(), url=receiver.url)


def test_an_event_is_posted_signed_per_standard_webhooks(
    organization, endpoint, receiver, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_emit(
            organization_id=organization.pk, event_type="message.sent", payload={"message_id": 7}
        )

    # then: the reference implementation accepts the signature
    [(headers, body)] = receiver.received
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "message.sent"
    assert payload["data"] == {"message_id": 7}
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["content-type"] == "application/json"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("SUCCEEDED", 1, 204)
    assert headers["webhook-id"] == f"msg_{delivery.event_id.hex}"


def test_a_tampered_body_does_not_verify(endpoint):
    body = b'{"type":"candidate.updated"}'
    headers = {"webhook-id": "msg_1", "webhook-timestamp": "1700000000"}
    headers["webhook-signature"] = sign(
        secret=endpoint.secret, message_id="msg_1", timestamp=1700000000, body=body
    )

    assert verify(secret=endpoint.secret, headers=headers, body=body)
    assert not verify(secret=endpoint.secret, headers=headers, body=body.replace(b"updated", b"deleted"))


def test_endpoints_get_only_the_events_they_asked_for(organization, receiver):
    webhook_endpoint_create(
        organization=organization, actor=Actor.system(), url=receiver.url, events=["consent.granted"]
    )

    assert (
        webhook_event_emit(organization_id=organization.pk, event_type="candidate.updated", payload={}) == []
    )
    assert (
        len(webhook_event_emit(organization_id=organization.pk, event_type="consent.granted", payload={}))
        == 1
    )


def test_another_organizations_endpoints_hear_nothing(other_organization, endpoint):
    assert (
        webhook_event_emit(organization_id=other_organization.pk, event_type="candidate.updated", payload={})
        == []
    )


def test_a_failed_delivery_is_retried_with_backoff_until_it_succeeds(organization, endpoint, receiver):
    receiver.statuses = [500, 503]
    [delivery] = webhook_event_emit(
        organization_id=organization.pk, event_type="candidate.updated", payload={}, now=NOW
    )

    assert webhook_deliver(delivery_id=delivery.pk, now=NOW) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("PENDING", 1, 500)
    assert delivery.next_attempt_at == NOW + dt.timedelta(seconds=BACKOFF_SECONDS[0])
    # Not due before its backoff is over.
    assert webhook_deliver(delivery_id=delivery.pk, now=NOW + dt.timedelta(seconds=1)) is False
    assert len(receiver.received) == 1

    second = NOW + dt.timedelta(seconds=BACKOFF_SECONDS[0])
    assert webhook_deliver(delivery_id=delivery.pk, now=second) is False
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == second + dt.timedelta(seconds=BACKOFF_SECONDS[1])

    third = second + dt.timedelta(seconds=BACKOFF_SECONDS[1])
    assert webhook_deliver(delivery_id=delivery.pk, now=third) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("SUCCEEDED", 3)
    # Every attempt posts the same bytes with the same id.
    assert len({body for _headers, body in receiver.received}) == 1
    assert len({headers["webhook-id"] for headers, _body in receiver.received}) == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_delivery_fails_for_good_after_the_last_attempt(organization, endpoint, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 1000
    receiver.statuses = [500] * MAX_ATTEMPTS
    [delivery] = webhook_event_emit(
        organization_id=organization.pk, event_type="candidate.updated", payload={}, now=NOW
    )

    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        webhook_deliver(delivery_id=delivery.pk, now=moment)
        moment += dt.timedelta(days=2)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("FAILED", MAX_ATTEMPTS, None)


def test_an_endpoint_is_disabled_after_repeated_failures(organization, endpoint, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.statuses = [500] * 3
    deliveries = [
        webhook_event_emit(
            organization_id=organization.pk, event_type="candidate.updated", payload={"n": n}, now=NOW
        )[0]
        for n in range(4)
    ]

    results = [webhook_deliver(delivery_id=delivery.pk, now=NOW) for delivery in deliveries]

    endpoint.refresh_from_db()
    assert results == [False, False, False, False]
    assert len(receiver.received) == 3  # the fourth was never posted: the endpoint was disabled
    assert (endpoint.is_active, endpoint.consecutive_failures) == (False, 3)
    assert endpoint.disabled_at is not None
    assert webhook_deliveries_due(now=NOW + dt.timedelta(days=1)) == []


def test_an_unreachable_endpoint_counts_as_a_failure(organization):
    endpoint = webhook_endpoint_create(
        organization=organization, actor=Actor.system(), url="http://127.0.0.1:9/"
    )
    [delivery] = webhook_event_emit(
        organization_id=organization.pk, event_type="candidate.updated", payload={}, now=NOW
    )

    assert webhook_deliver(delivery_id=delivery.pk, now=NOW) is False
    delivery.refresh_from_db()
    assert delivery.response_status is None
    assert "Error" in delivery.response_body
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1


def test_the_sweep_posts_due_deliveries(organization, endpoint, receiver):
    webhook_event_emit(organization_id=organization.pk, event_type="candidate.updated", payload={})

    assert webhook_delivery_sweep_task() == 1
    assert len(receiver.received) == 1
    assert webhook_delivery_sweep_task() == 0


def test_a_rolled_back_write_sends_nothing(
    organization, endpoint, receiver, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        webhook_event_emit(organization_id=organization.pk, event_type="candidate.updated", payload={})
        raise RuntimeError("the write failed")

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def events(receiver) -> list[dict]:
    return [json.loads(body) for _headers, body in receiver.received]


def test_candidate_updates_emit_candidate_updated(
    organization, endpoint, receiver, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(organization=organization, source="lever", external_id="c-1")

    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(
            candidate=candidate, actor=Actor.system(), data={"headline": "Elektriker", "phone": "+45"}
        )

    [event] = events(receiver)
    assert event["type"] == "candidate.updated"
    assert event["data"] == {
        "candidate": {"id": candidate.pk, "source": "lever", "external_id": "c-1"},
        "changed": ["headline", "phone"],
    }


@time_machine.travel(NOW, tick=False)
def test_consent_grant_and_withdrawal_emit_events(
    organization, endpoint, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("talentpool.search.tasks.candidate_index_task.delay", lambda **kw: None)
    monkeypatch.setattr("talentpool.matching.tasks.candidate_match_task.delay", lambda **kw: None)
    candidate = CandidateFactory(organization=organization)
    text = ConsentTextFactory(organization=organization)

    with django_capture_on_commit_callbacks(execute=True):
        pool_join(candidate=candidate, text=text, actor=Actor.candidate())
    with django_capture_on_commit_callbacks(execute=True):
        pool_leave(candidate=candidate, actor=Actor.candidate())

    granted, withdrawn = events(receiver)
    assert granted["type"] == "consent.granted"
    assert granted["data"]["consent"]["kind"] == "GRANTED"
    assert granted["data"]["consent"]["expires_at"].startswith("2026-03-04T09:30:00")
    assert withdrawn["type"] == "consent.withdrawn"
    assert withdrawn["data"]["candidate"]["id"] == candidate.pk


def test_new_match_alerts_emit_match_created(
    organization, endpoint, receiver, django_capture_on_commit_callbacks
):
    # given a new alert
    opening = OpeningFactory(organization=organization)
    candidate = CandidateFactory(organization=organization, consent_expires_at=NOW + dt.timedelta(days=300))
    alert = MatchAlert.objects.create(
        organization=organization, opening=opening, candidate=candidate, score=0.9, reasons=["Has PRINCE2"]
    )

    # when it is announced
    with django_capture_on_commit_callbacks(execute=True):
        matches_announce(alerts=[alert], now=NOW)

    # then
    [event] = events(receiver)
    assert event["type"] == "match.created"
    assert event["data"] == {
        "match_alert": {
            "id": alert.pk,
            "opening_id": opening.pk,
            "candidate_id": candidate.pk,
            "score": 0.9,
            "reasons": ["Has PRINCE2"],
        }
    }


def test_a_sent_message_emits_message_sent_without_its_text(
    organization, endpoint, receiver, django_capture_on_commit_callbacks
):
    # given an approved message, due on a Tuesday morning in Copenhagen
    message = MessageFactory(
        candidate=CandidateFactory(organization=organization),
        status=Message.Status.APPROVED,
        scheduled_at=NOW - dt.timedelta(minutes=5),
    )
    # when it is sent
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        message_deliver(message_id=message.pk, now=NOW)
    # then the endpoint hears of it, by ids and kind only
    [event] = events(receiver)
    assert event["type"] == "message.sent"
    assert event["data"]["message"]["id"] == message.pk
    assert event["data"]["message"]["kind"] == "WARM_REJECTION"
    assert event["data"]["message"]["candidate_id"] == message.candidate_id
    assert "Du kom tæt på" not in json.dumps(event)


def test_a_batch_of_sent_messages_emits_message_sent_for_each_with_its_own_event_id(
    organization, endpoint, receiver, django_capture_on_commit_callbacks
):
    # given three approved messages to candidates, due on a Tuesday morning in Copenhagen
    messages = [
        MessageFactory(
            candidate=CandidateFactory(organization=organization),
            status=Message.Status.APPROVED,
            scheduled_at=NOW - dt.timedelta(minutes=5),
        )
        for _ in range(3)
    ]
    # when they are sent as the sweeper's tasks send them
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        message_deliver_many(message_ids=[m.pk for m in messages], now=NOW)
    # then the endpoint hears of each once
    sent = events(receiver)
    assert sorted(event["data"]["message"]["id"] for event in sent) == sorted(m.pk for m in messages)
    assert WebhookDelivery.objects.values("event_id").distinct().count() == 3
    assert WebhookDelivery.objects.filter(event_type="message.sent").count() == 3


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:8080/hooks",
        "https://localhost/hooks",
        "https://10.0.0.5/hooks",
        "https://192.168.1.20/hooks",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://[::1]/hooks",
    ],
)
def test_an_endpoint_inside_a_private_network_is_refused_in_production(organization, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as error:
        webhook_endpoint_create(organization=organization, actor=Actor.system(), url=url)
    assert "private or reserved address" in error.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url", ["http://hooks.example.com/in", "ftp://hooks.example.com/in", "file:///etc/passwd"]
)
def test_an_endpoint_url_must_be_https_in_production(organization, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as error:
        webhook_endpoint_create(organization=organization, actor=Actor.system(), url=url)
    assert error.value.message_dict["url"] == ["The URL must start with https:// (events carry signed data)."]
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_allowed_only_with_the_development_switch(organization, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        organization=organization, actor=Actor.system(), url="http://127.0.0.1:9/"
    )
    assert endpoint.url == "http://127.0.0.1:9/"
    with pytest.raises(ValidationError):
        webhook_endpoint_create(organization=organization, actor=Actor.system(), url="ftp://127.0.0.1/in")


def test_a_delivery_to_a_host_that_now_resolves_to_a_private_address_is_not_posted(
    organization, endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    # given an endpoint registered earlier whose host now points inside the network
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    # when an event is delivered
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_emit(
            organization_id=organization.pk, event_type="message.sent", payload={"message_id": 7}
        )
    # then nothing reaches the receiver and the delivery says why
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "PENDING"
    assert delivery.response_status is None
    assert "private or reserved address" in delivery.response_body
