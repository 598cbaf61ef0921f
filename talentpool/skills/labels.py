"""Skills as people type them, and the concepts behind them.

Candidates and openings keep skills as typed ("SolidWorks 2023", "Truckcertifikat", "Tømrer"):
that is what they wrote and what they see again. What a label means is worked out when it is
needed (``skill_concepts``), so a larger vocabulary improves every profile at the next indexing,
and a word the vocabulary does not know still meets the same word elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from talentpool.core.text import fold
from talentpool.skills.evidence import label_concepts
from talentpool.skills.vocabulary import concept_label, vocabulary

MAX_LABEL_LENGTH = 100


def label_form(label: str) -> str:
    """How an organization's alias is compared: folded, single-spaced."""
    return " ".join(fold(label).split())


def skill_labels_clean(labels: Iterable[object]) -> list[str]:
    """The labels trimmed and single-spaced, without blanks or repeats, in their first order."""
    kept: dict[str, str] = {}
    for label in labels:
        text = " ".join(str(label).split())[:MAX_LABEL_LENGTH]
        if text:
            kept.setdefault(label_form(text), text)
    return list(kept.values())


def skill_concepts(labels: Iterable[str], *, aliases: Mapping[str, str] | None = None) -> list[str]:
    """The concept keys the labels name, without repeats, in their first order."""
    keys: dict[str, None] = {}
    for label in labels:
        for key in label_concepts(label, aliases=aliases):
            keys.setdefault(key, None)
    return list(keys)


def skill_label(key: str, language: str = "en") -> str:
    """A concept's label in a language; a key outside the vocabulary reads as its words."""
    return concept_label(key, language)


def skill_search_labels(keys: Iterable[str]) -> list[str]:
    """Every language's label of the concepts, for full-text search."""
    concepts = vocabulary().concepts
    labels: dict[str, None] = {}
    for key in keys:
        concept = concepts.get(key)
        names = concept.labels.values() if concept else [key.replace("_", " ")]
        for name in names:
            labels.setdefault(name, None)
    return list(labels)


def skill_suggestions(prefix: str, *, language: str = "en", limit: int = 10) -> list[tuple[str, str]]:
    """(key, label) pairs whose label in ``language`` starts with a prefix, curated concepts first."""
    wanted = label_form(prefix)
    if not wanted:
        return []
    found: list[tuple[bool, str, str]] = []
    for concept in vocabulary().concepts.values():
        if concept.kind == "group":
            continue
        label = concept.label(language)
        if label_form(label).startswith(wanted):
            found.append((not concept.curated, label.lower(), concept.key))
    found.sort()
    return [(key, concept_label(key, language)) for _, _, key in found[:limit]]


def labels_from_keys(keys: Iterable[object], language: str) -> list[str]:
    """Stored concept keys as the labels a person would have typed (for data stored as keys)."""
    concepts = vocabulary().concepts
    labels = []
    for key in keys:
        concept = concepts.get(str(key))
        labels.append(concept.label(language) if concept else str(key).replace("_", " "))
    return skill_labels_clean(labels)


def curated_skill_labels(language: str) -> list[str]:
    """The curated concepts' labels in a language, sorted: the suggestions offered as people type."""
    return sorted(
        {concept.label(language) for concept in vocabulary().concepts.values() if concept.curated},
        key=str.lower,
    )
