"""Lever webhooks: ``candidateArchiveChange`` (an opportunity archived, with a reason).

Lever signs ``token + triggeredAt`` (both in the body), not the body: ``signature`` is the hex
HMAC-SHA256 of that string keyed with the webhook's signature token. As the body itself is not
covered, we act only on fresh events and read every detail from Lever's API (the opportunity,
its posting, the archive reason and the interviewers' feedback) instead of trusting the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
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

SOURCE = "lever"
API_BASE_URL = "https://api.lever.co/v1"
TIMEOUT_SECONDS = 10
# An event older than this is refused: the signature does not cover the body, so it is replayable.
MAX_AGE_SECONDS = 3600
OVERALL = {1: "strong_no", 2: "no", 3: "yes", 4: "strong_yes"}


class LeverApiError(Exception):
    """Lever's API did not answer as documented; ``retryable`` says if a retry may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        self.retryable = retryable
        super().__init__(message)


class LeverClient:
    def __init__(self, *, api_key: str, base_url: str = "") -> None:
        self.api_key = api_key
        self.base_url = (base_url or API_BASE_URL).rstrip("/")

    def get(self, path: str, **params: Any) -> Any:
        query = urllib.parse.urlencode(params, doseq=True)
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        token = base64.b64encode(f"{self.api_key}:".encode()).decode()
        request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return json.loads(response.read())["data"]
        except urllib.error.HTTPError as error:
            raise LeverApiError(
                f"Lever answered {error.code} for {path}", retryable=error.code >= 500 or error.code == 429
            ) from None
        except (OSError, ValueError, KeyError) as error:
            raise LeverApiError(f"Lever could not be read: {type(error).__name__}", retryable=True) from None


def scorecards(feedback_forms: list[Any]) -> list[Scorecard]:
    """Lever feedback forms: a ``score-system`` field is the overall rating (1-4), a ``scorecard``
    field rates skills (1-4)."""
    cards = []
    for form in feedback_forms:
        strong: list[tuple[str, str]] = []
        weak: list[tuple[str, str]] = []
        overall = ""
        for field in dig(form, "fields") or []:
            if not isinstance(field, dict):
                continue
            if field.get("type") == "score-system" and isinstance(field.get("value"), int):
                overall = OVERALL.get(field["value"], "")
            if field.get("type") == "scorecard":
                names = [str(score.get("text") or "") for score in field.get("scores") or []]
                for name, rating in zip(names, field.get("value") or [], strict=False):
                    score = dig(rating, "score")
                    if isinstance(score, int) and name:
                        if score >= 3:
                            strong.append((name, ""))
                        elif score <= 2:
                            weak.append((name, category_from_kind(name)))
        cards.append(Scorecard(overall=overall, strong=strong, weak=weak))
    return cards


class LeverAdapter(AtsAdapter):
    vendor = SOURCE

    def verify(self, *, body: bytes, headers: Mapping[str, str], secret: str) -> None:
        try:
            document = json.loads(body)
        except ValueError:
            raise SignatureError("The body is not JSON, so it carries no signature.") from None
        token, triggered_at, given = (dig(document, name) for name in ("token", "triggeredAt", "signature"))
        if not isinstance(token, str) or not isinstance(triggered_at, int) or not isinstance(given, str):
            raise SignatureError("The body lacks token, triggeredAt or signature.")
        expected = hmac.new(secret.encode(), f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest()
        if not constant_time_equal(expected, given):
            raise SignatureError("The signature does not match token and triggeredAt.")
        if abs(time.time() - triggered_at / 1000) > MAX_AGE_SECONDS:
            raise SignatureError(
                "The event is too old to be trusted (its signature does not cover the body)."
            )

    def parse(self, payload: Any, *, minimum_stage: str, connection: Any = None) -> Decision | None:
        if dig(payload, "event") != "candidateArchiveChange":
            return None
        opportunity_id = dig(payload, "data", "opportunityId")
        if not isinstance(opportunity_id, str) or not opportunity_id:
            raise PayloadError("candidateArchiveChange without data.opportunityId")
        if not dig(payload, "data", "toArchived"):
            return None  # Unarchived: no decision.
        if connection is None or not connection.api_key:
            raise PayloadError("Lever's webhooks carry ids only: set the connection's Lever API key.")
        client = LeverClient(api_key=connection.api_key, base_url=connection.api_base_url)
        opportunity = client.get(f"/opportunities/{opportunity_id}", expand=["applications", "stage"])
        stage = self.check_stage(stage_from_name(dig(opportunity, "stage", "text")), minimum_stage)
        if stage is None:
            return None
        posting_id = dig(opportunity, "applications", 0, "posting")
        if not isinstance(posting_id, str):
            return None  # A general lead, not an application to a posting.
        posting = client.get(f"/postings/{posting_id}")
        reason_id = dig(opportunity, "archived", "reason") or dig(payload, "data", "toArchived", "reason")
        reason = client.get(f"/archive_reasons/{reason_id}") if reason_id else {}
        if dig(reason, "type") == "non-hired" and dig(reason, "text") == "Withdrew":
            return None
        feedback = client.get(f"/opportunities/{opportunity_id}/feedback")
        return Decision(
            candidate=Reference(
                source=SOURCE,
                external_id=str(opportunity.get("contact") or opportunity_id),
                data=person(
                    first_name=str(opportunity.get("name") or "").partition(" ")[0],
                    last_name=str(opportunity.get("name") or "").partition(" ")[2],
                    email=dig(opportunity, "emails", 0),
                    phone=dig(opportunity, "phones", 0, "value"),
                    headline=opportunity.get("headline"),
                ),
            ),
            opening=Reference(
                source=SOURCE, external_id=posting_id, data={"title": str(dig(posting, "text") or "")[:200]}
            ),
            stage=stage,
            decided_at=timestamp(dig(opportunity, "archived", "archivedAt") or dig(payload, "triggeredAt")),
            rejection_reason=str(dig(reason, "text") or ""),
            scorecards=scorecards(feedback if isinstance(feedback, list) else []),
        )
