"""Text as our code compares it: folded to plain lowercase letters, whatever the language."""

from __future__ import annotations

import unicodedata

# Nordic letters that do not decompose into a base letter and an accent; Danish æ/ø and Swedish
# ä/ö fold alike, so "lærer" and "lärare" share their first letters.
_FOLD = str.maketrans(
    {"æ": "ae", "ä": "ae", "ø": "oe", "ö": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ü": "ue"}
)


def fold(text: str) -> str:
    """Lowercase, Nordic letters written out, accents dropped: "Kbh. Ø" → "kbh. oe"."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_FOLD))
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
