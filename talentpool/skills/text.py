"""How words are compared: folded, split, stripped of qualifiers and inflections, alike in da, sv and en.

Everything that matches words (skill labels, job titles, CV text, the search index's terms) goes
through ``word_forms``, so a label and a text meet in the same form whatever the language,
spelling or inflection: "Tømrere" and "tomrer" are both ``tomr``, "SolidWorks 2023 (certificeret)"
is ``solidwork``, and "lastbilsmekaniker" is the compound ``lastbil+mekanik`` like
"lastbilmekaniker" (see ``Lexicon.compound``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from talentpool.core.text import fold


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string: long word lists read better that way."""
    return frozenset(text.split())


_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9+#]+)*|[.#][a-z0-9]+")
_PARENTHESES = re.compile(r"\(([^)]*)\)")

# Words that qualify a skill without changing what it is: a level, a certification state, a
# version. "SolidWorks 2023 (certificeret)" is SolidWorks.
QUALIFIERS = frozenset(
    {
        "sr",
        "jr",
        "senior",
        "junior",
        "certificeret",
        "certifieret",
        "certified",
        "certifierad",
        "certifikat",
        "cert",
        "erfaren",
        "erfarenhet",
        "erfaring",
        "experienced",
        "advanced",
        "avanceret",
        "avancerad",
        "expert",
        "basic",
        "grundlaeggende",
        "grundlaggande",
        "kendskab",
        "kaennedom",
        "knowledge",
        "version",
        "ver",
        "nivaa",
        "niva",
        "level",
        "min",
        "aars",
        "aar",
        "years",
        "year",
        "yrs",
        "aarig",
    }
)
# A version or a year ("v3", "2023", "3.11"), not a name's number ("Kode 95", "ISO 9001", "MAG 135").
_VERSION = re.compile(r"^(?:v\d+(?:\.\d+)*|(?:19|20)\d\d|\d+\.\d+(?:\.\d+)*|[ivx]{1,4})$")

# Function words of the three languages, never a skill on their own.
STOP_WORDS = word_set(
    "og i at en et den det de er til af paa med for som har jeg vi du ikke fra eller om ved hos samt "
    "min mit mine sin sit sine vores jeres deres var blev bliver kan skal vil ogsaa efter over under "
    "mellem inden uden hvor hvis naar der her hans hendes dem os mig dig ud op ind godt gode god "
    "meget mere mest flere alle andre anden andet hver hvert och att en ett den det de aer till av "
    "paa med foer som har jag vi du inte fraan eller om vid hos samt min mitt mina sin sitt sina vaar "
    "vaart vaara var blev blir kan ska vill ocksaa efter oever under mellan innan utan daer haer hans "
    "hennes dem oss mig dig ut upp in bra mycket mer mest fler alla andra annan annat varje and the a "
    "an of to in on at for with as by from or is are was were be been has have had i my our your "
    "their his her it its this that these those we you they he she not also over under between within "
    "without into out up about very more most other each every"
)

# Inflectional endings of Danish, Swedish and English, longest first. One is stripped, so a
# word and its plural or definite form meet ("tømrer", "tømrere", "tømreren"; "snickare",
# "snickaren", "snickarna"; "manager", "managers").
_SUFFIXES = tuple(
    sorted(
        word_set(
            # Danish (after Snowball's Danish stemmer)
            "e en ene er ere erne es et ens enes ers erens ernes ets eres ende endes ede erede eren erer"
            # Swedish (after Snowball's Swedish stemmer)
            " a ar or er ade ande arne are arna erna orna ad en aren arens arnas ernas ornas as es ens"
            " at ast"
            # English
            " s es ies ing ings ed"
        ),
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 3
_DOUBLED = re.compile(r"([bcdfgklmnprstv])\1$")


def tokens(text: str) -> list[str]:
    """The folded words of a text, keeping "c++", "c#", ".net" and "node.js" whole."""
    return _TOKEN.findall(fold(text).replace("-", " ").replace("/", " ").replace("_", " "))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A folded word without its inflectional ending ("tomrere" → "tomr", "kokke" → "kok")."""
    if len(word) <= _MIN_STEM + 1 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    # "kokk" → "kok", "chauffoer" stays: a doubled final consonant left by the ending goes.
    return _DOUBLED.sub(r"\1", word) if len(word) > _MIN_STEM else word


def is_qualifier(word: str) -> bool:
    return word in QUALIFIERS or bool(_VERSION.match(word))


def label_words(label: str) -> list[str]:
    """A skill label's words without qualifiers and versions ("SolidWorks 2023 (cert.)" → ["solidworks"]).

    A label made only of qualifiers keeps them ("Senior" stays "senior").
    """
    bare = _PARENTHESES.sub(" ", label)
    words = [word for word in tokens(bare) if not is_qualifier(word)]
    return words or tokens(label)


def content_words(words: Iterable[str]) -> list[str]:
    """Words that carry meaning: no stop words, no single letters, no bare numbers."""
    return [w for w in words if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()]


def one_edit_apart(a: str, b: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped (Damerau distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return a[i + 1 : i + 2] == b[i : i + 1] and a[i : i + 1] == b[i + 1 : i + 2] and a[i + 2 :] == b[i + 2 :]
