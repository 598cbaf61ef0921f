"""Greenhouse Recruiting web hooks: "Candidate/Prospect rejected" (``reject_candidate``).

Greenhouse signs the whole body: header ``Signature: sha256 <hex HMAC-SHA256 of the body>``
keyed with the web hook's secret key. The rejected application carries the candidate, the
job(s), the current stage and the rejection reason; scorecards, when the payload carries them
(Harvest's scorecard shape), become strengths and development areas.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from integrations.ats.base import (
    AtsAdapter,
    Decision,
    PayloadError,
    Scorecard,
    SignatureError,
    category_from_kind,
    constant_time_equal,
    dig,
    person,
    stage_from_name,
    timestamp,
)
from talentpool.flows.decision import Reference

SOURCE = "greenhouse"
STRONG = {"strong_yes", "yes"}
WEAK = {"no", "definitely_not"}


def scorecard(card: Mapping[str, Any]) -> Scorecard:
    attributes = [
        item for item in card.get("attributes") or [] if isinstance(item, dict) and item.get("name")
    ]
    return Scorecard(
        overall=str(card.get("overall_recommendation") or ""),
        strong=[(str(a["name"]), str(a.get("type") or "")) for a in attributes if a.get("rating") in STRONG],
        weak=[
            (str(a["name"]), category_from_kind(a.get("type"))) for a in attributes if a.get("rating") in WEAK
        ],
    )


class GreenhouseAdapter(AtsAdapter):
    vendor = SOURCE

    def verify(self, *, body: bytes, headers: Mapping[str, str], secret: str) -> None:
        scheme, _, given = (headers.get("Signature") or "").partition(" ")
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if scheme.lower() != "sha256" or not constant_time_equal(expected, given):
            raise SignatureError("The Signature header does not match the body.")

    def parse(self, payload: Any, *, minimum_stage: str, connection: Any = None) -> Decision | None:
        if dig(payload, "action") != "reject_candidate":
            return None
        application = dig(payload, "payload", "application")
        if not isinstance(application, dict):
            raise PayloadError("reject_candidate without payload.application")
        if dig(application, "rejection_reason", "type", "name") == "They rejected us":
            return None  # The candidate withdrew: not a runner-up.
        stage = self.check_stage(stage_from_name(dig(application, "current_stage", "name")), minimum_stage)
        if stage is None:
            return None
        candidate = application.get("candidate")
        job = dig(application, "jobs", 0)
        if not isinstance(candidate, dict) or candidate.get("id") is None or not isinstance(job, dict):
            raise PayloadError("reject_candidate without the application's candidate and job")
        reason = dig(application, "rejection_reason", "name") or ""
        reason_type = dig(application, "rejection_reason", "type", "name")
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
                ),
            ),
            opening=Reference(
                source=SOURCE,
                external_id=str(job.get("id")),
                data={"title": str(job.get("name") or "")[:200]},
            ),
            stage=stage,
            decided_at=timestamp(application.get("rejected_at")),
            rejection_reason=f"{reason} ({reason_type})" if reason and reason_type else str(reason),
            scorecards=[
                scorecard(card) for card in application.get("scorecards") or [] if isinstance(card, dict)
            ],
        )
