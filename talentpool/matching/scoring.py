"""How well a candidate in the pool fits an opening: hard requirements, a score out of 100, the reasons.

Only an opening's hard requirements filter: its required languages, its radius (unless it is
remote) and the must-haves the recruiter marked hard (a licence, an authorisation). Everything
else is graded evidence (``talentpool.skills.evidence``), wherever the profile shows it: the
skills the person listed, their headline, their CV, their past roles.

The score weighs how far the must-haves are met, the role (the opening's title against what the
person is), the nice-to-haves, and past runner-up places in similar roles (more for a later
stage); then it scales by how the person's stage fits the opening's level and, mildly, by
distance within the radius. A deciding gap from earlier feedback that this opening needs lowers
the score unless the profile now shows it (then it is a reason: "closed the gap").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from talentpool.geo.places import distance_km, place_point
from talentpool.openings.models import Opening, RunnerUp
from talentpool.skills.evidence import HISTORY, Credit, Evidence, Requirement, credit, hard_credit, where
from talentpool.skills.labels import label_form
from talentpool.skills.profile import PastPlace, Profile
from talentpool.skills.seniority import Level, level_fit, title_level, years_required
from talentpool.skills.text import content_words, tokens
from talentpool.skills.vocabulary import concept_label, vocabulary

THRESHOLD = 20.0  # calibrated on bench/matching_data: keeps every relevant candidate, 5 % of the rest
WEIGHTS = {"must": 60.0, "role": 25.0, "nice": 18.0, "history": 8.0}
STAGE_BONUS = {
    RunnerUp.Stage.OFFER: 1.0,
    RunnerUp.Stage.FINAL_INTERVIEW: 1.0,
    RunnerUp.Stage.SECOND_INTERVIEW: 0.75,
    RunnerUp.Stage.CASE_ASSIGNMENT: 0.75,
    RunnerUp.Stage.FIRST_INTERVIEW: 0.5,
    RunnerUp.Stage.SCREENING: 0.25,
}
HARD_MET = 0.7  # a hard requirement counts as met from this credit on
SIMILAR_ROLE = 0.5  # a past role this similar to the opening counts as similar
OPEN_GAP_FACTOR = 0.8  # a deciding gap this opening needs, still open
DISTANCE_PREFERENCE = 0.15  # the farthest within the radius loses this share
UNKNOWN_PLACE_FACTOR = 0.85


@dataclass
class CandidateFacts:
    """What matching knows of a candidate: its profile, and what the pool search needs."""

    candidate_id: int
    organization_id: int
    profile: Profile
    place: str = ""
    contact_first: bool = False
    consent_expires_at: dt.datetime | None = None

    @classmethod
    def from_source(cls, candidate_id: int, source: Mapping[str, Any]) -> CandidateFacts:
        """From a candidate document of the index (``talentpool.search.candidates``)."""
        expires = source.get("consent_expires_at")
        return cls(
            candidate_id=candidate_id,
            organization_id=int(source.get("organization_id") or 0),
            profile=Profile.from_compact(source.get("match_profile") or {}),
            place=source.get("location_text") or "",
            contact_first=bool(source.get("contact_first")),
            consent_expires_at=dt.datetime.fromisoformat(expires) if expires else None,
        )


@lru_cache(maxsize=4096)
def _title_requirement(title: str) -> Requirement:
    return Requirement.parse(title)


@dataclass(frozen=True)
class OpeningNeeds:
    """An opening as matching reads it."""

    organization_id: int
    title: str
    role: Requirement
    must: tuple[Requirement, ...]
    nice: tuple[Requirement, ...]
    hard: tuple[Requirement, ...]
    languages: frozenset[str]
    level: Level | None
    min_years: int | None
    point: tuple[float, float] | None
    radius_km: float
    remote: bool
    place: str

    @classmethod
    def of(cls, opening: Opening, *, aliases: Mapping[str, str] | None = None) -> OpeningNeeds:
        """From an opening with its organization (for its country and default radius)."""
        organization = opening.organization
        # A hard requirement is a must-have too, listed there or not.
        listed = {label_form(label) for label in opening.must_have_skills}
        extra = [label for label in opening.hard_skills if label_form(label) not in listed]
        # "min. 2 års erfaring (med X)" asks for years (of X): the years are the opening's minimum
        # unless it states one, the rest is a skill.
        stated_years: list[int] = []
        must_labels: list[str] = []
        for label in [*opening.must_have_skills, *extra]:
            years, rest = years_required(label)
            if years is not None:
                stated_years.append(years)
            if rest:
                must_labels.append(rest if years is not None else label)
        must = tuple(Requirement.parse(label, aliases=aliases) for label in must_labels)
        nice = tuple(
            Requirement.parse(rest, aliases=aliases)
            for label in opening.nice_to_have_skills
            if (rest := years_required(label)[1])
        )
        hard_labels = {label_form(label) for label in opening.hard_skills}
        hard = tuple(req for req in must if label_form(req.label) in hard_labels)
        point: tuple[float, float] | None = None
        if opening.latitude is not None and opening.longitude is not None:
            point = (opening.latitude, opening.longitude)
        elif opening.location and not opening.remote:
            point = place_point(opening.location, country=organization.country)
        level = Level[opening.experience_level] if opening.experience_level else title_level(opening.title)
        return cls(
            organization_id=opening.organization_id,
            title=opening.title,
            role=_role_requirement(opening.title, opening.location),
            must=must,
            nice=nice,
            hard=hard,
            languages=frozenset(opening.languages),
            level=level,
            min_years=opening.min_years_of_experience or (max(stated_years) if stated_years else None),
            point=point,
            radius_km=float(opening.radius_km or organization.default_radius_km),
            remote=opening.remote,
            place=opening.location,
        )

    def concepts(self) -> dict[str, float]:
        """The concepts the opening asks for, each with its weight in the score (for the engine)."""
        weights: dict[str, float] = {}
        parts = [(self.must, WEIGHTS["must"]), (self.nice, WEIGHTS["nice"]), ((self.role,), WEIGHTS["role"])]
        for requirements, weight in parts:
            for requirement in requirements:
                for key in requirement.concepts:
                    share = weight / max(len(requirements), 1)
                    weights[key] = max(weights.get(key, 0.0), share)
        return weights

    def text(self) -> str:
        """The opening's words for a full-text query: its title and its skills as typed."""
        return " ".join([self.title, *(req.label for req in (*self.must, *self.nice))])


# Where a job title's role ends and its context begins ("Tømrer til renovering – Vejle").
_TITLE_CONTEXT = re.compile(
    r"\s+[-–—|:]\s+|\s*[,(]|\s+(?:til|till|to|for|för|i|in|på|at|hos|med|with|mit|inom|within|ved)\s+",
    re.IGNORECASE,
)


def role_of(title: str) -> str:
    """A job title's role, without its context: "Souschef til restaurant og mødecenter" → "Souschef"."""
    head = _TITLE_CONTEXT.split(title, maxsplit=1)[0].strip()
    return head if content_words(tokens(head)) else title


def _role_requirement(title: str, location: str) -> Requirement:
    """The role as a requirement: the job titles it names, or failing those, all it names.

    "Senior SAP FI/CO-konsulent" is an SAP consultant: using SAP (a must-have of its own) does not
    make someone one.
    """
    requirement = _title_requirement(role_of(title))
    vocab = vocabulary()
    parts = tuple(
        tuple(
            replace(term, concepts=titles)
            if (
                titles := tuple(
                    k for k in term.concepts if k in vocab.concepts and vocab.concepts[k].kind == "occupation"
                )
            )
            else term
            for term in part
        )
        for part in requirement.parts
    )
    return Requirement(label=requirement.label, parts=parts)


def hard_requirements_missed(needs: OpeningNeeds, facts: CandidateFacts, *, now: dt.datetime) -> list[str]:
    """What keeps a candidate out: "organization", "consent", "languages", "distance", or a hard skill."""
    if facts.organization_id != needs.organization_id:
        return ["organization"]
    missed = []
    if facts.consent_expires_at is not None and facts.consent_expires_at <= now:
        missed.append("consent")
    if not needs.languages <= facts.profile.languages:
        missed.append("languages")
    point = facts.profile.point
    if not needs.remote and needs.point and point and distance_km(*needs.point, *point) > needs.radius_km:
        missed.append("distance")
    missed += [req.label for req in needs.hard if hard_credit(req, facts.profile.evidence) < HARD_MET]
    return missed


def hard_requirements_met(needs: OpeningNeeds, facts: CandidateFacts, *, now: dt.datetime) -> bool:
    """Organization, consent, required languages, the radius and the hard must-haves.

    The cheap checks first: most of a recalled pool that fails, fails on language or distance.
    """
    profile = facts.profile
    if facts.organization_id != needs.organization_id or not needs.languages <= profile.languages:
        return False
    if facts.consent_expires_at is not None and facts.consent_expires_at <= now:
        return False
    point = profile.point
    if not needs.remote and needs.point and point and distance_km(*needs.point, *point) > needs.radius_km:
        return False
    return all(hard_credit(req, profile.evidence) >= HARD_MET for req in needs.hard)


@dataclass(frozen=True)
class Match:
    candidate_id: int
    score: float
    contact_first: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict, compare=False)  # for explaining a score

    def sort_key(self) -> tuple[float, bool, int]:
        # Among equal scores, runner-ups flagged "contact first" come first.
        return (-self.score, not self.contact_first, self.candidate_id)


def _mean(credits: Sequence[Credit]) -> float:
    return sum(c.value for c in credits) / len(credits) if credits else 0.0


def role_similarity(needs_role: Requirement, place: PastPlace, needs_level: Level | None) -> float:
    """How similar a past role is to the opening's: concepts or words of the titles, and the level."""
    past = _title_requirement(role_of(place.title))
    evidence = Evidence()
    vocab = vocabulary()
    for key in past.concepts:
        for implied, steps in vocab.expand(key, depth=1).items():
            evidence.add_concept(implied, 1.0 if steps == 0 else 0.6, 1)
    evidence.add_words(past.words, 1)
    similarity = credit(needs_role, evidence).value
    # Same ISCO unit group: similar occupations ("kok" and "køkkenchef" are not; two nurses are).
    groups = {vocab.concepts[k].group for k in needs_role.concepts if k in vocab.concepts} - {""}
    if groups & ({vocab.concepts[k].group for k in past.concepts if k in vocab.concepts} - {""}):
        similarity = max(similarity, 0.7)
    past_level = place.level
    if needs_level is not None and past_level is not None and abs(int(needs_level) - int(past_level)) >= 2:
        similarity *= 0.2  # a kitchen intern's place says little about a kitchen manager
    return similarity


def _gap_concepts(text: str) -> set[str]:
    vocab = vocabulary()
    return {key for key, _, whole in vocab.find(text) if whole} or set()


def score_match(needs: OpeningNeeds, facts: CandidateFacts) -> Match:
    """Score one candidate against an opening; the hard requirements are checked apart."""
    evidence = facts.profile.evidence
    must = [credit(req, evidence) for req in needs.must]
    nice = [credit(req, evidence) for req in needs.nice]
    role = credit(needs.role, evidence)
    parts: dict[str, float] = {"role": role.value}
    if needs.must:
        parts["must"] = _mean(must)
    if needs.nice:
        parts["nice"] = _mean(nice)
    best_place: tuple[float, PastPlace] | None = None
    for place in facts.profile.history:
        similarity = role_similarity(needs.role, place, needs.level)
        if similarity >= SIMILAR_ROLE:
            bonus = similarity * STAGE_BONUS.get(RunnerUp.Stage(place.stage), 0.25)
            if best_place is None or bonus > best_place[0]:
                best_place = (bonus, place)
    parts["history"] = best_place[0] if best_place else 0.0
    weights = {name: WEIGHTS[name] for name in parts}
    base = sum(weights[name] * parts[name] for name in parts) / sum(weights.values())

    factor = level_fit(needs.level, facts.profile.stage, min_years=needs.min_years)
    distance: float | None = None
    if not needs.remote and needs.point:
        if facts.profile.point:
            distance = distance_km(*needs.point, *facts.profile.point)
            factor *= 1 - DISTANCE_PREFERENCE * min(distance / needs.radius_km, 1.0)
        else:
            factor *= UNKNOWN_PLACE_FACTOR

    reasons: list[dict[str, Any]] = []
    vocab = vocabulary()
    # What this opening needs, and what that implies: a gap of "fræsning" is a gap for a "CNC-fræser".
    needed = {
        implied
        for req in (*needs.must, needs.role)
        for key in req.concepts
        for implied in vocab.expand(key, depth=1)
    }
    closed: list[dict[str, Any]] = []
    for place in facts.profile.history:
        if role_similarity(needs.role, place, needs.level) < SIMILAR_ROLE:
            continue
        for gap in place.gaps:
            concepts = _gap_concepts(gap) & needed
            if not concepts:
                continue
            shown = [key for key in concepts if evidence.concepts.get(key, (0.0, 0))[0] >= HARD_MET]
            if shown:
                closed.append(_gap_reason(shown[0], place, evidence))
            else:
                factor *= OPEN_GAP_FACTOR
    score = round(100 * base * factor, 1)

    if role.value >= 0.5:
        reasons.append(_evidence_reason("role", needs.role.label, role))
    for req, found in [*zip(needs.must, must, strict=True), *zip(needs.nice, nice, strict=True)]:
        if found.value >= 0.5:
            reasons.append(_evidence_reason("skill", req.label, found, must=req in needs.must))
    reasons += closed
    if best_place:
        reasons.append({"kind": "runner_up", "opening": best_place[1].title, "stage": best_place[1].stage})
    if distance is not None:
        reasons.append({"kind": "distance", "km": round(distance), "place": facts.place})
    elif needs.remote:
        reasons.append({"kind": "remote"})
    if needs.languages:
        reasons.append({"kind": "languages", "codes": sorted(needs.languages)})
    return Match(
        candidate_id=facts.candidate_id,
        score=score,
        contact_first=facts.contact_first,
        reasons=reasons,
        parts={**parts, "factor": factor},
    )


def _evidence_reason(kind: str, requirement: str, found: Credit, *, must: bool = False) -> dict[str, Any]:
    reason: dict[str, Any] = {
        "kind": kind,
        "requirement": requirement,
        "concept": found.concept,
        "label": concept_label(found.concept) if found.concept else requirement,
        # A past role's title is evidence, but the runner-up reason names it: say it only alone.
        "found_in": where(found.sources & ~HISTORY) or where(found.sources),
    }
    if kind == "skill":
        reason["must"] = must
    return reason


def _gap_reason(key: str, place: PastPlace, evidence: Evidence) -> dict[str, Any]:
    return {
        "kind": "gap_closed",
        "concept": key,
        "label": concept_label(key),
        "opening": place.title,
        "stage": place.stage,
        "found_in": where(evidence.concepts.get(key, (0.0, 0))[1]),
    }


def gaps_closed(profile: Profile) -> list[dict[str, Any]]:
    """The development areas from earlier feedback that the profile now shows (not only in past roles)."""
    closed = []
    for place in profile.history:
        for gap in place.gaps:
            for key in sorted(_gap_concepts(gap)):
                strength, sources = profile.evidence.concepts.get(key, (0.0, 0))
                if strength >= HARD_MET and sources & ~HISTORY:
                    closed.append({**_gap_reason(key, place, profile.evidence), "gap": gap})
    return closed


# Reasons as a recruiter reads them


_PLACES = {
    "profile": gettext_lazy("profile"),
    "headline": gettext_lazy("headline"),
    "cv": gettext_lazy("CV"),
    "history": gettext_lazy("past roles"),
}


def _label(reason: Mapping[str, Any], language: str) -> str:
    key = reason.get("concept") or ""
    if key and key in vocabulary().concepts:
        return concept_label(key, language)
    return str(reason.get("requirement") or reason.get("label") or "")


def _join(items: Sequence[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = {"da": "og", "sv": "och"}.get(language, "and")
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def language_name(code: str, language: str) -> str:
    """A language's name as written in running text in ``language``: "dansk", "danska", "Danish"."""
    info = LANG_INFO.get(code.lower())
    if info is None or "name" not in info:
        return code
    with override(language):
        name = str(_(info["name"]))
    return name if language == "en" else name[:1].lower() + name[1:]


def reasons_text(reasons: Iterable[Any], *, language: str = "en") -> str:
    """One sentence: "has HACCP (CV) and kitchen management (profile); runner-up for Køkkenchef,
    final interview; 12 km away". Reasons stored by earlier releases read as well."""
    with override(language):
        shown: list[str] = []
        clauses: list[str] = []
        for reason in reasons:
            if not isinstance(reason, Mapping):
                clauses.append(str(reason))
                continue
            kind = reason.get("kind")
            if kind in ("role", "skill"):
                label = _label(reason, language)
                if label.casefold() in {item.casefold().split(" (")[0] for item in shown}:
                    continue
                places = [str(_PLACES.get(name, name)) for name in reason.get("found_in") or []]
                shown.append(f"{label} ({', '.join(places)})" if places else label)
            elif kind == "skills":  # earlier releases: canonical keys
                shown += [concept_label(str(key), language) for key in reason.get("keys") or []]
            elif kind == "gap_closed":
                clauses.append(
                    _("closed the gap: %(gap)s (runner-up for %(title)s, %(stage)s)")
                    % {
                        "gap": _label(reason, language),
                        "title": reason.get("opening", ""),
                        "stage": _stage_label(reason.get("stage")),
                    }
                )
            elif kind == "runner_up":
                clauses.append(
                    _("runner-up for %(title)s, %(stage)s")
                    % {
                        "title": reason.get("opening") or reason.get("title", ""),
                        "stage": _stage_label(reason.get("stage")),
                    }
                )
            elif kind == "distance":
                km = int(reason.get("km") or 0)
                clauses.append(ngettext("%(km)d km away", "%(km)d km away", km) % {"km": km})
            elif kind == "location":  # earlier releases
                clauses.append(_("lives in %(place)s") % {"place": reason.get("text", "")})
            elif kind == "remote":
                clauses.append(_("remote"))
            elif kind == "languages":
                names = [language_name(str(code), language) for code in reason.get("codes") or []]
                if names:
                    clauses.append(_("speaks %(languages)s") % {"languages": _join(names, language)})
        if shown:
            clauses.insert(0, _("has %(evidence)s") % {"evidence": _join(shown[:4], language)})
        return "; ".join(clauses)


def _stage_label(stage: object) -> str:
    return str(RunnerUp.Stage(stage).label) if stage in RunnerUp.Stage.values else str(stage or "")
