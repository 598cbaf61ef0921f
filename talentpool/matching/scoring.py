"""How well a candidate in the pool fits an opening: a score out of 100 and the reasons.

The engine finds the candidates (must-have skills as a required minimum, nice-to-haves and the
opening's words as boosts, language and location filters); the score is computed here, from the
document's structured fields, so it reads the same on Elasticsearch and osmem and can be
explained to a recruiter in plain words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from talentpool.candidates.skills import label_form, skill_key, skill_label
from talentpool.openings.models import Opening, RunnerUp

MUST_HAVE_SHARE = 0.75  # A candidate must hold at least this share of the must-have skills.
MATCH_RADIUS_KM = 100
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
            phrase = " ".join(words[start : start + size])
            key = skill_key(phrase)
            if key != phrase.replace(" ", "_"):  # a known skill, not just the words again
                concepts.add(f"skill:{key}")
    return frozenset(concepts)


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
    profile = title_concepts(source.get("headline") or "") | {f"skill:{key}" for key in skills}
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
    possible = sum(WEIGHTS[name] for name in parts)
    score = round(100 * sum(WEIGHTS[name] * value for name, value in parts.items()) / possible, 1)

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
