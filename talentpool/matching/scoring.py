"""How well a candidate in the pool fits an opening: the requirements, a score out of 100, the reasons.

An opening's requirements (enough of its must-have skills, its languages, nearby, consent
active) are yes-or-no; the score weighs must-haves, nice-to-haves, the title against the
candidate's headline and skills, and past runner-up places for similar roles. Both are computed
here from the candidate's document, so they read the same on Elasticsearch and osmem and can be
explained to a recruiter in plain words. ``match_keys`` puts the same facts in the index as
terms, so that the engine ranks a pool by this very score (``matching.services``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from talentpool.candidates.skills import known_skill_key, label_form, skill_label
from talentpool.openings.models import Opening, RunnerUp

MUST_HAVE_SHARE = 0.75  # A candidate must hold at least this share of the must-have skills.
MATCH_RADIUS_KM = 100
EARTH_RADIUS_KM = 6371.0
THRESHOLD = 40.0
# Skills weigh most; a past runner-up for a similar role, and a headline that names the role, next.
WEIGHTS = {"must": 45.0, "nice": 15.0, "history": 20.0, "text": 20.0}
STAGE_BONUS = {
    RunnerUp.Stage.OFFER: 1.0,
    RunnerUp.Stage.FINAL_INTERVIEW: 1.0,
    RunnerUp.Stage.SECOND_INTERVIEW: 0.7,
    RunnerUp.Stage.CASE_ASSIGNMENT: 0.7,
    RunnerUp.Stage.FIRST_INTERVIEW: 0.4,
    RunnerUp.Stage.SCREENING: 0.2,
}
_WORD = re.compile(r"[\w+#]+")
_TITLE_STOP_WORDS = {
    "og",
    "och",
    "and",
    "i",
    "in",
    "for",
    "til",
    "till",
    "af",
    "av",
    "of",
    "the",
    "med",
    "with",
}


def required_must_haves(opening: Opening) -> int:
    count = len(opening.must_have_skills)
    return math.ceil(count * MUST_HAVE_SHARE) if count else 0


@lru_cache(maxsize=4096)
def title_concepts(title: str) -> frozenset[str]:
    """Words and skill keys of a job title: "IT-projektleder" and "IT Project Manager" share one."""
    words = [word for word in _WORD.findall(label_form(title)) if word not in _TITLE_STOP_WORDS]
    concepts = {word for word in words if len(word) > 2}
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            if key := known_skill_key(" ".join(words[start : start + size])):
                concepts.add(f"skill:{key}")
    return frozenset(concepts)


def profile_concepts(headline: str, skills: Iterable[str]) -> frozenset[str]:
    """What a candidate's profile says they are: the headline's concepts and their skills."""
    return title_concepts(headline or "") | {f"skill:{key}" for key in skills}


def match_keys(
    *,
    organization_id: int,
    skills: Iterable[str],
    headline: str,
    history: Iterable[tuple[str, str]],
) -> list[str]:
    """The index terms the matching query ranks a candidate by, each led by the organization.

    ``history`` is the candidate's runner-up (opening title, stage) pairs. Because every term
    names the organization, a matching query only ever reads one organization's terms.
    """
    keys = {f"skill:{key}" for key in skills}
    keys |= {f"profile:{concept}" for concept in profile_concepts(headline, skills)}
    keys |= {f"history:{stage}:{concept}" for title, stage in history for concept in title_concepts(title)}
    return sorted(f"{organization_id}:{key}" for key in keys)


def score_weights(opening: Opening) -> dict[str, float]:
    """Each part's share of 100 for this opening: parts the opening does not ask about drop out."""
    parts = ["text", "history"]
    if opening.must_have_skills:
        parts.append("must")
    if opening.nice_to_have_skills:
        parts.append("nice")
    possible = sum(WEIGHTS[name] for name in parts)
    return {name: 100 * WEIGHTS[name] / possible for name in parts}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def place_words(text: str) -> set[str]:
    """A place name's words, lowercased and without accents ("Malmö C" → {"malmo", "c"})."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return set(_WORD.findall("".join(ch for ch in folded if not unicodedata.combining(ch))))


def is_near(opening: Opening, source: dict[str, Any]) -> bool:
    """Within MATCH_RADIUS_KM of the opening, or living in a place its location names."""
    latitude, longitude = opening.latitude, opening.longitude
    if (latitude is None or longitude is None) and not opening.location:
        return True  # the opening names no place
    if opening.location and place_words(opening.location) & place_words(source.get("location_text") or ""):
        return True
    point = source.get("location")
    if latitude is None or longitude is None or not point:
        return False
    return distance_km(latitude, longitude, point["lat"], point["lon"]) <= MATCH_RADIUS_KM


def requirements_met(opening: Opening, source: dict[str, Any], *, now: dt.datetime) -> bool:
    """The opening's yes-or-no requirements: organization, consent, must-haves, languages, place."""
    if source.get("organization_id") != opening.organization_id:
        return False
    expires = source.get("consent_expires_at")
    if expires is None or dt.datetime.fromisoformat(expires) <= now:
        return False
    skills = set(source.get("skills") or [])
    if sum(1 for key in opening.must_have_skills if key in skills) < required_must_haves(opening):
        return False
    if not set(opening.languages) <= set(source.get("languages") or []):
        return False
    return is_near(opening, source)


@dataclass(frozen=True)
class Match:
    candidate_id: int
    score: float
    contact_first: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def sort_key(self) -> tuple[float, bool, int]:
        # Among equal scores, runner-ups flagged "contact first" come first.
        return (-self.score, not self.contact_first, self.candidate_id)


def score_match(opening: Opening, source: dict[str, Any], *, history: list[tuple[str, str]]) -> Match:
    """Score one candidate document against an opening.

    ``history`` is the candidate's runner-up (opening title, stage) pairs. The score does not
    use the engine's relevance, so it is the same whichever way the match was found.
    """
    skills = set(source.get("skills") or [])
    wanted = title_concepts(opening.title)
    profile = profile_concepts(source.get("headline") or "", skills)
    must = list(opening.must_have_skills)
    nice = list(opening.nice_to_have_skills)
    matched_must = [key for key in must if key in skills]
    matched_nice = [key for key in nice if key in skills]
    parts: dict[str, float] = {"text": len(wanted & profile) / len(wanted) if wanted else 0.0}
    if must:
        parts["must"] = len(matched_must) / len(must)
    if nice:
        parts["nice"] = len(matched_nice) / len(nice)
    similar = [(title, stage) for title, stage in history if wanted & title_concepts(title)]
    parts["history"] = max((STAGE_BONUS.get(RunnerUp.Stage(stage), 0.2) for _, stage in similar), default=0.0)
    weights = score_weights(opening)
    score = round(sum(weights[name] * value for name, value in parts.items()), 1)

    reasons: list[dict[str, Any]] = []
    if matched_must or matched_nice:
        reasons.append({"kind": "skills", "keys": matched_must + matched_nice})
    for title, stage in similar[:2]:
        reasons.append({"kind": "runner_up", "title": title, "stage": stage})
    if opening.languages:
        reasons.append({"kind": "languages", "codes": list(opening.languages)})
    if opening.location and source.get("location_text"):
        reasons.append({"kind": "location", "text": source["location_text"]})
    return Match(
        candidate_id=int(source["row_id"]),
        score=score,
        contact_first=bool(source.get("contact_first")),
        reasons=reasons,
    )


def reasons_text(reasons: list[dict[str, Any]], *, language: str = "en") -> str:
    """The reasons as a recruiter reads them: "matches: PRINCE2, Agile; was runner-up for …"."""
    with override(language):
        sentences: list[str] = []
        for reason in reasons:
            kind = reason.get("kind")
            if kind == "skills":
                labels = ", ".join(skill_label(key, language) for key in reason["keys"])
                sentences.append(_("matches: %(skills)s") % {"skills": labels})
            elif kind == "runner_up":
                stage = RunnerUp.Stage(reason["stage"]).label
                sentences.append(
                    _("was runner-up for %(title)s, %(stage)s") % {"title": reason["title"], "stage": stage}
                )
            elif kind == "languages":
                sentences.append(_("speaks %(languages)s") % {"languages": ", ".join(reason["codes"])})
            elif kind == "location":
                sentences.append(_("lives in %(place)s") % {"place": reason["text"]})
        return "; ".join(sentences)
