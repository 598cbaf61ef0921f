"""Greenhouse Recruiting web hooks: "Candidate/Prospect rejected" (``reject_candidate``).

Per Greenhouse's web hook documentation (https://developers.greenhouse.io/webhooks.html):

- the whole raw body is signed: header ``Signature: sha256 <hex HMAC-SHA256 of the body>`` keyed
  with the web hook's secret key; each delivery carries a ``Greenhouse-Event-ID``;
- ``{"action": "reject_candidate", "payload": {"application": {...}}}``, snake_case: the
  application's ``candidate`` (names, ``email_addresses``, ``phone_numbers``, ``addresses``),
  ``jobs[0]`` (id, name), ``current_stage.name``, ``rejected_at`` and ``rejection_reason``
  (``type.name`` "They rejected us" when the candidate withdrew); ``prospect`` applications have no
  job; Greenhouse retries anything but a 200.

As the body is signed, it is trusted. The interviewers' scorecards are read after recording, from
Harvest (https://developers.greenhouse.io/harvest.html): ``GET /v1/applications/{id}/scorecards``
with HTTP Basic (the API key as user name), ``overall_recommendation`` one of definitely_not, no,
yes, strong_yes, no_decision, and ``attributes`` rated definitely_not to strong_yes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from api.models import AtsConnection
from integrations.ats.base import (
    AtsAdapter,
    Decision,
    Ignored,
    PayloadError,
    Scorecard,
    SignatureError,
    VendorApi,
    basic_auth,
    category_from_kind,
    constant_time_equal,
    dig,
    person,
    timestamp,
)
from talentpool.flows.decision import Reference
from talentpool.openings.models import RunnerUp

SOURCE = "greenhouse"
API_BASE_URL = "https://harvest.greenhouse.io"
STRONG = {"strong_yes", "yes"}
WEAK = {"no", "definitely_not"}
WITHDREW = "They rejected us"
Stage = RunnerUp.Stage


def scorecard(card: Mapping[str, Any]) -> Scorecard:
    attributes = [
        item for item in card.get("attributes") or [] if isinstance(item, dict) and item.get("name")
    ]
    notes = [
        str(answer.get("answer") or "")
        for answer in card.get("questions") or []
        if isinstance(answer, dict) and answer.get("question") == "Key Take-Aways"
    ]
    return Scorecard(
        overall=str(card.get("overall_recommendation") or ""),
        strong=[(str(a["name"]), str(a.get("type") or "")) for a in attributes if a.get("rating") in STRONG],
        weak=[
            (str(a["name"]), category_from_kind(a.get("type"))) for a in attributes if a.get("rating") in WEAK
        ],
        notes=notes,
    )


class GreenhouseAdapter(AtsAdapter):
    vendor = SOURCE
    # A new account's default interview stages (Greenhouse Support: "default stages").
    default_stages = {
        "Application Review": Stage.SCREENING,
        "Preliminary Phone Screen": Stage.SCREENING,
        "Hiring Manager Review": Stage.SCREENING,
        "Phone Interview": Stage.FIRST_INTERVIEW,
        "Take Home Test": Stage.CASE_ASSIGNMENT,
        "Trial Project": Stage.CASE_ASSIGNMENT,
        "Phone Interview 2": Stage.SECOND_INTERVIEW,
        "Face to Face": Stage.SECOND_INTERVIEW,
        "Face to Face 2": Stage.FINAL_INTERVIEW,
        "Executive Review": Stage.FINAL_INTERVIEW,
        "Reference Check": Stage.OFFER,
        "Background Check": Stage.OFFER,
        "Document Submission": Stage.OFFER,
        "Offer Short List": Stage.OFFER,
        "Offer": Stage.OFFER,
    }

    def verify(self, *, body: bytes, headers: Mapping[str, str], connection: AtsConnection) -> str:
        scheme, _, given = (headers.get("Signature") or "").partition(" ")
        expected = hmac.new(connection.secret.encode(), body, hashlib.sha256).hexdigest()
        if scheme.lower() != "sha256" or not constant_time_equal(expected, given):
            raise SignatureError("The Signature header does not match the body.")
        event_id = (headers.get("Greenhouse-Event-ID") or "").strip()
        return f"event:{event_id[:100]}" if event_id else f"body:{hashlib.sha256(body).hexdigest()}"

    def parse(self, payload: Any, *, connection: AtsConnection) -> Decision | Ignored:
        action = dig(payload, "action")
        if action != "reject_candidate":
            return Ignored(f"Not a rejection ({action or 'no action'}).")
        application = dig(payload, "payload", "application")
        if not isinstance(application, dict) or application.get("id") is None:
            raise PayloadError("reject_candidate without payload.application")
        if application.get("prospect"):
            return Ignored("A prospect, not an applicant to a job.")
        if dig(application, "rejection_reason", "type", "name") == WITHDREW:
            return Ignored("The candidate withdrew.")
        name = dig(application, "current_stage", "name")
        stage = self.stage(name, connection)
        if (early := self.below_minimum(stage, connection, name)) is not None:
            return early
        candidate = application.get("candidate")
        job = dig(application, "jobs", 0)
        if not isinstance(candidate, dict) or candidate.get("id") is None or not isinstance(job, dict):
            raise PayloadError("reject_candidate without the application's candidate and job")
        reason = dig(application, "rejection_reason", "name") or ""
        reason_type = dig(application, "rejection_reason", "type", "name")
        assert stage is not None
        return Decision(
            candidate=Reference(
                source=SOURCE,
                external_id=str(candidate["id"]),
                data=person(
                    first_name=candidate.get("first_name"),
                    last_name=candidate.get("last_name"),
                    email=dig(candidate, "email_addresses", 0, "value"),
                    phone=dig(candidate, "phone_numbers", 0, "value"),
                    headline=candidate.get("title"),
                    location=dig(candidate, "addresses", 0, "value"),
                ),
            ),
            opening=Reference(
                source=SOURCE,
                external_id=str(job.get("id")),
                data={"title": str(job.get("name") or "")[:200]},
            ),
            stage=stage,
            application_id=str(application["id"]),
            decided_at=timestamp(application.get("rejected_at")),
            rejection_reason=f"{reason} ({reason_type})" if reason and reason_type else str(reason),
        )

    def reads_feedback(self, connection: AtsConnection) -> bool:
        return bool(connection.api_key)

    def feedback(self, application_id: str, *, connection: AtsConnection) -> list[Scorecard]:
        if not connection.api_key:
            return []
        api = VendorApi(
            base_url=connection.api_base_url or API_BASE_URL, headers=basic_auth(connection.api_key)
        )
        cards = api.get(f"/v1/applications/{application_id}/scorecards")
        return (
            [scorecard(card) for card in cards if isinstance(card, dict)] if isinstance(cards, list) else []
        )
