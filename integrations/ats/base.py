"""What every ATS adapter does: check the vendor's signature, then read a rejection into a decision.

An adapter is one module per vendor with a subclass of ``AtsAdapter``. ``verify`` raises
``SignatureError`` for a request the vendor did not sign; ``parse`` returns the ``Decision`` in a
payload, or None for an event that is not a runner-up decision (another event, a rejection
before the connection's minimum stage, a candidate who withdrew). ``PayloadError`` says the
payload is not what the vendor documents; it will not get better on retry.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_datetime

from talentpool.flows.decision import Reference
from talentpool.openings.models import FeedbackItem, RunnerUp
from talentpool.openings.services import FeedbackInput

STAGE_ORDER = [stage.value for stage in RunnerUp.Stage]


class SignatureError(Exception):
    """The request is not signed by the vendor with the connection's secret."""


class PayloadError(ValueError):
    """The payload is not shaped as the vendor documents it."""


@dataclass(frozen=True)
class Scorecard:
    """One interviewer's ratings, reduced to what feedback needs."""

    overall: str = ""  # the vendor's recommendation, such as "yes" or "strong_no"
    strong: Sequence[tuple[str, str]] = ()  # (attribute, its kind) rated well
    weak: Sequence[tuple[str, str]] = ()  # (attribute, its kind) rated poorly


@dataclass(frozen=True)
class Decision:
    candidate: Reference
    opening: Reference
    stage: str
    decided_at: dt.datetime | None = None
    rejection_reason: str = ""
    scorecards: Sequence[Scorecard] = field(default_factory=tuple)

    def feedback(self) -> FeedbackInput | None:
        """Strengths and development areas from the scorecards (for a recruiter to review)."""
        if not self.scorecards:
            return None
        strengths = _unique(name for card in self.scorecards for name, _kind in card.strong)
        areas = _unique(f"{category}\t{name}" for card in self.scorecards for name, category in card.weak)
        return FeedbackInput(
            strengths=strengths[:10],
            development_areas=[tuple(area.split("\t", 1)) for area in areas[:10]],  # type: ignore[misc]
            share_with_candidate=True,
        )

    def closeness(self) -> int | None:
        """How close they came, from the interviewers' overall recommendations (0 to 100)."""
        scores = [
            RECOMMENDATION_SCORES[card.overall]
            for card in self.scorecards
            if card.overall in RECOMMENDATION_SCORES
        ]
        return round(sum(scores) / len(scores)) if scores else None

    def notes(self) -> str:
        return f"Rejection reason in the ATS: {self.rejection_reason}" if self.rejection_reason else ""


RECOMMENDATION_SCORES = {
    "definitely_not": 20,
    "strong_no": 20,
    "no": 45,
    "mixed": 65,
    "no_decision": 65,
    "yes": 85,
    "strong_yes": 95,
}

# Words in a vendor's stage name, most specific first.
STAGE_WORDS: list[tuple[str, str]] = [
    (r"offer|reference|negotiat", RunnerUp.Stage.OFFER),
    (r"final|last|onsite|on-site|panel", RunnerUp.Stage.FINAL_INTERVIEW),
    (r"second|2nd|follow", RunnerUp.Stage.SECOND_INTERVIEW),
    (r"case|assignment|take[- ]?home|test|assessment|task", RunnerUp.Stage.CASE_ASSIGNMENT),
    (r"interview|meeting", RunnerUp.Stage.FIRST_INTERVIEW),
    (r"screen|phone|review|applied|sourced|new|lead", RunnerUp.Stage.SCREENING),
]

# A vendor's scorecard attribute kinds, to our development-area categories.
CATEGORY_WORDS: list[tuple[str, str]] = [
    (r"certif", FeedbackItem.Category.CERTIFICATION),
    (r"communicat|personality|culture|team", FeedbackItem.Category.COMMUNICATION),
    (r"present", FeedbackItem.Category.PRESENTATION),
    (r"company|business|product|motivation", FeedbackItem.Category.COMPANY_UNDERSTANDING),
    (r"experience|qualification|background", FeedbackItem.Category.EXPERIENCE),
]


def stage_from_name(name: str | None) -> str | None:
    """Our stage for a vendor's stage name; None when it says nothing we recognise."""
    text = (name or "").lower()
    for pattern, stage in STAGE_WORDS:
        if re.search(pattern, text):
            return stage
    return None


def category_from_kind(kind: str | None) -> str:
    text = (kind or "").lower()
    for pattern, category in CATEGORY_WORDS:
        if re.search(pattern, text):
            return category
    return FeedbackItem.Category.SKILL


def reached(stage: str, minimum: str) -> bool:
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(minimum)


def timestamp(value: Any) -> dt.datetime | None:
    """An ISO 8601 string or epoch milliseconds, as an aware datetime."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise PayloadError(f"Not a timestamp: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def constant_time_equal(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.strip().encode())


def dig(data: Any, *path: str | int) -> Any:
    """``data[path[0]][path[1]]...``, or None where a step is missing."""
    for step in path:
        if isinstance(step, int):
            data = data[step] if isinstance(data, list) and len(data) > step else None
        else:
            data = data.get(step) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def person(
    *, first_name: Any, last_name: Any = "", email: Any = None, phone: Any = None, headline: Any = None
) -> dict[str, Any]:
    """Candidate fields from what a vendor sends (only those present)."""
    data: dict[str, Any] = {}
    if first_name or last_name:
        data["first_name"] = str(first_name or last_name)[:100]
        data["last_name"] = str(last_name or "")[:100] if first_name else ""
    if email:
        data["email"] = str(email).strip()
    if phone:
        data["phone"] = str(phone)[:40]
    if headline:
        data["headline"] = str(headline)[:200]
    return data


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


class AtsAdapter(ABC):
    vendor: str

    @abstractmethod
    def verify(self, *, body: bytes, headers: Mapping[str, str], secret: str) -> None:
        """Raise SignatureError unless the vendor signed this request with ``secret``."""

    @abstractmethod
    def parse(self, payload: Any, *, minimum_stage: str, connection: Any = None) -> Decision | None:
        """The runner-up decision in a payload, or None if it carries none."""

    def check_stage(self, stage: str | None, minimum_stage: str) -> str | None:
        if stage is None or not reached(stage, minimum_stage):
            return None
        return stage
