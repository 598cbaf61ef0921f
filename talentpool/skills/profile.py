"""A candidate's profile as matching reads it: evidence, stage, place, languages and past places.

Built once when the candidate is indexed (``profile_of``) and kept in the index document in a
compact form, so that ranking a pool reads no CV text and no database rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from talentpool.geo.places import place_point
from talentpool.skills.evidence import Evidence, profile_evidence
from talentpool.skills.seniority import Level, Stage, title_level


@dataclass(frozen=True)
class PastPlace:
    """A runner-up place: the role, how far they got, and the gaps the feedback named."""

    title: str
    stage: str  # RunnerUp.Stage value
    gaps: tuple[str, ...] = ()  # development areas, as written

    @property
    def level(self) -> Level | None:
        return title_level(self.title)


@dataclass
class Profile:
    stage: Stage
    point: tuple[float, float] | None
    languages: frozenset[str]
    history: list[PastPlace] = field(default_factory=list)
    # The evidence, or its compact form until it is first needed: a ranking checks languages and
    # distance first and reads the evidence of those who pass only.
    _evidence: Evidence | None = None
    _compact: Mapping[str, Any] | None = None

    @property
    def evidence(self) -> Evidence:
        if self._evidence is None:
            self._evidence = Evidence.from_compact(self._compact or {})
        return self._evidence

    def compact(self) -> dict[str, Any]:
        return {
            **self.evidence.compact(),
            "s": self.stage.compact(),
            "p": list(self.point) if self.point else None,
            "l": sorted(self.languages),
            "h": [[place.title, place.stage, list(place.gaps)] for place in self.history],
        }

    @classmethod
    def from_compact(cls, data: Mapping[str, Any]) -> Profile:
        point = data.get("p")
        return cls(
            _compact=data,
            stage=Stage.from_compact(data.get("s")),
            point=(float(point[0]), float(point[1])) if point else None,
            languages=frozenset(data.get("l") or ()),
            history=[PastPlace(title, stage, tuple(gaps)) for title, stage, gaps in data.get("h") or ()],
        )


def spoken_languages(languages: Iterable[str], preferred: str) -> frozenset[str]:
    """The languages a candidate speaks: those they listed, or their preferred one if none."""
    listed = frozenset(code.strip().lower()[:2] for code in languages if code and code.strip())
    if listed or not preferred:
        return listed
    return frozenset({preferred})


def profile_of(
    *,
    skills: Sequence[str],
    headline: str,
    cv_text: str,
    years_of_experience: int | None,
    location: str,
    latitude: float | None,
    longitude: float | None,
    languages: Sequence[str],
    preferred_language: str,
    history: Sequence[PastPlace] = (),
    aliases: Mapping[str, str] | None = None,
    country: str = "DK",
) -> Profile:
    if latitude is not None and longitude is not None:
        point: tuple[float, float] | None = (latitude, longitude)
    else:
        point = place_point(location, country=country) if location else None
    return Profile(
        _evidence=profile_evidence(
            skills=skills,
            headline=headline,
            cv_text=cv_text,
            history_titles=[place.title for place in history],
            aliases=aliases,
        ),
        stage=Stage.of(headline=headline, years=years_of_experience, cv_text=cv_text),
        point=point,
        languages=spoken_languages(languages, preferred_language),
        history=list(history),
    )
