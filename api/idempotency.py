"""``Idempotency-Key`` on writes: a retry gets the first response; the key is kept per organization.

The first request inserts a record before it runs (the unique constraint decides between
concurrent twins); its response is stored when it finishes. A retry with the same key and the
same request replays that response; the same key with a different request is refused (422); a
retry while the first is still running is told so (409). A request that fails with a server
error stores nothing, so it can be retried with the same key. Keys are kept for 24 hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import ApiError, error_body
from api.models import IdempotencyRecord
from talentpool.core.redaction import ERASED_OBJECT, Person

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# A first request that never finished (its process died) stops blocking its key after this.
STALE_AFTER = dt.timedelta(minutes=5)
# A key is remembered this long; the stored responses may hold personal data, so not longer.
LIFETIME = dt.timedelta(hours=24)


class IdempotentReplay(Exception):
    def __init__(self, record: IdempotencyRecord) -> None:
        self.record = record
        super().__init__(record.key)


def request_hash(request: Request) -> str:
    body = request._request.body
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in ((request.method or "").encode(), request.get_full_path().encode(), canonical):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def idempotency_begin(request: Request, *, organization_id: int) -> IdempotencyRecord | None:
    """Claim the request's key, or raise: a replay, a reused key, or a request still running."""
    if request.method in SAFE_METHODS:
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid",
            message="The Idempotency-Key header is not valid.",
            fields={HEADER: [f"Use 1 to {MAX_KEY_LENGTH} printable characters, such as a UUID."]},
        )
    fingerprint = request_hash(request)
    values = {"request_hash": fingerprint, "method": request.method, "path": request.path[:500]}
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(organization_id=organization_id, key=key, **values)
    except IntegrityError:
        pass
    existing = IdempotencyRecord.objects.filter(organization_id=organization_id, key=key).first()
    if existing is None:  # Deleted (a failed first request) in between: claim it now.
        return idempotency_begin(request, organization_id=organization_id)
    if existing.created_at < timezone.now() - LIFETIME:
        existing.delete()
        return idempotency_begin(request, organization_id=organization_id)
    if existing.request_hash != fingerprint:
        raise ApiError(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            code="idempotency_key_reused",
            message="This Idempotency-Key was used for a different request; use a new key for a new request.",
            fields={HEADER: ["Already used for a different request."]},
        )
    if existing.response_status is None:
        if existing.created_at < timezone.now() - STALE_AFTER:
            existing.delete()
            return idempotency_begin(request, organization_id=organization_id)
        raise ApiError(
            status_code=status.HTTP_409_CONFLICT,
            code="idempotency_request_in_progress",
            message="A request with this Idempotency-Key is still being processed; retry shortly.",
        )
    raise IdempotentReplay(existing)


def idempotency_finish(record: IdempotencyRecord | None, response: Response) -> None:
    """Keep the response for replays; forget the key after a server error so it can be retried."""
    if record is None:
        return
    if response.status_code >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        response_status=response.status_code,
        response_body=json.dumps(response.data, default=str) if response.data is not None else "",
    )


def idempotency_abandon(record: IdempotencyRecord | None) -> None:
    if record is not None:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()


def replay_response(record: IdempotencyRecord) -> Response:
    assert record.response_status is not None
    body = json.loads(record.response_body) if record.response_body else None
    return Response(body, status=record.response_status, headers={"Idempotent-Replayed": "true"})


def idempotency_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the records past their lifetime; return how many."""
    cutoff = (now or timezone.now()) - LIFETIME
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def idempotency_records_redact(*, organization_id: int, person: Person) -> int:
    """Take an erased person out of the stored answers that hold them.

    An answer about the person becomes the answer for an unknown resource, so a replay of the
    request that created or changed them re-creates nobody; a person in a list (a bulk answer)
    becomes ``{"erased": true}``.
    """
    needles = Q()
    for key in person.keys:
        needles |= Q(response_body__icontains=key) | Q(response_body__icontains=json.dumps(key)[1:-1])
    # Records live a day (LIFETIME), so looking through the organization's is cheap.
    records = IdempotencyRecord.objects.filter(needles, organization_id=organization_id).exclude(
        response_body=""
    )
    redacted = 0
    for record in records:
        body, hit = person.redact_json(json.loads(record.response_body))
        if not hit:
            continue
        if body == ERASED_OBJECT:
            record.response_status, body = 404, error_body("not_found", "Not found.")
        record.response_body = json.dumps(body, default=str)
        record.save(update_fields=["response_status", "response_body"])
        redacted += 1
    return redacted
