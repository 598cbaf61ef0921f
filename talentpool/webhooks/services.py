"""Outgoing webhooks: events are stored as deliveries, then posted, signed, retried with backoff.

State in the database drives the work: a delivery is PENDING with a ``next_attempt_at`` until it
succeeds or runs out of attempts; the task only makes it happen sooner, and the periodic sweep
posts whatever is due. An endpoint that keeps failing is disabled.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.core.queueing import enqueue_task_on_commit
from talentpool.core.services import audit_record
from talentpool.core.writes import apply_changes
from talentpool.webhooks.models import WebhookDelivery, WebhookEndpoint
from talentpool.webhooks.signing import secret_generate, signature_headers

logger = logging.getLogger(__name__)

EVENT_TYPES = ("candidate.updated", "consent.granted", "consent.withdrawn", "match.created", "message.sent")
# Seconds to wait after the n-th failed attempt; after the last, the delivery has failed for good.
BACKOFF_SECONDS = (5, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
# A claimed delivery is not claimed again for this long (a worker that died mid-post).
CLAIM_LEASE = dt.timedelta(minutes=5)
RESPONSE_BODY_KEPT = 1000
USER_AGENT = "talentpool-webhooks/1"
WEBHOOK_DELIVER_TASK = "talentpool.webhooks.tasks.webhook_deliver_task"


def private_address_error(url: str) -> str | None:
    """Why a webhook must not be posted to ``url`` (it reaches inside a network), or None.

    Checked at registration and again before every post, since a name can be pointed elsewhere
    later. A name that does not resolve is left to fail as a delivery does.
    """
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return None
    host = urllib.parse.urlsplit(url).hostname
    if not host:
        return "The URL has no host."
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return None
    for address in sorted(addresses):
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            return f"The URL's host resolves to a private or reserved address ({address})."
    return None


def _validate_url(url: str) -> str:
    """An ``https`` URL to a public address; ``http`` only with the private-address switch (development)."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES else ("https",)
    if scheme not in allowed:
        raise ValidationError({"url": "The URL must start with https:// (events carry signed data)."})
    if error := private_address_error(url):
        raise ValidationError({"url": error})
    return url


def _validate_events(events: Iterable[str]) -> list[str]:
    events = sorted(set(events))
    unknown = [event for event in events if event not in EVENT_TYPES]
    if unknown:
        raise ValidationError(
            {"events": f"Unknown events: {', '.join(unknown)}; use {', '.join(EVENT_TYPES)}."}
        )
    return events


@transaction.atomic
def webhook_endpoint_create(
    *, organization: Organization, actor: Actor, url: str, events: Iterable[str] = (), description: str = ""
) -> WebhookEndpoint:
    """Register an endpoint; its signing secret is generated here (``endpoint.secret``)."""
    endpoint = WebhookEndpoint(
        organization=organization,
        url=_validate_url(url),
        events=_validate_events(events),
        description=description,
        secret=secret_generate(),
    )
    endpoint.full_clean()
    endpoint.save()
    audit_record(
        organization=organization,
        actor=actor,
        action="webhook_endpoint.created",
        target=endpoint,
        changes=["url", "events", "description"],
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, actor: Actor, data: Mapping[str, Any]
) -> WebhookEndpoint:
    """Change url, events, description or is_active; re-activating clears the failure count."""
    unknown = set(data) - {"url", "events", "description", "is_active"}
    if unknown:
        raise TypeError(f"Not webhook endpoint fields: {', '.join(sorted(unknown))}")
    cleaned = dict(data)
    if "url" in cleaned:
        cleaned["url"] = _validate_url(cleaned["url"])
    if "events" in cleaned:
        cleaned["events"] = _validate_events(cleaned["events"])
    if cleaned.get("is_active") and not endpoint.is_active:
        cleaned.update(consecutive_failures=0, disabled_at=None)
    changed = apply_changes(endpoint, cleaned)
    if changed:
        audit_record(
            organization=endpoint.organization_id,
            actor=actor,
            action="webhook_endpoint.updated",
            target=endpoint,
            changes=changed,
        )
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor: Actor) -> None:
    audit_record(
        organization=endpoint.organization_id, actor=actor, action="webhook_endpoint.deleted", target=endpoint
    )
    endpoint.delete()


def webhook_event_emit(
    *, organization_id: int, event_type: str, payload: Mapping[str, Any], now: dt.datetime | None = None
) -> list[WebhookDelivery]:
    """Queue an event for every active endpoint of the organization that wants it.

    The deliveries are rows written in the caller's transaction and posted after it commits:
    an event of a rolled-back write is never sent. One event has one id on every endpoint.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event {event_type!r}")
    now = now or timezone.now()
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True)
        if not endpoint.events or event_type in endpoint.events
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    data = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                organization_id=organization_id,
                endpoint=endpoint,
                event_id=event_id,
                event_type=event_type,
                payload=data,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:
        enqueue_task_on_commit(WEBHOOK_DELIVER_TASK, delivery_id=delivery.pk)
    return deliveries


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The posted body: the same bytes on every attempt, so a signature can be checked again."""
    envelope = {
        "type": delivery.event_type,
        "timestamp": delivery.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": delivery.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # A redirect is answered as the failure it is for a webhook.


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST and return (status, start of the body or the error); status None when nothing answered."""
    if refused := private_address_error(url):
        return None, f"Not sent: {refused}"
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, response.read(RESPONSE_BODY_KEPT).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(RESPONSE_BODY_KEPT).decode(errors="replace")
    except (OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"[:RESPONSE_BODY_KEPT]


def webhook_deliver(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Post one due delivery; True if the endpoint accepted it (2xx).

    The delivery is claimed in one UPDATE first, so two workers never post it at once.
    """
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        endpoint__is_active=True,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return False
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = delivery_body(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signature_headers(
            secret=endpoint.secret,
            message_id=f"msg_{delivery.event_id.hex}",
            timestamp=int(now.timestamp()),
            body=body,
        ),
    }
    status_code, response_text = _post(endpoint.url, body, headers)
    succeeded = status_code is not None and 200 <= status_code < 300
    finished_at = timezone.now()
    if succeeded:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.SUCCEEDED,
            response_status=status_code,
            response_body=response_text,
            delivered_at=finished_at,
            next_attempt_at=None,
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        logger.info("webhook delivered", extra={"delivery_id": delivery_id, "attempt": delivery.attempts})
        return True
    final = delivery.attempts >= MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.PENDING,
        response_status=status_code,
        response_body=response_text,
        next_attempt_at=None if final else now + dt.timedelta(seconds=BACKOFF_SECONDS[delivery.attempts - 1]),
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, is_active=True, consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER_FAILURES
    ).update(is_active=False, disabled_at=finished_at)
    logger.warning(
        "webhook delivery failed",
        extra={
            "delivery_id": delivery_id,
            "attempt": delivery.attempts,
            "status": status_code,
            "final": final,
            "endpoint_disabled": bool(disabled),
        },
    )
    return False


def webhook_deliveries_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of deliveries due now, to active endpoints, oldest first."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_retry_delay(*, delivery_id: int) -> int | None:
    """Seconds until a pending delivery's next attempt; None when it is done."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING).first()
    if delivery is None or delivery.next_attempt_at is None:
        return None
    return max(1, int((delivery.next_attempt_at - timezone.now()).total_seconds()))


def candidate_reference(candidate: Any) -> dict[str, Any]:
    """How events name a candidate: our id and the ATS's, never personal data."""
    return {"id": candidate.pk, "source": candidate.source, "external_id": candidate.external_id}


def candidate_updated_emit(*, candidate: Any, changed: Iterable[str]) -> None:
    webhook_event_emit(
        organization_id=candidate.organization_id,
        event_type="candidate.updated",
        payload={"candidate": candidate_reference(candidate), "changed": sorted(changed)},
    )


def consent_event_emit(*, candidate: Any, event: Any) -> None:
    """consent.granted for a grant or renewal, consent.withdrawn for a withdrawal."""
    event_type = {
        "GRANTED": "consent.granted",
        "RENEWED": "consent.granted",
        "WITHDRAWN": "consent.withdrawn",
    }
    if event.kind not in event_type:
        return
    webhook_event_emit(
        organization_id=candidate.organization_id,
        event_type=event_type[event.kind],
        payload={
            "candidate": candidate_reference(candidate),
            "consent": {"kind": event.kind, "expires_at": event.expires_at, "recorded_at": event.created_at},
        },
    )


def match_alerts_emit(*, alerts: Iterable[Any]) -> None:
    alerts = list(alerts)
    if (
        not alerts
        or not WebhookEndpoint.objects.filter(
            organization_id=alerts[0].organization_id, is_active=True
        ).exists()
    ):
        return  # One query for the batch when nobody listens (the common case).
    for alert in alerts:
        webhook_event_emit(
            organization_id=alert.organization_id,
            event_type="match.created",
            payload={
                "match_alert": {
                    "id": alert.pk,
                    "opening_id": alert.opening_id,
                    "candidate_id": alert.candidate_id,
                    "score": alert.score,
                    "reasons": alert.reasons,
                }
            },
        )


def message_sent_emit(*, messages: Iterable[Any], sent_at: dt.datetime) -> None:
    """message.sent for each message to a candidate (ids and kind only, never the text).

    For a batch of sent messages: one query for the endpoints of each organization and one
    insert for all the deliveries, each event with its own id.
    """
    by_organization: dict[int, list[Any]] = {}
    for message in messages:
        if message.candidate_id is not None:
            by_organization.setdefault(message.organization_id, []).append(message)
    deliveries: list[WebhookDelivery] = []
    now = timezone.now()
    for organization_id, sent in by_organization.items():
        endpoints = [
            endpoint
            for endpoint in WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True)
            if not endpoint.events or "message.sent" in endpoint.events
        ]
        for message in sent if endpoints else []:
            payload = {
                "message": {
                    "id": message.pk,
                    "kind": message.kind,
                    "candidate_id": message.candidate_id,
                    "opening_id": message.opening_id,
                    "sent_at": sent_at,
                }
            }
            data = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
            event_id = uuid.uuid4()
            deliveries += [
                WebhookDelivery(
                    organization_id=organization_id,
                    endpoint=endpoint,
                    event_id=event_id,
                    event_type="message.sent",
                    payload=data,
                    next_attempt_at=now,
                )
                for endpoint in endpoints
            ]
    for delivery in WebhookDelivery.objects.bulk_create(deliveries):
        enqueue_task_on_commit(WEBHOOK_DELIVER_TASK, delivery_id=delivery.pk)
