"""Teamtailor company webhooks: ``job_application.update`` (a stage move or a rejection).

Per Teamtailor's partner documentation (https://partner.teamtailor.com/company_webhooks):

- header ``TT-Signature``: v2 (recommended) is the Base64 of ``t=<unix seconds>,v2=<hex>``, where
  the hex is the HMAC-SHA256 of ``"<t>." + <raw body>`` keyed with the webhook's signature key;
  v1 (deprecated) is the Base64 of the hex HMAC-SHA256 of the payload's ``data.id`` only;
- ``{"payload": {"event_name": "job_application.update", "data": {"id": ..., "attributes":
  {...}}}}``: the event fires when ``stage_id`` or ``rejected_at`` changes; attributes are listed
  as ``rejected_at``, ``stage_name``, ``job_id``, ``job_title``,
  ``transparent_recruiting_visible_at`` (the earliest moment a candidate may be told) and are
  described as kebab-case, so both spellings are read; the payload carries no candidate details;
- there are no retries: a delivery we cannot take is lost, so we answer 200 when we can.

As v1 covers only the id and the payload names no candidate, everything is read from Teamtailor's
API (``GET /v1/job-applications/{id}?include=candidate,job,stage,reject-reason``,
``Authorization: Token token=<key>``, ``X-Api-Version``): the application must be rejected, and
a reject reason with ``rejected-by-company: false`` is the candidate withdrawing. Teamtailor
documents no interview-feedback API, so its decisions come without scorecards.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from api.models import AtsConnection
from integrations.ats.base import (
    AtsAdapter,
    Decision,
    Ignored,
    NotConfigured,
    PayloadError,
    SignatureError,
    VendorApi,
    attribute,
    constant_time_equal,
    dig,
    person,
    timestamp,
)
from talentpool.flows.decision import Reference
from talentpool.openings.models import RunnerUp

SOURCE = "teamtailor"
API_BASE_URL = "https://api.teamtailor.com"
API_VERSION = "20240404"
MAX_AGE_SECONDS = 600  # a v2 signature older than this is refused (a replay)
_V2 = re.compile(r"^t=(\d+),v2=([0-9a-f]{64})$")
Stage = RunnerUp.Stage


def _hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_v2(body: bytes, secret: str, *, at: int) -> str:
    """The ``TT-Signature`` header Teamtailor sends for ``body`` at unix time ``at``."""
    return base64.b64encode(f"t={at},v2={_hex(secret, f'{at}.'.encode() + body)}".encode()).decode()


def signature_v1(resource_id: str, secret: str) -> str:
    return base64.b64encode(_hex(secret, resource_id.encode()).encode()).decode()


class TeamtailorAdapter(AtsAdapter):
    vendor = SOURCE
    # Only Inbox and Hired are fixed in every job; "Reviewing" is the usual next one.
    default_stages = {"Inbox": Stage.SCREENING, "Reviewing": Stage.SCREENING}

    def verify(self, *, body: bytes, headers: Mapping[str, str], connection: AtsConnection) -> str:
        given = (headers.get("TT-Signature") or "").strip()
        try:
            decoded = base64.b64decode(given, validate=True).decode() if given else ""
        except (binascii.Error, UnicodeDecodeError):
            raise SignatureError("The TT-Signature header is not Base64.") from None
        key = f"body:{hashlib.sha256(body).hexdigest()}"
        if match := _V2.match(decoded):
            at, digest = int(match.group(1)), match.group(2)
            if not constant_time_equal(_hex(connection.secret, f"{at}.".encode() + body), digest):
                raise SignatureError("The TT-Signature (v2) does not match the body.")
            if abs(time.time() - at) > MAX_AGE_SECONDS:
                raise SignatureError("The TT-Signature (v2) is too old: a replay.")
            return key
        # v1 (deprecated): the id of the resource only; what it says is read from the API anyway.
        try:
            resource_id = str(dig(json.loads(body), "payload", "data", "id") or "")
        except ValueError:
            resource_id = ""
        if (
            resource_id
            and decoded
            and constant_time_equal(_hex(connection.secret, resource_id.encode()), decoded)
        ):
            return key
        raise SignatureError("The TT-Signature header does not match (neither v2 nor v1).")

    def parse(self, payload: Any, *, connection: AtsConnection) -> Decision | Ignored:
        event = dig(payload, "payload", "event_name")
        if event != "job_application.update":
            return Ignored(f"Not an application update ({event or 'no event'}).")
        data = dig(payload, "payload", "data")
        if not isinstance(data, dict) or data.get("id") is None:
            raise PayloadError("job_application.update without the application's id")
        attributes = data.get("attributes") or {}
        if not attribute(attributes, "rejected_at"):
            return Ignored("Not a rejection (a stage move).")
        if not connection.api_key:
            raise NotConfigured("Teamtailor's webhooks name no candidate: set the connection's API key.")
        api = VendorApi(
            base_url=connection.api_base_url or API_BASE_URL,
            headers={
                "Authorization": f"Token token={connection.api_key}",
                "X-Api-Version": API_VERSION,
                "Accept": "application/vnd.api+json",
            },
        )
        application_id = str(data["id"])
        document = api.get(
            f"/v1/job-applications/{application_id}", include="candidate,job,stage,reject-reason"
        )
        found = dig(document, "data")
        if not isinstance(found, dict):
            raise PayloadError("Teamtailor's API answered without the application")
        found_attributes = found.get("attributes") or {}
        rejected_at = attribute(found_attributes, "rejected_at")
        if not rejected_at:
            return Ignored("Teamtailor's API says the application is not rejected.")
        included = {
            (item.get("type"), str(item.get("id"))): item.get("attributes") or {}
            for item in document.get("included") or []
            if isinstance(item, dict)
        }

        def related(name: str) -> tuple[str | None, dict[str, Any]]:
            link = dig(found, "relationships", name, "data")
            if not isinstance(link, dict) or link.get("id") is None:
                return None, {}
            return str(link["id"]), included.get((link.get("type"), str(link["id"])), {})

        candidate_id, candidate = related("candidate")
        job_id, job = related("job")
        _stage_id, stage_attributes = related("stage")
        _reason_id, reason = related("reject-reason")
        if reason and attribute(reason, "rejected_by_company") is False:
            return Ignored("The candidate withdrew.")
        if candidate_id is None or job_id is None:
            raise PayloadError("Teamtailor's API answered without the application's candidate and job")
        stage_name = attribute(stage_attributes, "name") or attribute(attributes, "stage_name")
        stage = self.stage(stage_name, connection)
        if (early := self.below_minimum(stage, connection, stage_name)) is not None:
            return early
        title = attribute(job, "title") or attribute(attributes, "job_title") or ""
        assert stage is not None
        return Decision(
            candidate=Reference(
                source=SOURCE,
                external_id=candidate_id,
                data=person(
                    first_name=attribute(candidate, "first_name"),
                    last_name=attribute(candidate, "last_name"),
                    email=attribute(candidate, "email"),
                    phone=attribute(candidate, "phone"),
                    headline=attribute(candidate, "pitch"),
                ),
            ),
            opening=Reference(
                source=SOURCE, external_id=job_id, data={"title": str(title)[:200]} if title else {}
            ),
            stage=stage,
            application_id=application_id,
            decided_at=timestamp(rejected_at),
            rejection_reason=str(attribute(reason, "reason") or ""),
            notify_not_before=timestamp(
                attribute(found_attributes, "transparent_recruiting_visible_at")
                or attribute(attributes, "transparent_recruiting_visible_at")
            ),
        )
