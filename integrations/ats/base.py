"""What every ATS adapter does: check the vendor's signature, then read a rejection into a decision.

An adapter is one module per vendor with a subclass of ``AtsAdapter``, following that vendor's
documentation (cited in each module):

- ``verify`` raises ``SignatureError`` for a request the vendor did not sign with the
  connection's secret, and returns the delivery's key (so that a replay is recognised);
- ``parse`` returns the ``Decision`` in a delivery, or ``Ignored`` saying why there is none (another
  event, a rejection before the connection's minimum stage, a candidate who withdrew). Where the
  webhook carries only ids, or its body is not covered by the signature, the adapter reads the
  vendor's API and trusts only what the API says;
- ``feedback`` reads the interviewers' scorecards from the vendor's API, after the decision is
  recorded (recording never waits for it).

``PayloadError`` says the payload is not what the vendor documents (a retry will not help);
``AtsApiError`` says the vendor's API did not answer as documented, and whether a retry may help.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_datetime

from api.models import AtsConnection
from talentpool.core.text import fold
from talentpool.flows.decision import Reference
from talentpool.openings.models import FeedbackItem, RunnerUp
from talentpool.openings.services import FeedbackInput

STAGE_ORDER = [stage.value for stage in RunnerUp.Stage]
API_TIMEOUT_SECONDS = 10


class SignatureError(Exception):
    """The request is not signed by the vendor with the connection's secret."""


class PayloadError(ValueError):
    """The payload is not shaped as the vendor documents it."""


class NotConfigured(Exception):
    """The connection lacks what its vendor needs (an API key where webhooks carry ids only)."""


class AtsApiError(Exception):
    """The vendor's API did not answer as documented; ``retryable`` says if a retry may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        self.retryable = retryable
        super().__init__(message)


@dataclass(frozen=True)
class Ignored:
    """A delivery that records nothing, and why (shown on the connection's page)."""

    reason: str


@dataclass(frozen=True)
class Scorecard:
    """One interviewer's ratings, reduced to what feedback needs."""

    overall: str = ""  # a recommendation: definitely_not, no, mixed, yes, strong_yes
    strong: Sequence[tuple[str, str]] = ()  # (attribute, its kind) rated well
    weak: Sequence[tuple[str, str]] = ()  # (attribute, its kind) rated poorly
    notes: Sequence[str] = ()  # what the interviewer wrote


@dataclass(frozen=True)
class Decision:
    candidate: Reference
    opening: Reference
    stage: str
    application_id: str  # the vendor's id of the application: where its feedback is read
    decided_at: dt.datetime | None = None
    rejection_reason: str = ""
    scorecards: Sequence[Scorecard] = field(default_factory=tuple)
    # The earliest moment the candidate may be told (Teamtailor's transparent recruiting).
    notify_not_before: dt.datetime | None = None

    def notes(self) -> str:
        return f"Rejection reason in the ATS: {self.rejection_reason}" if self.rejection_reason else ""


def feedback_from(scorecards: Sequence[Scorecard]) -> FeedbackInput | None:
    """Strengths and development areas from the scorecards, for a recruiter to review."""
    if not scorecards:
        return None
    strengths = _unique(name for card in scorecards for name, _kind in card.strong)
    areas = _unique(f"{category}\t{name}" for card in scorecards for name, category in card.weak)
    notes = _unique(note.strip() for card in scorecards for note in card.notes)
    if not strengths and not areas and not notes:
        return None
    return FeedbackInput(
        strengths=strengths[:10],
        development_areas=[(area.split("\t", 1)[0], area.split("\t", 1)[1]) for area in areas[:10]],
        free_text="\n\n".join(notes)[:4000],
        # Shared only once a recruiter has read it and approved it.
        share_with_candidate=True,
    )


RECOMMENDATION_SCORES = {
    "definitely_not": 20,
    "strong_no": 20,
    "no": 45,
    "mixed": 65,
    "yes": 85,
    "strong_yes": 95,
}


def closeness_from(scorecards: Sequence[Scorecard]) -> int | None:
    """How close they came, from the interviewers' overall recommendations (0 to 100)."""
    scores = [
        RECOMMENDATION_SCORES[card.overall] for card in scorecards if card.overall in RECOMMENDATION_SCORES
    ]
    return round(sum(scores) / len(scores)) if scores else None


# Words in a vendor's stage name, most specific first: for stages a connection has not mapped.
STAGE_WORDS: list[tuple[str, str]] = [
    (r"offer|reference|negotiat|erbjudande|tilbud|referens", RunnerUp.Stage.OFFER),
    (r"final|last|onsite|on-site|panel|executive|slutlig|afsluttende", RunnerUp.Stage.FINAL_INTERVIEW),
    (r"second|2nd|\b2\b|follow|andra|anden|andet", RunnerUp.Stage.SECOND_INTERVIEW),
    (
        r"case|assignment|take[- ]?home|test|assessment|task|trial|opgave|uppgift",
        RunnerUp.Stage.CASE_ASSIGNMENT,
    ),
    (r"interview|meeting|face|intervju|samtale", RunnerUp.Stage.FIRST_INTERVIEW),
    (r"screen|phone|review|applied|sourced|new|lead|inbox|reviewing", RunnerUp.Stage.SCREENING),
]

# A vendor's scorecard attribute kinds, to our development-area categories.
CATEGORY_WORDS: list[tuple[str, str]] = [
    (r"certif", FeedbackItem.Category.CERTIFICATION),
    (r"communicat|personality|culture|team", FeedbackItem.Category.COMMUNICATION),
    (r"present", FeedbackItem.Category.PRESENTATION),
    (r"company|business|product|motivation", FeedbackItem.Category.COMPANY_UNDERSTANDING),
    (r"experience|qualification|background", FeedbackItem.Category.EXPERIENCE),
]


def stage_key(name: str) -> str:
    """How a vendor's stage name is looked up: folded, single spaces."""
    return " ".join(fold(name).split())


def stage_from_name(name: str | None, mapping: Mapping[str, str] | None = None) -> str | None:
    """Our stage for a vendor's stage name: the connection's mapping, else the words in it."""
    if not name:
        return None
    if mapping and (mapped := mapping.get(stage_key(name))):
        return mapped
    text = fold(name)
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


def attribute(attributes: Mapping[str, Any], name: str) -> Any:
    """A JSON:API attribute by its snake_case name, whether sent snake_case or kebab-case."""
    return attributes.get(name, attributes.get(name.replace("_", "-")))


def person(
    *,
    first_name: Any,
    last_name: Any = "",
    email: Any = None,
    phone: Any = None,
    headline: Any = None,
    location: Any = None,
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
    if location:
        data["location"] = str(location)[:200]
    return data


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


class VendorApi:
    """A vendor's REST API, read with a key: JSON over HTTPS, with a timeout."""

    def __init__(self, *, base_url: str, headers: Mapping[str, str]) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)

    def get(self, path: str, **params: Any) -> Any:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json", **self.headers})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=API_TIMEOUT_SECONDS) as response:  # noqa: S310
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            retryable = error.code >= 500 or error.code == 429
            raise AtsApiError(
                f"The ATS's API answered {error.code} for {path}", retryable=retryable
            ) from None
        except (OSError, ValueError) as error:
            raise AtsApiError(
                f"The ATS's API could not be read: {type(error).__name__}", retryable=True
            ) from None


def basic_auth(username: str, password: str = "") -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class AtsAdapter(ABC):
    vendor: str
    # The vendor's default pipeline, by stage name, to ours: a new connection starts from it.
    default_stages: Mapping[str, str] = {}

    @abstractmethod
    def verify(self, *, body: bytes, headers: Mapping[str, str], connection: AtsConnection) -> str:
        """Raise SignatureError unless the vendor signed this request; return the delivery's key."""

    @abstractmethod
    def parse(self, payload: Any, *, connection: AtsConnection) -> Decision | Ignored:
        """The runner-up decision in a delivery, or why there is none."""

    def reads_feedback(self, connection: AtsConnection) -> bool:
        """Whether this vendor's API, as the connection is set up, gives interviewers' feedback."""
        return False

    def feedback(self, application_id: str, *, connection: AtsConnection) -> list[Scorecard]:
        """The interviewers' scorecards for an application, read from the vendor's API (none here)."""
        return []

    def stage(self, name: str | None, connection: AtsConnection) -> str | None:
        """Our stage for the vendor's: the connection's mapping, the vendor's defaults, the words."""
        defaults = {stage_key(vendor_stage): stage for vendor_stage, stage in self.default_stages.items()}
        return stage_from_name(name, {**defaults, **connection.stage_mapping()})

    def below_minimum(self, stage: str | None, connection: AtsConnection, name: str | None) -> Ignored | None:
        """Why a rejection at this stage is not a runner-up, or None if it is one."""
        if stage is None:
            return Ignored(f"The stage {name!r} is not mapped to one of ours; map it on the connection.")
        if not reached(stage, connection.minimum_stage):
            return Ignored(f"Rejected at {name!r}, before the connection's minimum stage.")
        return None
