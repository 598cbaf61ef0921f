"""What a profile shows, and how well it shows what an opening asks for.

A profile's *evidence* is every concept and word it names, each with where it was found (the
skills the person listed, their headline, their CV, their past roles) and how strongly: a skill
listed or a headline counts in full, a CV mention a little less, a concept implied by a
narrower one (HACCP → food safety) less again, and a compound's last part alone ("mekaniker"
in "lastbilsmekaniker") least. A mention the text denies ("har ikke kørekort", "saknar
truckkort", "no driving licence") is no evidence.

A *requirement* is what a recruiter typed ("SolidWorks 2023", "Truckcertifikat (gyldigt)"): the
concepts it names and its words. ``credit`` says how far a profile meets it, from 0 to 1, and
where the evidence was found, so that a recruiter can be told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from talentpool.core.text import fold
from talentpool.skills.text import content_words, label_words, stem, tokens, word_set
from talentpool.skills.vocabulary import AUTHORISATION_WORDS, Vocabulary, vocabulary

# Where evidence was found (bits, so one entry can say "profile and CV").
SKILLS, HEADLINE, CV, HISTORY = 1, 2, 4, 8
SOURCE_NAMES = {SKILLS: "profile", HEADLINE: "headline", CV: "cv", HISTORY: "history"}
# How strongly each source shows a concept.
STRENGTH = {SKILLS: 1.0, HEADLINE: 1.0, CV: 0.85, HISTORY: 0.7}
PARTIAL = 0.6  # only a compound's last part matched
IMPLIED = (1.0, 0.8, 0.6)  # by steps from the concept named (itself, broader, broader's broader)
NARROWER = 0.45  # the profile names a broader concept than the one asked for
NARROWER_TITLE = 0.75  # the profile names the general trade of a specialised job title
SAME_GROUP = 0.6  # the profile names another occupation of the same ISCO unit group
PROTECTED_TITLE = 0.9  # the profile names the protected title an asked-for authorisation goes with

# Words that deny, defer or void what the clause around them names: "har ikke kørekort",
# "Körkortet är inte klart än", "väntar på legitimation", "certifikatet udløb i 2022", "planer om
# at tage truckcertifikat", "funderar på att läsa till sjuksköterska", "D-körkort (ej klart)".
DENIALS = word_set(
    # not, no, never, without, lacking
    "ikke ej inte icke not no never uden utan without mangler manglende saknar saknas lack lacks lacking "
    "missing ingen inget inga none "
    # not yet, waiting for, pending
    "endnu aennu yet venter afventer vaentar invaentar awaiting waiting pending ansoegt ansoekt "
    # expired, lapsed
    "udloeb udloebet udloebne udlobet utgaatt utgaangen utgangen expired lapsed ugyldigt ogiltigt "
    # plans, wishes, studies under way
    "planer raeknar funderar overvejer considering hoping haaber hoppas oensker oenskar aspiring "
    "droemmer snart soon studerar studerer studying beraeknas forventer expected finalist"
)
# Denied words that put any authorisation in doubt ("väntar på legitimation").
_AUTHORISATION_DENIED = frozenset(f"~{stem(word)}" for word in AUTHORISATION_WORDS if len(word) > 3)
_DENIAL_BEFORE = 3  # a denial reaches this many words back ("Körkortet är inte klart")
# A denial after "men" often points back ("en kurs om kollektivavtal, men inte jobbat med det"):
# "but" without a comma does not end a clause.
_CAPITALS = re.compile(r"\b[A-ZÆØÅÄÖ]{2,4}\b")
_LOWERCASE = re.compile(r"\b[a-zæøåäö]{2,4}\b")
_CLAUSE = re.compile(r"[.;:!?\n]|\s[-–]\s|,\s*(?:men|but|mutta|dock|og|och|and)\b")
# Two words that deny together what neither does alone: "part-qualified", "vill bli", "want to become".
DENIAL_PAIRS = frozenset(
    {
        ("part", "qualified"),
        ("partly", "qualified"),
        ("vill", "bli"),
        ("vil", "vaere"),
        ("vil", "blive"),
        ("want", "become"),
        ("to", "become"),
        ("under", "uddannelse"),
        ("under", "utbildning"),
        ("in", "training"),
        ("laeser", "till"),
        ("laeser", "til"),
    }
)


def unknown_key(label: str) -> str:
    """The key of a label outside the vocabulary: its words, folded ("SolidWorks 2023" → "solidworks")."""
    words = content_words(label_words(label))
    return "_".join(words) if words else ""


@dataclass
class Evidence:
    """Concepts → (strength, sources); word forms → sources."""

    concepts: dict[str, tuple[float, int]] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    # What the profile says it does not have (yet): "har ikke kørekort", "väntar på legitimation".
    denied: set[str] = field(default_factory=set)

    def add_concept(self, key: str, strength: float, source: int) -> None:
        old, sources = self.concepts.get(key, (0.0, 0))
        self.concepts[key] = (max(old, strength), sources | source)

    def add_words(self, forms: Iterable[str], source: int) -> None:
        for form in forms:
            self.words[form] = self.words.get(form, 0) | source

    def compact(self) -> dict[str, Any]:
        """A compact form for the search index (``from_compact`` reads it back).

        Two strings of space-separated entries ("haccp:0.85:4"), not objects keyed by concept (a
        key such as "node.js" would read as a path) nor lists of lists: a ranking reads hundreds
        of these, and one string decodes many times faster than a list of small lists.
        """
        return {
            "c": " ".join(
                f"{key}:{strength:.2f}:{sources}" for key, (strength, sources) in self.concepts.items()
            ),
            "w": " ".join(f"{form}:{sources}" for form, sources in self.words.items()),
            "d": " ".join(sorted(self.denied)),
        }

    @classmethod
    def from_compact(cls, data: Mapping[str, Any]) -> Evidence:
        concepts: dict[str, tuple[float, int]] = {}
        for entry in (data.get("c") or "").split():
            key, strength, sources = entry.rsplit(":", 2)
            concepts[key] = (float(strength), int(sources))
        words: dict[str, int] = {}
        for entry in (data.get("w") or "").split():
            form, sources = entry.rsplit(":", 1)
            words[form] = int(sources)
        return cls(concepts=concepts, words=words, denied=set((data.get("d") or "").split()))


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE.split(text) if part.strip()]


def _denial_words(text: str) -> frozenset[str]:
    """The denial words of a text, less those written as capitals: "NO" is a school subject."""
    shouted = {word.lower() for word in _CAPITALS.findall(text)}
    return DENIALS - (shouted - {word.lower() for word in _LOWERCASE.findall(text)})


def _denied_positions(clause: str) -> set[int]:
    """Positions of the words a denial reaches: a few back, and on to the end of the clause."""
    words = tokens(clause)
    denials = _denial_words(clause)
    for position, word in enumerate(words):
        if word in denials or (position and (words[position - 1], word) in DENIAL_PAIRS):
            return set(range(max(0, position - _DENIAL_BEFORE), len(words)))
    return set()


def denies(text: str) -> bool:
    """Whether a short text (a skill as listed, "D-körkort (ej klart)") denies what it names."""
    words = tokens(text)
    denials = _denial_words(text)
    return any(
        word in denials or (position and (words[position - 1], word) in DENIAL_PAIRS)
        for position, word in enumerate(words)
    )


# Words that put what follows in the past, in a headline or a listed skill: "Lastbilchauffør CE –
# tidligere tømrer" is a driver now. (In a CV, past work is the point: there they do not count.)
FORMERLY = word_set("tidligere tidigare former formerly previously ex fhv forhenvaerende")
PAST = 0.6


def _add_text(evidence: Evidence, text: str, source: int, vocab: Vocabulary, *, strength: float) -> None:
    for clause in _clauses(text):
        if source & (SKILLS | HEADLINE) and FORMERLY & set(tokens(clause)):
            _add_clause(evidence, clause, source, vocab, strength=strength * PAST)
        else:
            _add_clause(evidence, clause, source, vocab, strength=strength)


def _add_clause(evidence: Evidence, clause: str, source: int, vocab: Vocabulary, *, strength: float) -> None:
    denied = _denied_positions(clause)
    for key, token, whole in vocab.find(clause):
        if token.position in denied:
            evidence.denied.add(key)
            continue
        _add_concept_with_implied(evidence, key, strength * (1.0 if whole else PARTIAL), source, vocab)
    forms = []
    for token in vocab.lexicon.text_tokens(clause):
        if token.position in denied:
            evidence.denied.add(f"~{token.form}")  # a denied word ("legitimation")
        elif len(token.form) > 1:
            forms.append(token.form)
    evidence.add_words(content_words(forms), source)


def _add_concept_with_implied(
    evidence: Evidence, key: str, strength: float, source: int, vocab: Vocabulary
) -> None:
    for implied, steps in vocab.expand(key, depth=len(IMPLIED) - 1).items():
        evidence.add_concept(implied, strength * IMPLIED[steps], source)


def label_concepts(label: str, *, aliases: Mapping[str, str] | None = None) -> list[str]:
    """The concepts a typed label names: an organization's alias, the whole label, or what it contains.

    A label the vocabulary does not know names a concept of its own (``unknown_key``), so that
    the same words typed elsewhere still meet it.
    """
    vocab = vocabulary()
    if aliases and (key := aliases.get(" ".join(fold(label).split()))):
        return [key]
    if whole := vocab.lookup(label):
        return list(whole)
    words = label_words(label)
    found = list(vocab.find(" ".join(words)))
    # Concepts the label names in full; failing those, the heads of its compounds
    # ("Serviceelektriker" → electrician when the vocabulary does not know the compound).
    inside = list(dict.fromkeys(key for key, _, whole in found if whole)) or list(
        dict.fromkeys(key for key, _, _ in found)
    )
    if len(inside) > 1:
        # "Svensk legitimation": the language names where the authorisation is from, not a skill.
        inside = [key for key in inside if not vocab.is_language(key)] or inside
    if inside and AUTHORISATION_WORDS & set(tokens(label)):  # "SSA (aut.)" too
        # "Svensk legitimation som sjuksköterska" asks for the authorisation, not the title.
        inside = [vocab.authorisation_of.get(key, key) for key in inside]
    if inside:
        return list(dict.fromkeys(inside))
    key = unknown_key(label)
    return [key] if key else []


def profile_evidence(
    *,
    skills: Sequence[str] = (),
    headline: str = "",
    cv_text: str = "",
    history_titles: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> Evidence:
    """Everything a candidate's profile shows, and what it says it does not have."""
    vocab = vocabulary()
    evidence = Evidence()
    for label in skills:
        if denies(label):  # "D-körkort (ej klart)"
            evidence.denied.update(label_concepts(label, aliases=aliases))
            continue
        for key in label_concepts(label, aliases=aliases):
            _add_concept_with_implied(evidence, key, STRENGTH[SKILLS], SKILLS, vocab)
        _add_text(evidence, label, SKILLS, vocab, strength=STRENGTH[SKILLS])
    if headline:
        _add_text(evidence, headline, HEADLINE, vocab, strength=STRENGTH[HEADLINE])
    if cv_text:
        _add_text(evidence, cv_text, CV, vocab, strength=STRENGTH[CV])
    for title in history_titles:
        _add_text(evidence, title, HISTORY, vocab, strength=STRENGTH[HISTORY])
    _add_licence_classes(evidence, [*skills, headline, cv_text], vocab)
    _add_authorisations(evidence, [*skills, headline, cv_text], vocab)
    # A denial beats what only the CV or past roles suggest ("kørekort" in one sentence, "ikke
    # kørekort til lastbil" in the next); what the person lists or puts in their headline stays.
    for key in evidence.denied:
        if key in evidence.concepts:
            strength, sources = evidence.concepts[key]
            if strength < 1.0 or not sources & (SKILLS | HEADLINE):
                del evidence.concepts[key]
    return evidence


# Words that say a person holds their profession's authorisation ("Legitimerad sedan 2020").
_AUTHORISED = word_set(
    "autorisation autoriseret autoriserad legitimation legitimeret legitimerad legitimerat "
    "auktorisation auktoriserad registered"
)


def _add_authorisations(evidence: Evidence, texts: Sequence[str], vocab: Vocabulary) -> None:
    """An authorisation word in the profile of someone whose title has one shows that authorisation.

    "Mellanstadielärare" with "legitimerad" is a teacher's legitimation; unless the profile says
    it is still to come ("väntar på legitimation").
    """
    if evidence.denied & _AUTHORISATION_DENIED or not any(_AUTHORISED & set(tokens(t)) for t in texts):
        return
    for key, (strength, sources) in list(evidence.concepts.items()):
        concept = vocab.concepts.get(key)
        if concept is None or concept.kind != "occupation":
            continue
        for title in vocab.expand(key, depth=2):
            if authorisation := vocab.authorisation_of.get(title):
                evidence.add_concept(authorisation, strength * PROTECTED_TITLE, sources)


# Driving licence classes written on their own ("CE", "C+E", "kat. D") name a licence when the
# profile is a driver's; elsewhere "CE" is as likely the CE marking.
LICENCE_CLASSES = {
    "b": "driving_licence_b",
    "be": "driving_licence_be",
    "b+e": "driving_licence_be",
    "c1": "driving_licence_c1",
    "c": "hgv_licence",
    "ce": "driving_licence_ce",
    "c+e": "driving_licence_ce",
    "d1": "driving_licence_d1",
    "d": "driving_licence_d",
    "de": "driving_licence_de",
    "d+e": "driving_licence_de",
}
_DRIVING = frozenset({"professional_driver", "driving_licence_b", "hgv_licence", "driving_licence_d"})
_CLASS_CODE = re.compile(r"(?<![\w+])([bcd]1?(?:\s*[+/]?\s*e)?)(?![\w+])", re.IGNORECASE)
# A class next to a licence word is a licence anywhere: "B-kort", "kørekort B, C", "D licence".
_LICENCE_WORD = r"(?:k[øo]rekort|k[öo]rkort|kort|licen[cs]e|behörighet|kategori|kat\.?|class|category)"
_CLASS_BY_LICENCE = re.compile(
    rf"(?<![\w+])([bcd]1?(?:\s*[+/]?\s*e)?)(?:\s*-\s*|\s+){_LICENCE_WORD}\b"
    rf"|\b{_LICENCE_WORD}\s*[:(]?\s*((?:[bcd]1?(?:\s*[+/]?\s*e)?)(?:\s*[,/&og]+\s*[bcd]1?(?:\s*[+/]?\s*e)?)*)(?![\w+])",
    re.IGNORECASE,
)


def _add_licence_classes(evidence: Evidence, texts: Sequence[str], vocab: Vocabulary) -> None:
    driving = bool(_DRIVING & set(evidence.concepts))
    for text in texts:
        for clause in _clauses(text):
            if denies(clause):
                continue
            codes = [
                code
                for before, after in _CLASS_BY_LICENCE.findall(clause)
                for code in [before, *re.split(r"\s*[,/&]\s*|\s+og\s+", after)]
                if code
            ]
            if driving:
                codes += _CLASS_CODE.findall(clause)
            for code in codes:
                key = LICENCE_CLASSES.get(re.sub(r"[\s/]", "", code.lower()).replace("+e", "+e"))
                if key and key in vocab.concepts:
                    _add_concept_with_implied(evidence, key, STRENGTH[SKILLS], SKILLS, vocab)


# How a recruiter writes "either" and "both" inside one requirement.
_EITHER = re.compile(
    r"\s+(?:eller|el\.|or|alt\.|resp\.)\s+|(?<=[^\W\d_]{3})\s*/\s*(?=[^\W\d_]{2})", re.IGNORECASE
)
_DASH = re.compile(r"\s[–—-]\s")
_BOTH = re.compile(r"\s+(?:&|og|och|and|samt|\+)\s+|\s*;\s*", re.IGNORECASE)
_EXAMPLES = re.compile(
    r"^\s*(?:fx\.?|f\.eks\.?|t\.ex\.?|e\.g\.?|eg|such as|som|like|gerne|gärna)\s+", re.IGNORECASE
)
# Words that say how much or how well, not what: they never decide whether a skill is shown.
_GENERIC = frozenset(
    stem(word)
    for word in word_set(
        "erfaring erfarenhet experience kendskab kaennedom knowledge viden kunskap kunskaper evne evner "
        "foermaga ability skills faerdigheder faerdigheter kompetencer kompetenser competence gerne "
        "gaerna god gode goda good stor stort solid relevant relevante relevanta min mindst minst gode "
        "arbejde arbete work working lignende liknande similar tilsvarende motsvarande equivalent inden "
        "indenfor inom within brug anvendelse anvaendning use using"
    )
)


@dataclass(frozen=True)
class Term:
    """One way to meet a requirement: the concepts it names and its content words."""

    label: str
    concepts: tuple[str, ...]
    words: tuple[str, ...]

    @classmethod
    def parse(cls, label: str, *, aliases: Mapping[str, str] | None = None) -> Term:
        vocab = vocabulary()
        forms = [form for word in label_words(label) for form in vocab.lexicon.forms(word)]
        words = tuple(dict.fromkeys(form for form in content_words(forms) if form not in _GENERIC))
        if _CLASS_BY_LICENCE.search(label):
            # "Kørekort C" is its class: the word "kørekort" alone would be met by a B licence.
            words = ()
        return cls(label=label, concepts=tuple(label_concepts(label, aliases=aliases)), words=words)


@dataclass(frozen=True)
class Requirement:
    """What a recruiter asked for in their words.

    "Kvalifikationsbevis / EU-chaufførbevis" is met by either; "Menuplanlægning & kalkulation"
    asks for both (each counts half); "CAM (Esprit/Mastercam)" is met by CAM or by one of the
    examples in brackets; "Python (3+ years)" is Python.
    """

    label: str
    parts: tuple[tuple[Term, ...], ...]  # every part is wanted; each is met by any of its terms

    @property
    def concepts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for part in self.parts for term in part for key in term.concepts))

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(word for part in self.parts for term in part for word in term.words))

    @classmethod
    def parse(cls, label: str, *, aliases: Mapping[str, str] | None = None) -> Requirement:
        whole = Term.parse(label, aliases=aliases)
        if vocabulary().lookup(label):
            return cls(label=label, parts=((whole,),))  # the vocabulary knows the whole label
        # "GSS – Grundläggande säkerhet på spår": what follows a dash says the same, or gives examples.
        head, *tail = _DASH.split(label, maxsplit=1)
        label_parts = f"{head} ({tail[0]})" if tail else label
        examples = [
            _EXAMPLES.sub("", example)
            for inside in re.findall(r"\(([^)]*)\)", label_parts)
            for example in re.split(r"\s*,\s*|\s*/\s*|" + _EITHER.pattern, inside, flags=re.IGNORECASE)
            if example and example.strip()
        ]
        outside = re.sub(r"\([^)]*\)", " ", label_parts)
        parts: list[tuple[Term, ...]] = []
        for both in _BOTH.split(outside):
            terms = [
                Term.parse(either.strip(), aliases=aliases)
                for either in _EITHER.split(both)
                if either and either.strip()
            ]
            terms = [term for term in terms if term.concepts or term.words]
            if terms:
                parts.append(tuple(terms))
        extra = tuple(term for example in examples if (term := Term.parse(example, aliases=aliases)).words)
        if extra:
            # The examples in brackets meet the requirement too ("CAM (Esprit/Mastercam)").
            parts = [(*parts[0], *extra), *parts[1:]] if parts else [extra]
        if not parts:
            parts = [(whole,)]
        return cls(label=label, parts=tuple(parts))


@dataclass(frozen=True)
class Credit:
    value: float  # 0 to 1
    concept: str = ""  # the concept the evidence showed, if any
    sources: int = 0


def _best_source_strength(sources: int) -> float:
    return max((STRENGTH[bit] for bit in STRENGTH if sources & bit), default=0.0)


def _concept_credit(key: str, evidence: Evidence) -> Credit:
    """How far the evidence shows one concept: itself, or something close to it."""
    vocab = vocabulary()
    if key in evidence.concepts:
        strength, sources = evidence.concepts[key]
        return Credit(strength, key, sources)
    best = Credit(0.0)
    if key in evidence.denied:
        return best
    # The profile names something broader than asked ("food safety" for "HACCP"; "Elektriker"
    # for "Serviceelektriker": for a job title, the general trade is most of the way).
    concept = vocab.concepts.get(key)
    narrower = NARROWER_TITLE if concept is not None and concept.kind == "occupation" else NARROWER
    for parent, steps in vocab.expand(key, depth=1).items():
        if steps and parent in evidence.concepts:
            strength, sources = evidence.concepts[parent]
            if strength * narrower > best.value:
                best = Credit(strength * narrower, parent, sources)
    # A protected title shows the authorisation it requires ("sygeplejerske"), unless the
    # profile says an authorisation is still to come ("väntar på legitimation").
    if key in vocab.protected_titles and not evidence.denied & _AUTHORISATION_DENIED:
        for title in vocab.protected_titles[key]:
            if title in evidence.concepts:
                strength, sources = evidence.concepts[title]
                if strength * PROTECTED_TITLE > best.value:
                    best = Credit(strength * PROTECTED_TITLE, title, sources)
    # Another occupation of the same ISCO unit group ("ejendomsservicetekniker", "driftstekniker").
    if concept is not None and concept.group and best.value < SAME_GROUP:
        for other in vocab.by_group.get(concept.group, ()):
            if other in evidence.concepts:
                strength, sources = evidence.concepts[other]
                if strength * SAME_GROUP > best.value:
                    best = Credit(strength * SAME_GROUP, other, sources)
    return best


def _term_credit(term: Term, evidence: Evidence) -> Credit:
    best = Credit(0.0)
    if term.concepts:
        credits = [_concept_credit(key, evidence) for key in term.concepts]
        top = max(credits, key=lambda c: c.value)
        if len(credits) == 1:
            best = top
        else:
            # Several concepts in one term ("Fejlfinding på el-installationer"): each counts, the
            # best most.
            mean = sum(c.value for c in credits) / len(credits)
            best = Credit(0.5 * top.value + 0.5 * mean, top.concept, top.sources)
    if term.words:
        found = [evidence.words.get(word, 0) for word in term.words]
        share = sum(1 for sources in found if sources) / len(term.words)
        if share:
            sources = 0
            for bits in found:
                sources |= bits
            strength = min(_best_source_strength(bits) for bits in found if bits)
            # All the words of a short label are good evidence, some of them much less; a long
            # label's words count more each.
            value = strength * share ** (2 if len(term.words) <= 2 else 1.3) * (0.9 if term.concepts else 1.0)
            if value > best.value:
                best = Credit(value, term.concepts[0] if term.concepts else "", sources)
    return best


def hard_credit(requirement: Requirement, evidence: Evidence) -> float:
    """How far the evidence meets a hard requirement; never when the profile denies it.

    "Kranførercertifikat A" is not met by a profile that says "mit A-certifikat udløb i 2024",
    whatever else it shows about cranes.
    """
    if any(key in evidence.denied for key in requirement.concepts):
        return 0.0
    # What the vocabulary knows is the requirement; words it does not know beside it are details
    # ("Lärarlegitimation med behörighet Ma + NO åk 4–6" asks for the legitimation).
    known = vocabulary().concepts
    parts = tuple(
        part for part in requirement.parts if any(key in known for term in part for key in term.concepts)
    )
    if parts and len(parts) < len(requirement.parts):
        requirement = Requirement(label=requirement.label, parts=parts)
    return credit(requirement, evidence).value


def credit(requirement: Requirement, evidence: Evidence) -> Credit:
    """How far the evidence meets a requirement (0 to 1), and where it was found."""
    credits = [
        max((_term_credit(term, evidence) for term in part), key=lambda c: c.value)
        for part in requirement.parts
    ]
    if not credits:
        return Credit(0.0)
    best = max(credits, key=lambda c: c.value)
    sources = 0
    for found in credits:
        sources |= found.sources
    return Credit(sum(c.value for c in credits) / len(credits), best.concept, sources)


def where(sources: int) -> list[str]:
    return [name for bit, name in SOURCE_NAMES.items() if sources & bit]
