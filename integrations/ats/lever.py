"""Lever webhooks: ``candidateArchiveChange`` (an opportunity archived, or unarchived).

Per Lever's API documentation (https://hire.lever.co/developer/documentation, "Webhooks"):

- the signature is in the body, not a header, and covers only ``token + triggeredAt``:
  ``signature`` is the hex HMAC-SHA256 of that string keyed with the webhook's signature token;
  "you can cache the token value locally and not honor any subsequent request with the same
  token", and check that the timestamp is not too far from now. The ``data`` (ids only:
  ``opportunityId``, ``contactId``, ``toArchived``) is not covered, so it is never trusted;
- any 2xx stops Lever's retries (five more, with backoff).

So a delivery is a trigger: each token is honoured once, and everything is read from Lever's
Data API (Basic auth, the API key as user name): the opportunity must be archived with an
archive reason of type ``non-hired`` that is not the candidate withdrawing; its stage, posting and
contact come from the API too. Feedback forms (``GET /opportunities/{id}/feedback``) carry the
overall rating as a ``score-system`` field whose value is the option's text ("3 - Hire").
"""

from __future__ import annotations

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

SOURCE = "lever"
API_BASE_URL = "https://api.lever.co/v1"
# A delivery signed longer ago than this is refused (Lever retries within hours, not days).
MAX_AGE_SECONDS = 24 * 3600
OVERALL = {4: "strong_yes", 3: "yes", 2: "no", 1: "definitely_not"}
_RATING = re.compile(r"^\s*([1-4])\b")
Stage = RunnerUp.Stage


def rating(value: Any) -> int | None:
    """A Lever score: an integer, or an option's text that starts with one ("3 - Hire")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= 4 else None
    match = _RATING.match(str(value or ""))
    return int(match.group(1)) if match else None


def scorecards(forms: list[Any]) -> list[Scorecard]:
    """Lever feedback forms: the overall rating (``score-system``, or a ``score`` whose value reads
    "4 - Strong Hire"), skills rated in a ``scorecard`` (1 to 4), and the interviewer's notes."""
    cards = []
    for form in forms:
        strong: list[tuple[str, str]] = []
        weak: list[tuple[str, str]] = []
        notes: list[str] = []
        overall = ""
        for field in dig(form, "fields") or []:
            if not isinstance(field, dict):
                continue
            kind, value = field.get("type"), field.get("value")
            if kind == "score-system" or (kind == "score" and isinstance(value, str)):
                overall = OVERALL.get(rating(value) or 0, overall)
            elif kind == "scorecard":
                names = [str(score.get("text") or "") for score in field.get("scores") or []]
                for name, rated in zip(names, value or [], strict=False):
                    score = rating(dig(rated, "score"))
                    if name and score is not None:
                        (strong if score >= 3 else weak).append((name, category_from_kind(name)))
            elif kind == "textarea" and isinstance(value, str) and value.strip():
                notes.append(value.strip())
        cards.append(Scorecard(overall=overall, strong=strong, weak=weak, notes=notes))
    return cards


def _api(connection: AtsConnection) -> VendorApi:
    if not connection.api_key:
        raise NotConfigured("Lever's webhooks carry ids only: set the connection's Lever API key.")
    return VendorApi(base_url=connection.api_base_url or API_BASE_URL, headers=basic_auth(connection.api_key))


def _data(document: Any) -> Any:
    return dig(document, "data")


class LeverAdapter(AtsAdapter):
    vendor = SOURCE
    # Lever's default pipeline (Lever Help Center: "What do the pipeline stages mean?").
    default_stages = {
        "New Lead": Stage.SCREENING,
        "Reached Out": Stage.SCREENING,
        "Responded": Stage.SCREENING,
        "New Applicant": Stage.SCREENING,
        "Recruiter Screen": Stage.SCREENING,
        "Phone Interview": Stage.FIRST_INTERVIEW,
        "Phone Screen": Stage.FIRST_INTERVIEW,
        "On-site Interview": Stage.FINAL_INTERVIEW,
        "Background Check": Stage.OFFER,
        "Offer": Stage.OFFER,
    }

    def verify(self, *, body: bytes, headers: Mapping[str, str], connection: AtsConnection) -> str:
        try:
            document = json.loads(body)
        except ValueError:
            raise SignatureError("The body is not JSON, so it carries no signature.") from None
        token, triggered_at, given = (dig(document, name) for name in ("token", "triggeredAt", "signature"))
        if not isinstance(token, str) or not isinstance(triggered_at, int) or not isinstance(given, str):
            raise SignatureError("The body lacks token, triggeredAt or signature.")
        message = f"{token}{triggered_at}".encode()
        expected = hmac.new(connection.secret.encode(), message, hashlib.sha256).hexdigest()
        if not constant_time_equal(expected, given):
            raise SignatureError("The signature does not match token and triggeredAt.")
        if abs(time.time() - triggered_at / 1000) > MAX_AGE_SECONDS:
            raise SignatureError(
                "The event is too old to be trusted (its signature does not cover the body)."
            )
        return f"token:{token[:100]}"

    def parse(self, payload: Any, *, connection: AtsConnection) -> Decision | Ignored:
        event = dig(payload, "event")
        if event != "candidateArchiveChange":
            return Ignored(f"Not an archive change ({event or 'no event'}).")
        opportunity_id = dig(payload, "data", "opportunityId")
        if not isinstance(opportunity_id, str) or not opportunity_id:
            raise PayloadError("candidateArchiveChange without data.opportunityId")
        api = _api(connection)
        # Lever's API, not the unsigned body, says whether and why the opportunity was archived.
        opportunity = _data(api.get(f"/opportunities/{opportunity_id}", expand=["applications", "stage"]))
        if not isinstance(opportunity, dict):
            raise PayloadError("Lever's API answered without the opportunity")
        archived = opportunity.get("archived") if isinstance(opportunity.get("archived"), dict) else None
        archived_at = dig(archived, "archivedAt") or opportunity.get("archivedAt")
        reason_id = dig(archived, "reason") or opportunity.get("archiveReason")
        if not archived_at or not reason_id:
            return Ignored("Lever's API says the opportunity is not archived: it is still in process.")
        reason = _data(api.get(f"/archive_reasons/{reason_id}")) or {}
        if dig(reason, "type") == "hired":
            return Ignored("Archived as hired.")
        if "withdr" in str(dig(reason, "text") or "").lower():
            return Ignored("The candidate withdrew.")
        stage_name = dig(opportunity, "stage", "text")
        if stage_name is None and isinstance(opportunity.get("stage"), str):
            stage_name = dig(_data(api.get(f"/stages/{opportunity['stage']}")), "text")
        stage = self.stage(stage_name, connection)
        if (early := self.below_minimum(stage, connection, stage_name)) is not None:
            return early
        posting = dig(opportunity, "applications", 0, "posting")
        if isinstance(posting, str):
            posting = _data(api.get(f"/postings/{posting}"))
        if not isinstance(posting, dict) or not posting.get("id"):
            return Ignored("A general lead, not an application to a posting.")
        name = str(opportunity.get("name") or "")
        assert stage is not None
        return Decision(
            candidate=Reference(
                source=SOURCE,
                external_id=str(opportunity.get("contact") or opportunity_id),
                data=person(
                    first_name=name.partition(" ")[0],
                    last_name=name.partition(" ")[2],
                    email=dig(opportunity, "emails", 0),
                    phone=dig(opportunity, "phones", 0, "value"),
                    headline=opportunity.get("headline"),
                    location=opportunity.get("location"),
                ),
            ),
            opening=Reference(
                source=SOURCE,
                external_id=str(posting["id"]),
                data={"title": str(posting.get("text") or "")[:200]},
            ),
            stage=stage,
            application_id=opportunity_id,
            decided_at=timestamp(archived_at),
            rejection_reason=str(dig(reason, "text") or ""),
        )

    def reads_feedback(self, connection: AtsConnection) -> bool:
        return bool(connection.api_key)

    def feedback(self, application_id: str, *, connection: AtsConnection) -> list[Scorecard]:
        forms = _data(_api(connection).get(f"/opportunities/{application_id}/feedback"))
        return scorecards(forms if isinstance(forms, list) else [])
