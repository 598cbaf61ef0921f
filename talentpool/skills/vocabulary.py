"""The concepts people and recruiters name, in Danish, Swedish and English, and how words reach them.

Two sources make one vocabulary:
- the curated table (``talentpool.skills.curated``): skills, tools, licences, certifications and
  job titles with labels as people write them in the three languages, and what each implies
  (``broader``: HACCP implies food safety, a CE licence implies a C licence);
- ESCO, the EU's taxonomy (``data/esco.json.gz``, see ``data/README.md``): about 3,000
  occupations with Danish, Swedish and English titles and their ISCO unit group, and short
  English and Swedish skill and knowledge labels.

A curated concept linked to ESCO (``esco``) takes over the ESCO concept's labels. Where a label
belongs to a curated concept and to an ESCO one, the curated one wins.

Words reach concepts through their *forms* (``Lexicon.forms``): the folded word without its
inflection, split into known parts when it is a compound ("lastbilsmekaniker" → "lastbil",
"mekanik", like "lastbilmekaniker" and "lastbil mekaniker"), or corrected by one letter when it
is a typo of a known word of six letters or more.
"""

from __future__ import annotations

import gzip
import json
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import product
from pathlib import Path

from talentpool.skills.curated import CONCEPTS
from talentpool.skills.text import (
    STOP_WORDS,
    content_words,
    label_words,
    one_edit_apart,
    stem,
    tokens,
    word_set,
)

DATA = Path(__file__).with_name("data")
LANGUAGES = ("en", "da", "sv")
KINDS = ("skill", "tool", "knowledge", "occupation", "certification", "licence", "group")
MAX_LABEL_WORDS = 6
_MIN_PART = 3  # the shortest part of a compound ("bil", "vvs")
_MIN_FUZZY = 6  # the shortest word corrected for a typo
_MIN_ABBREVIATION = 5  # the shortest word read as the start of a longer one ("kylcert")
_LINKING = ("s", "e")  # "lastbil-s-mekaniker", "barn-e-have"
# Words that say a title is authorised ("autoriseret", "leg.", "auktoriserad"), folded.
AUTHORISATION_WORDS = word_set(
    "autorisation autoriseret autoriserad autorisering legitimation legitimeret legitimerad "
    "legitimerat leg aut auktorisation auktoriserad auktoriserade registered registration "
    "authorisation authorization licensed licence license godkendt godkaend authorised authorized"
)
SPOKEN_LANGUAGES = word_set(
    "danish swedish english german norwegian finnish icelandic french spanish italian polish dutch "
    "portuguese russian ukrainian arabic turkish chinese japanese"
)
_TRADE_AUTHORISATIONS = frozenset({"electrical_authorisation", "gas_authorisation"})
STOP_FORMS = frozenset(STOP_WORDS | {stem(word) for word in STOP_WORDS})


@dataclass(frozen=True, slots=True)
class Concept:
    key: str
    kind: str
    labels: dict[str, str]  # display label per language
    broader: tuple[str, ...] = ()
    group: str = ""  # the ISCO unit group of an occupation ("7115": carpenters and joiners)
    curated: bool = False

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or self.key


@dataclass(frozen=True, slots=True)
class Token:
    """One form in a text, and where it came from."""

    form: str
    position: int  # index of the word in the text
    part: int = 0  # 0: a whole word; 1..n: the n-th part of a compound
    parts: int = 1  # how many parts its word has


def _joinings(parts: Sequence[str]) -> Iterator[str]:
    """The parts joined with each choice of linking letters ("last", "bil" → "lastbil", "lastbils", …)."""
    if len(parts) > 4:
        yield "".join(parts)
        return
    for links in product(("", *_LINKING), repeat=len(parts) - 1):
        yield "".join(part + link for part, link in zip(parts, (*links, ""), strict=True))


class Lexicon:
    """The words of every label, and how any word finds its form among them."""

    def __init__(self, words: Iterable[str]) -> None:
        self.stems: set[str] = set()
        self.raw: set[str] = set()
        for word in words:
            if len(word) >= _MIN_PART:
                self.raw.add(word)
                self.stems.add(stem(word))
        self._sorted = sorted(self.raw)
        # Known words of five letters or more by first letter and length, for typos.
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for known in sorted(self.raw):
            if len(known) >= _MIN_FUZZY - 1 and known.isalpha():
                self._by_shape.setdefault((known[0], len(known)), []).append(known)

    def _is_part(self, text: str, *, final: bool) -> bool:
        if len(text) < _MIN_PART:
            return False
        if final:
            return stem(text) in self.stems or text in self.raw
        return text in self.raw or stem(text) in self.stems

    def _first_part(self, text: str) -> str | None:
        """``text`` as a compound's first part, without a linking letter ("lastbils" → "lastbil")."""
        if self._is_part(text, final=False):
            return text
        if text[-1:] in _LINKING and self._is_part(text[:-1], final=False):
            return text[:-1]
        return None

    @lru_cache(maxsize=100_000)  # noqa: B019  # one lexicon per process, built once
    def split(self, word: str) -> tuple[str, ...]:
        """An unknown word as the fewest known parts, without linking letters; () if none.

        "bussförarelev" is "bussförar" + "elev", "truckcertifikat" is "truck" + "certifikat". Among
        splits into as few parts, the one with the longest last part (the head) wins.
        """
        size = len(word)
        # best[i]: the fewest parts word[:i] splits into, or None
        best: list[tuple[str, ...] | None] = [None] * (size + 1)
        best[0] = ()
        for end in range(_MIN_PART, size + 1):
            final = end == size
            for start in range(0, end - _MIN_PART + 1):
                before = best[start]
                if before is None:
                    continue
                piece = word[start:end]
                part = (
                    (piece if self._is_part(piece, final=True) else None)
                    if final
                    else self._first_part(piece)
                )
                if part is None:
                    continue
                current = best[end]
                candidate = (*before, part)
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
        found = best[size]
        return found if found and len(found) > 1 else ()

    def abbreviated(self, word: str) -> str | None:
        """The one known word that an unknown word begins ("kylcert" → "kylcertifikat"), or None."""
        if len(word) < _MIN_ABBREVIATION:
            return None
        start = bisect_left(self._sorted, word)
        found: set[str] = set()
        for known in self._sorted[start : start + 20]:
            if not known.startswith(word):
                break
            if len(known) <= len(word) * 2.5:
                found.add(stem(known))
        return found.pop() if len(found) == 1 else None

    def known(self, word: str) -> bool:
        return word in self.raw or stem(word) in self.stems

    @lru_cache(maxsize=200_000)  # noqa: B019
    def forms(self, word: str) -> tuple[str, ...]:
        """The forms a word is compared by.

        A word of the lexicon is its stem. An unknown word of six letters or more one letter
        away from a single known word is that word (a typo, or another linking letter:
        "lastbilmekaniker" is "lastbilsmekaniker"). An unknown compound is the compound the
        lexicon knows with other linking letters, or else its parts ("truckcertifikat" →
        "truck", "certifikat"). An unknown word of five letters or more that begins just one
        known word is an abbreviation of it ("kylcert").
        """
        stemmed = stem(word)
        if not word.isalpha() or self.known(word):
            return (stemmed,)
        if len(word) >= _MIN_FUZZY:
            near = {
                stem(known)
                for size in (len(word) - 1, len(word), len(word) + 1)
                for known in self._by_shape.get((word[0], size), ())
                if one_edit_apart(word, known)
            }
            if len(near) == 1:
                return (near.pop(),)
        if len(word) >= 2 * _MIN_PART and (parts := self.split(word)):
            for joined in _joinings(parts):
                if self.known(joined):
                    return (stem(joined),)
            return tuple(stem(part) for part in parts)
        if whole := self.abbreviated(word):
            return (whole,)
        return (stemmed,)

    def text_tokens(self, text: str) -> list[Token]:
        out: list[Token] = []
        for position, word in enumerate(tokens(text)):
            forms = self.forms(word)
            if len(forms) == 1:
                out.append(Token(forms[0], position))
            else:
                out += [Token(form, position, i + 1, len(forms)) for i, form in enumerate(forms)]
        return out


@dataclass
class Vocabulary:
    concepts: dict[str, Concept] = field(default_factory=dict)
    index: dict[str, tuple[str, ...]] = field(default_factory=dict)  # joined label form → concepts
    lexicon: Lexicon = field(default_factory=lambda: Lexicon(()))
    narrower: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_group: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ISCO unit group → occupations
    # A health authorisation → the protected titles it goes with ("Autorisation som sygeplejerske" →
    # nurse): nobody may call themselves a nurse without it.
    protected_titles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    authorisation_of: dict[str, str] = field(default_factory=dict)  # protected title → its authorisation

    def is_language(self, key: str) -> bool:
        """Whether a concept is a spoken language (ESCO has them as skills): not a skill here."""
        concept = self.concepts.get(key)
        return concept is not None and concept.labels.get("en", "").lower() in SPOKEN_LANGUAGES

    def label_form(self, label: str) -> tuple[str, ...]:
        return tuple(form for word in label_words(label) for form in self.lexicon.forms(word))

    def lookup(self, label: str) -> tuple[str, ...]:
        """The concepts a whole label names (qualifiers and versions aside)."""
        return self.index.get(" ".join(self.label_form(label)), ())

    def find(self, text: str) -> Iterator[tuple[str, Token, bool]]:
        """Every concept a text names: (key, first token, whole) where ``whole`` is False when
        only a compound's last part matched ("lastbilsmekaniker" names a mechanic, weakly)."""
        found = self.lexicon.text_tokens(text)
        i = 0
        while i < len(found):
            matched = 0
            for size in range(min(MAX_LABEL_WORDS, len(found) - i), 0, -1):
                span = found[i : i + size]
                keys = self.index.get(" ".join(token.form for token in span))
                if not keys:
                    continue
                first, last = span[0], span[-1]
                starts_word = first.part <= 1
                ends_word = last.part in (0, last.parts)
                if not ends_word:
                    continue  # a compound's first part alone ("lastbil" in "lastbilmekaniker")
                for key in keys:
                    yield key, first, starts_word
                matched = size
                break
            i += matched or 1

    def expand(self, key: str, *, depth: int = 2) -> dict[str, int]:
        """The concept and what it implies, with the number of steps to each (HACCP: food safety, 1)."""
        seen = {key: 0}
        frontier = [key]
        for step in range(1, depth + 1):
            frontier = [
                parent
                for current in frontier
                if current in self.concepts
                for parent in self.concepts[current].broader
                if parent not in seen
            ]
            for parent in frontier:
                seen.setdefault(parent, step)
        return seen


def _qualified(label: str, words: Sequence[str]) -> bool:
    """Whether a label lost qualifiers on its way to words ("junior projektleder")."""
    return len(words) < len(tokens(label))


def _esco_records() -> list[list]:
    path = DATA / "esco.json.gz"
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records: list[list] = json.load(handle)
        return records


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, built once per process (about a second)."""
    concepts: dict[str, Concept] = {}
    labels: dict[str, list[tuple[str, bool]]] = {}  # concept key → (label, curated)
    esco_to_curated: dict[str, str] = {}
    for item in CONCEPTS:
        concepts[item.key] = Concept(
            key=item.key,
            kind=item.kind,
            labels={"en": item.en, "da": item.da, "sv": item.sv},
            broader=tuple(item.broader),
            curated=True,
        )
        labels[item.key] = [
            (label, True) for label in (item.key.replace("_", " "), item.en, item.da, item.sv, *item.aliases)
        ]
        for uri in item.esco:
            esco_to_curated[uri.rstrip("/").split("/")[-1].replace("-", "")[:16]] = item.key
    for key, kind, group, names, broader in _esco_records():
        short = key.removeprefix("esco_")
        target = esco_to_curated.get(short)
        if target is not None:
            labels[target] += [(name, False) for values in names.values() for name in values]
            if group and not concepts[target].group:
                # The curated occupation takes its ESCO twin's ISCO unit group (its similar trades).
                concepts[target] = replace(concepts[target], group=group)
            continue
        concepts[key] = Concept(
            key=key,
            kind="group" if kind == "isco_group" else kind,
            labels={language: values[0] for language, values in names.items()},
            broader=tuple(esco_to_curated.get(b.removeprefix("esco_"), b) for b in broader),
            group=group,
        )
        if kind != "isco_group":
            labels[key] = [(name, False) for values in names.values() for name in values]
    words = {label: label_words(label) for entries in labels.values() for label, _ in entries}
    lexicon = Lexicon(word for label_word_list in words.values() for word in label_word_list)
    vocab = Vocabulary(concepts=concepts, lexicon=lexicon)
    index: dict[str, set[str]] = {}
    curated_forms: set[str] = set()
    qualified_forms: set[str] = set()  # curated forms that only a label with a qualifier gave
    # Curated labels first, those that name a concept without a qualifier ("Senior", "junior")
    # before those whose qualifier was dropped: "junior projektleder" (a project coordinator)
    # must not take "projektleder" from the project manager. ESCO's labels come last.
    ordered = sorted(
        ((key, label, curated) for key, entries in labels.items() for label, curated in entries),
        key=lambda entry: (not entry[2], _qualified(entry[1], words[entry[1]])),
    )
    for key, label, curated in ordered:
        if not content_words(words[label]):
            continue
        forms = [f for word in words[label] for f in lexicon.forms(word)]
        if all(f in STOP_FORMS for f in forms):
            continue  # "tile" is "til", a Danish "to": no label may be only function words
        form = " ".join(forms)
        if not curated and len(form) <= 3:
            continue  # ESCO's short alternative labels ("KP", "cat") name too much
        if curated:
            qualified = _qualified(label, words[label])
            if form in curated_forms and qualified and form not in qualified_forms:
                continue
            if form not in curated_forms:
                index[form] = set()
                curated_forms.add(form)
                if qualified:
                    qualified_forms.add(form)
            index[form].add(key)
        elif form not in curated_forms:
            index.setdefault(form, set()).add(key)
    vocab.index = {form: tuple(sorted(keys)) for form, keys in index.items()}
    narrower: dict[str, list[str]] = {}
    for concept in concepts.values():
        for parent in concept.broader:
            narrower.setdefault(parent, []).append(concept.key)
    vocab.narrower = {key: tuple(children) for key, children in narrower.items()}
    groups: dict[str, list[str]] = {}
    for concept in concepts.values():
        if concept.group and concept.kind == "occupation":
            groups.setdefault(concept.group, []).append(concept.key)
    vocab.by_group = {group: tuple(keys) for group, keys in groups.items()}
    for key, concept in concepts.items():
        if concept.kind not in ("licence", "certification") or not concept.curated:
            continue
        # The titles a licence's labels name besides its authorisation words ("Autoriseret
        # sygeplejerske" → nurse): "autoriseret sygeplejerske" typed anywhere means the licence.
        titles = {
            found
            for label, _ in labels.get(key, ())
            for found in vocab.lookup(
                " ".join(
                    w for w in label_words(label) if w not in AUTHORISATION_WORDS and w not in ("som", "as")
                )
            )
            if concepts[found].kind == "occupation"
        }
        for title in sorted(titles):
            vocab.authorisation_of.setdefault(title, key)
        # Trade authorisations (electrical, gas) are held by firms and masters, not by every
        # electrician: only titles of health and care are protected by their authorisation.
        if titles and key.endswith("_authorisation") and key not in _TRADE_AUTHORISATIONS:
            vocab.protected_titles[key] = tuple(sorted(titles))
    return vocab


def concept_label(key: str, language: str = "en") -> str:
    concept = vocabulary().concepts.get(key)
    return concept.label(language) if concept else key.replace("_", " ")


def concept_kind(key: str) -> str:
    concept = vocabulary().concepts.get(key)
    return concept.kind if concept else "skill"


def labels_of(keys: Sequence[str], language: str) -> list[str]:
    return [concept_label(key, language) for key in keys]
