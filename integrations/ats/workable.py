"""Workable webhooks: ``candidate_moved``, with the candidate disqualified.

Per Workable's API documentation (https://workable.readme.io/reference/webhook-subscriptions-candidates-employees
and .../candidate-events):

- "HMAC SHA256 on the payload of the request ... sent on the ``X-Workable-Signature`` header",
  keyed with the account token (or the OAuth application's secret) that made the subscription;
  the encoding is not stated: hex, as Workable's own examples verify it (Base64 accepted too);
- the body is ``{"data": {candidate}}`` in the shape of ``GET /candidates/:id`` (snake_case,
  ``firstname``/``lastname``, ``email``, ``phone``, ``address``, ``job {shortcode, title}``,
  ``stage`` (its name), ``disqualified``, ``disqualified_at``, ``disqualification_reason``,
  ``withdrew``); it reflects the candidate when it is sent. No event name is documented in the
  body, so any candidate payload is read, and only a disqualification is a decision;
- anything but a 200 is replayed.

The body is signed whole, so it is trusted. Interviewers' ratings are read after recording from
``GET /candidates/{id}/activities`` (``action: rating``), with the connection's token.
"""

from __future__ import annotations

import base64
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
    category_from_kind,
    constant_time_equal,
    dig,
    person,
    timestamp,
)
from talentpool.flows.decision import Reference
from talentpool.openings.models import RunnerUp

SOURCE = "workable"
Stage = RunnerUp.Stage
# Ratings as Workable writes them (POST /candidates/:id/ratings): thumbs 0-2, stars 0-4,
# numbers 0-9, or the words negative, positive, definite.
WORDS = {"negative": "no", "positive": "yes", "definite": "strong_yes"}


def recommendation(rating: Any) -> str:
    if not isinstance(rating, dict):
        return ""
    if (word := rating.get("score")) in WORDS:
        return WORDS[word]
    scale, grade = rating.get("scale") or "thumbs", rating.get("grade")
    if not isinstance(grade, int):
        return ""
    top = {"thumbs": 2, "stars": 4, "numbers": 9}.get(scale, 2)
    share = grade / top
    return (
        "strong_yes" if share >= 0.9 else "yes" if share >= 0.5 else "no" if share > 0.1 else "definitely_not"
    )


def scorecards(activities: list[Any]) -> list[Scorecard]:
    cards = []
    for activity in activities:
        if not isinstance(activity, dict) or activity.get("action") != "rating":
            continue
        strong: list[tuple[str, str]] = []
        weak: list[tuple[str, str]] = []
        for section in dig(activity, "rating", "score_card", "sections") or []:
            for trait in dig(section, "traits") or []:
                name, score = str(dig(trait, "name") or ""), dig(trait, "score")
                if name and score in ("positive", "definite"):
                    strong.append((name, category_from_kind(name)))
                elif name and score == "negative":
                    weak.append((name, category_from_kind(name)))
        body = str(activity.get("body") or "").strip()
        cards.append(
            Scorecard(
                overall=recommendation(activity.get("rating")),
                strong=strong,
                weak=weak,
                notes=[body] if body else [],
            )
        )
    return cards


class WorkableAdapter(AtsAdapter):
    vendor = SOURCE
    # Workable's default pipeline (Workable resources: "Customising your recruiting pipeline").
    default_stages = {
        "Sourced": Stage.SCREENING,
        "Applied": Stage.SCREENING,
        "Shortlisted": Stage.SCREENING,
        "Phone Screen": Stage.SCREENING,
        "Assessment": Stage.CASE_ASSIGNMENT,
        "Interview": Stage.FIRST_INTERVIEW,
        "Offer": Stage.OFFER,
    }

    def verify(self, *, body: bytes, headers: Mapping[str, str], connection: AtsConnection) -> str:
        digest = hmac.new(connection.secret.encode(), body, hashlib.sha256)
        given = headers.get("X-Workable-Signature")
        if not (
            constant_time_equal(digest.hexdigest(), given)
            or constant_time_equal(base64.b64encode(digest.digest()).decode(), given)
        ):
            raise SignatureError("The X-Workable-Signature header does not match the body.")
        return f"body:{hashlib.sha256(body).hexdigest()}"

    def parse(self, payload: Any, *, connection: AtsConnection) -> Decision | Ignored:
        candidate = dig(payload, "data")
        if not isinstance(candidate, dict) or candidate.get("id") is None:
            raise PayloadError("The body has no candidate in data")
        if not candidate.get("disqualified"):
            return Ignored("Not disqualified (a stage move).")
        if candidate.get("withdrew"):
            return Ignored("The candidate withdrew.")
        name = candidate.get("stage")
        stage = self.stage(str(name) if name else None, connection)
        if (early := self.below_minimum(stage, connection, name)) is not None:
            return early
        job = candidate.get("job")
        if not isinstance(job, dict) or not job.get("shortcode"):
            raise PayloadError("A disqualified candidate without their job")
        assert stage is not None
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
                    location=candidate.get("address"),
                ),
            ),
            opening=Reference(
                source=SOURCE,
                external_id=str(job["shortcode"]),
                data={"title": str(job.get("title") or "")[:200]},
            ),
            stage=stage,
            application_id=str(candidate["id"]),
            decided_at=timestamp(candidate.get("disqualified_at") or candidate.get("updated_at")),
            rejection_reason=str(candidate.get("disqualification_reason") or ""),
        )

    def reads_feedback(self, connection: AtsConnection) -> bool:
        return bool(connection.api_base_url)

    def feedback(self, application_id: str, *, connection: AtsConnection) -> list[Scorecard]:
        token = connection.api_key or connection.secret
        if not connection.api_base_url:
            return []  # https://<subdomain>.workable.com/spi/v3 is the account's own
        api = VendorApi(base_url=connection.api_base_url, headers={"Authorization": f"Bearer {token}"})
        document = api.get(f"/candidates/{application_id}/activities", actions="rating")
        activities = dig(document, "activities")
        return scorecards(activities if isinstance(activities, list) else [])
