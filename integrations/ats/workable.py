"""Workable webhooks: ``candidate_moved`` to disqualified.

Workable signs the body: header ``X-Workable-Signature`` with the hex HMAC-SHA256 of the body,
keyed with the subscription's token. The candidate resource carries the person, the job
(shortcode and title), the stage they were in and the disqualification reason.
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
    SignatureError,
    constant_time_equal,
    dig,
    person,
    stage_from_name,
    timestamp,
)
from talentpool.flows.decision import Reference

SOURCE = "workable"


class WorkableAdapter(AtsAdapter):
    vendor = SOURCE

    def verify(self, *, body: bytes, headers: Mapping[str, str], secret: str) -> None:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if not constant_time_equal(expected, headers.get("X-Workable-Signature")):
            raise SignatureError("The X-Workable-Signature header does not match the body.")

    def parse(self, payload: Any, *, minimum_stage: str, connection: Any = None) -> Decision | None:
        if dig(payload, "firing_rule") != "candidate_moved":
            return None
        candidate = dig(payload, "data")
        if not isinstance(candidate, dict) or candidate.get("id") is None:
            raise PayloadError("candidate_moved without the candidate in data")
        if not candidate.get("disqualified"):
            return None
        stage = self.check_stage(stage_from_name(candidate.get("stage")), minimum_stage)
        if stage is None:
            return None
        job = candidate.get("job")
        if not isinstance(job, dict) or not job.get("shortcode"):
            raise PayloadError("candidate_moved without the candidate's job")
        return Decision(
            candidate=Reference(
                source=SOURCE,
                external_id=str(candidate["id"]),
                data=person(
                    first_name=candidate.get("firstname"),
                    last_name=candidate.get("lastname"),
                    email=candidate.get("email"),
                    phone=candidate.get("phone"),
                    headline=candidate.get("headline"),
                ),
            ),
            opening=Reference(
                source=SOURCE,
                external_id=str(job["shortcode"]),
                data={"title": str(job.get("title") or "")[:200]},
            ),
            stage=stage,
            decided_at=timestamp(candidate.get("disqualified_at") or candidate.get("updated_at")),
            rejection_reason=str(candidate.get("disqualification_reason") or ""),
        )
