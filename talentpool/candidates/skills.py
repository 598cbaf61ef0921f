"""Skill keys. The canonical table (Danish, Swedish and English labels to one key) comes with search."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")


def skill_key(label: str) -> str:
    """A stable key for a skill label: lowercased, single-spaced."""
    return _SPACES.sub(" ", label.strip().lower())


def normalise_skills(labels: Iterable[str]) -> list[str]:
    """Keys for the labels, without blanks or duplicates, in their first order."""
    keys: dict[str, None] = {}
    for label in labels:
        key = skill_key(str(label))
        if key:
            keys.setdefault(key, None)
    return list(keys)
