"""How senior a role or a person is, from the words they use and their years.

A student, trainee, apprentice or intern who lists the right words is not the person for a senior
role; a 25-year veteran is not the person for a trainee post. Openings say their level (or it is
read from their title); people's stage is read from their headline and years of experience.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from talentpool.core.text import fold
from talentpool.skills.text import stem, tokens, word_set
from talentpool.skills.vocabulary import vocabulary


class Level(IntEnum):
    ENTRY = 0  # student, trainee, apprentice, intern
    JUNIOR = 1
    MID = 2
    SENIOR = 3
    LEAD = 4


# Word stems (folded, inflection stripped) that mark a level, in Danish, Swedish and English.
LEARNER = frozenset(
    stem(word)
    for word in word_set(
        "student studerende studenter stud elev elever laerling laerlinge laerlingar trainee traineeship "
        "praktikant praktikanter intern interns internship apprentice apprenticeship "
        "studentmedhjaelper studentermedhjaelper studiejobb "
        "studiejob extrajobb deltidsstudent"
    )
)
# The newly qualified have their qualification: juniors, not learners ("Nyexaminerad barnmorska").
JUNIOR = frozenset(
    stem(word)
    for word in word_set("junior jr assisterende nyuddannet nyutdannet nyutexaminerad nyexaminerad nyexad")
)
SENIOR = frozenset(stem(word) for word in word_set("senior sr erfaren experienced principal"))
LEAD = frozenset(
    stem(word)
    for word in word_set(
        "chef leder ledare manager head director direktoer direktor formand foerman arbejdsleder "
        "teamleder teamledare lead lead chief supervisor afdelingsleder avdelningschef"
    )
)
_YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:aars|aar|ars|ar|years?|yrs)\b(?!\s*(?:gammel|gamla|old))", re.IGNORECASE
)


def _forms(text: str) -> list[str]:
    lexicon = vocabulary().lexicon
    return [form for word in tokens(text) for form in (stem(word), *lexicon.forms(word))]


# Compounds end in their level: "kokkeelev", "elektrikerlærling"; "lagerchef", "afdelingsleder".
_LEARNER_ENDINGS = ("elev", "laerling", "praktikant", "trainee", "student")
_LEAD_ENDINGS = ("chef", "leder", "ledare", "manager", "direktoer", "direktor", "formand", "foerman")


def _ends_in(words: set[str], endings: Sequence[str]) -> bool:
    # A project manager ("projektleder") manages projects, not people: not a lead by the word.
    return any(
        word.endswith(ending) and len(word) > len(ending) + 2 and not word.startswith(("projekt", "project"))
        for word in words
        for ending in endings
    )


def title_level(title: str) -> Level | None:
    """The level a job title names ("Lagerelev" → ENTRY, "Senior udvikler" → SENIOR), or None."""
    words = set(tokens(title))
    forms = set(_forms(title))
    if forms & LEARNER or _ends_in(words, _LEARNER_ENDINGS):
        return Level.ENTRY
    if forms & LEAD or _ends_in(words, _LEAD_ENDINGS):
        return Level.LEAD
    if forms & SENIOR:
        return Level.SENIOR
    if forms & JUNIOR:
        return Level.JUNIOR
    return None


_REQUIRED_YEARS = re.compile(
    r"\(?\s*(?:min\.?|minimum|mindst|minst|at least|mere end|mer än|more than)?\s*(\d{1,2})\s*\+?\s*"
    r"(?:års|år|aars|aar|ars|ar|years?|yrs)\.?\s*(?:erfaring|erfarenhet|experience|'s? experience)?\s*"
    r"(?:med|af|av|inom|i|in|with|as|som|fra|från|from)?\s*\)?",
    re.IGNORECASE,
)


def years_required(label: str) -> tuple[int | None, str]:
    """The years a requirement asks for, and what remains of it.

    "min. 2 års erfaring med service" → (2, "service"); "Python (3+ years)" → (3, "Python");
    "Min. 2 års erfaring" → (2, ""); "SolidWorks" → (None, "SolidWorks").
    """
    match = _REQUIRED_YEARS.search(label)
    if match is None:
        return None, label
    years = int(match[1])
    rest = " ".join((label[: match.start()] + " " + label[match.end() :]).split()).strip(" ,.-–()")
    if not [word for word in tokens(rest) if word not in _EXPERIENCE_WORDS]:
        return years, ""
    return years, rest


_EXPERIENCE_WORDS = word_set(
    "erfaring erfarenhet experience min minimum mindst minst relevant relevante relevanta"
)


def years_in(text: str) -> int | None:
    """The most years of experience a text states ("med 12 års erfaring"), or None."""
    found = [int(match[1]) for match in _YEARS.finditer(fold(text))]
    found = [years for years in found if years <= 50]
    return max(found) if found else None


@dataclass(frozen=True)
class Stage:
    """Where a person is in working life."""

    learner: bool  # a student, trainee, apprentice or intern now
    lead: bool  # leads people or a function now
    years: int | None

    @classmethod
    def of(cls, *, headline: str, years: int | None, cv_text: str = "") -> Stage:
        level = title_level(headline) if headline else None
        known_years = years if years is not None else years_in(f"{headline}\n{cv_text[:2000]}")
        return cls(
            learner=level == Level.ENTRY or (known_years == 0 and title_level(cv_text[:300]) == Level.ENTRY),
            lead=level == Level.LEAD,
            years=known_years,
        )

    def compact(self) -> list[object]:
        return [self.learner, self.lead, self.years]

    @classmethod
    def from_compact(cls, data: list[object] | None) -> Stage:
        if not data:
            return cls(False, False, None)
        learner, lead, years = data
        return cls(bool(learner), bool(lead), int(years) if isinstance(years, int) else None)


def level_fit(level: Level | None, stage: Stage, *, min_years: int | None = None) -> float:
    """How well a person's stage fits a role's level, from 0 to 1 (1: a good fit)."""
    years = stage.years
    wanted = Level.MID if level is None else level
    if stage.learner:
        fit = {Level.ENTRY: 1.0, Level.JUNIOR: 0.65, Level.MID: 0.4, Level.SENIOR: 0.25, Level.LEAD: 0.2}[
            wanted
        ]
    elif years is None:
        fit = 0.9 if wanted in (Level.ENTRY, Level.LEAD) else 1.0
    elif wanted == Level.ENTRY:
        fit = 1.0 if years <= 2 else 0.85 if years <= 5 else 0.65
    elif wanted == Level.JUNIOR:
        fit = 1.0 if years <= 5 else 0.9
        if stage.lead:
            fit *= 0.75
    elif wanted == Level.MID:
        # Experienced: more years count a little, up to five; a manager is overqualified.
        fit = 0.75 if years < 1 else 0.88 if years < 2 else min(1.0, 0.9 + 0.025 * (years - 1))
        if stage.lead and years >= 10:
            fit *= 0.8
    elif wanted == Level.SENIOR:
        fit = 0.5 if years < 2 else 0.7 if years < 4 else 0.9 if years < 6 else 1.0
    else:  # LEAD
        fit = 0.5 if years < 3 else 0.75 if years < 6 else 0.95
        if stage.lead:
            fit = min(1.0, fit + 0.1)
    if min_years and not stage.learner:
        if years is None:
            fit *= 0.9
        elif years < min_years:
            fit *= max(0.45, 0.55 + 0.45 * years / min_years)
    return fit
