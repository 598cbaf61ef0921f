"""Teamtailor company webhooks: ``job_application.update`` with a ``rejected-at``.

The body is ``{"payload": {...}, "signature": "..."}``: the signature is the Base64 of the hex
HMAC-SHA256 of the payload, keyed with the webhook's signature key. We sign the payload as
compact JSON (no spaces, UTF-8), as Teamtailor's serializer emits it.

The payload is JSON:API: the application's relationships name the candidate, job, stage and
reject reason; their attributes are read from ``included`` when present. Without the stage we
cannot tell a runner-up from an early rejection, so such an event is ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from integrations.ats.base import (
    AtsAdapter,
    Decision,
    PayloadError,
    SignatureError,
    constant_time_equal,
    dig,
    person,
    stage_from_name,
    timestamp,
)
from talentpool.flows.decision import Reference

SOURCE = "teamtailor"


def payload_signature(payload: Any, secret: str) -> str:
    message = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode()).decode()


class TeamtailorAdapter(AtsAdapter):
    vendor = SOURCE

    def verify(self, *, body: bytes, headers: Mapping[str, str], secret: str) -> None:
        try:
            document = json.loads(body)
        except ValueError:
            raise SignatureError("The body is not JSON, so it carries no signature.") from None
        if not isinstance(document, dict) or "payload" not in document:
            raise SignatureError("The body has no payload to check.")
        given = document.get("signature")
        if not isinstance(given, str) or not constant_time_equal(
            payload_signature(document["payload"], secret), given
        ):
            raise SignatureError("The signature does not match the payload.")

    def parse(self, payload: Any, *, minimum_stage: str, connection: Any = None) -> Decision | None:
        event = dig(payload, "payload")
        if dig(event, "event_name") != "job_application.update":
            return None
        application = dig(event, "data")
        if not isinstance(application, dict) or dig(application, "type") != "job-applications":
            raise PayloadError("job_application.update without a job-applications resource")
        attributes = application.get("attributes") or {}
        if not attributes.get("rejected-at"):
            return None
        included = {
            (item.get("type"), str(item.get("id"))): item.get("attributes") or {}
            for item in (event.get("included") or dig(payload, "included") or [])
            if isinstance(item, dict)
        }

        def related(name: str) -> tuple[str | None, dict[str, Any]]:
            link = dig(application, "relationships", name, "data")
            if not isinstance(link, dict) or link.get("id") is None:
                return None, {}
            key = (link.get("type"), str(link["id"]))
            return str(link["id"]), included.get(key, {})

        candidate_id, candidate = related("candidate")
        job_id, job = related("job")
        _stage_id, stage_attributes = related("stage")
        _reason_id, reason = related("reject-reason")
        if candidate_id is None or job_id is None:
            raise PayloadError("job_application.update without its candidate and job")
        stage = self.check_stage(stage_from_name(stage_attributes.get("name")), minimum_stage)
        if stage is None:
            return None
        return Decision(
            candidate=Reference(
                source=SOURCE,
                external_id=candidate_id,
                data=person(
                    first_name=candidate.get("first-name"),
                    last_name=candidate.get("last-name"),
                    email=candidate.get("email"),
                    phone=candidate.get("phone"),
                    headline=candidate.get("pitch"),
                ),
            ),
            opening=Reference(
                source=SOURCE,
                external_id=job_id,
                data={"title": str(job.get("title") or "")[:200]} if job.get("title") else {},
            ),
            stage=stage,
            decided_at=timestamp(attributes.get("rejected-at")),
            rejection_reason=str(reason.get("reason") or ""),
        )
