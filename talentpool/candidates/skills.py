"""Skills are stored and indexed as canonical keys.

A curated table (``skills_data.SKILLS``) maps Danish, Swedish and English labels and common
spellings to one key ("projektleder", "projektledare", "project manager" and "PM" are all
``project_management``). Organizations extend it with their own aliases (``SkillAlias``). A label
found nowhere becomes a key of its own, so nothing a candidate writes is lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

from talentpool.candidates.skills_data import SKILLS, Skill

_SPACES = re.compile(r"\s+")
_NON_KEY = re.compile(r"[^a-z0-9+#.]+")
# Nordic letters that do not decompose into a base letter and an accent.
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th"})


def label_form(label: str) -> str:
    """How labels are compared: lowercased, single-spaced."""
    return _SPACES.sub(" ", label.strip().lower())


def key_for_unknown(label: str) -> str:
    """A key for a label outside the table: ASCII snake_case ("Videoredigering" → "videoredigering")."""
    folded = unicodedata.normalize("NFKD", label_form(label).translate(_FOLD))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_KEY.sub("_", ascii_only).strip("_.")


@cache
def _by_key() -> dict[str, Skill]:
    return {skill.key: skill for skill in SKILLS}


@cache
def _table() -> dict[str, str]:
    """Every label and alias of the curated table, in label form, to its key."""
    lookup: dict[str, str] = {}
    for skill in SKILLS:
        for label in (skill.key, skill.key.replace("_", " "), skill.en, skill.da, skill.sv, *skill.aliases):
            lookup.setdefault(label_form(label), skill.key)
    return lookup


def skill_key(label: str, *, aliases: Mapping[str, str] | None = None) -> str:
    """The canonical key for one label; an organization's aliases take precedence."""
    form = label_form(label)
    if aliases and form in aliases:
        return aliases[form]
    return _table().get(form) or key_for_unknown(label)


def known_skill_key(label: str) -> str | None:
    """The key of a label in the curated table, or None for words the table does not know."""
    return _table().get(label_form(label))


def normalise_skills(labels: Iterable[str], *, aliases: Mapping[str, str] | None = None) -> list[str]:
    """Keys for the labels, without blanks or duplicates, in their first order."""
    keys: dict[str, None] = {}
    for label in labels:
        key = skill_key(str(label), aliases=aliases)
        if key:
            keys.setdefault(key, None)
    return list(keys)


def skill_label(key: str, language: str = "en") -> str:
    """The display label of a key in a language; unknown keys read as their words."""
    skill = _by_key().get(key)
    if skill is None:
        return key.replace("_", " ")
    return str(getattr(skill, language, skill.en))


def skill_labels(key: str) -> list[str]:
    """Every label and alias of a key, for full-text search."""
    skill = _by_key().get(key)
    if skill is None:
        return [key.replace("_", " ")]
    return list(dict.fromkeys([skill.en, skill.da, skill.sv, *skill.aliases]))


def skill_suggestions(prefix: str, *, language: str = "en", limit: int = 10) -> list[tuple[str, str]]:
    """(key, label) pairs whose labels start with ``prefix``, for autocompletion."""
    form = label_form(prefix)
    if not form:
        return []
    seen: dict[str, str] = {}
    for label, key in _table().items():
        if label.startswith(form) and key not in seen:
            seen[key] = skill_label(key, language)
            if len(seen) >= limit:
                break
    return sorted(seen.items(), key=lambda item: item[1].lower())
