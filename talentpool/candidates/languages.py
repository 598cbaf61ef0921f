"""A candidate's language when whoever created them did not say (an ATS, an integrator).

In order: the language of the ad they applied to, the country they live in (their address, then
their phone number's country code), the language their CV is written in, and finally the
organization's own language. A Danish or Swedish organization never writes English to someone
only because nobody said otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from talentpool.core.models import Organization
from talentpool.core.text import fold
from talentpool.geo.places import find_place

LANGUAGES = ("da", "sv", "en")


# Short, frequent words that tell the three languages apart (folded: ø/ö → oe, å → aa, æ/ä → ae).
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MARKERS = {
    "da": _word_set("""
        og jeg er ikke det at en et til med har som paa af for den der vi du kan vil ogsaa min mit
        mine hos efter eller meget godt arbejde erfaring stilling virksomhed hvor
    """),
    "sv": _word_set("""
        och jag aer inte det att en ett till med har som paa av foer den vi du kan vill ocksaa min
        mitt mina hos efter eller mycket bra arbete erfarenhet tjaenst foeretag hur
    """),
    "en": _word_set("""
        and i am is not the to a an of with have has as on for that we you can will also my at in
        after or very good work experience role company where
    """),
}  # fmt: skip
_WORD = re.compile(r"[a-z]+")
_MIN_MARKERS = 4  # fewer marker words than this say nothing
_MARGIN = 1.3  # the winner must beat the runner-up by this factor

# Countries whose people we write to in one of our languages.
_COUNTRY_LANGUAGE = {"DK": "da", "SE": "sv", "GB": "en", "IE": "en", "US": "en"}
_CALLING_CODE_LANGUAGE = {
    "45": "da",
    "298": "da",
    "299": "da",
    "46": "sv",
    "44": "en",
    "353": "en",
    "1": "en",
}
_PHONE = re.compile(r"^\s*(?:\+|00)\s*(\d{1,3})")


def language_of_text(text: str, *, min_markers: int = _MIN_MARKERS) -> str | None:
    """The language a text is written in, when it says clearly (Danish, Swedish or English)."""
    words = _WORD.findall(fold(text))
    counts = {language: sum(word in markers for word in words) for language, markers in _MARKERS.items()}
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= min_markers and top >= second * _MARGIN:
        return best
    return None


def language_of_phone(phone: str) -> str | None:
    match = _PHONE.match(phone or "")
    if not match:
        return None
    digits = match.group(1)
    for length in (3, 2, 1):
        if (language := _CALLING_CODE_LANGUAGE.get(digits[:length])) is not None:
            return language
    return None


def language_of_place(location: str, *, country: str) -> str | None:
    place = find_place(location, country=country) if location else None
    return _COUNTRY_LANGUAGE.get(place.country) if place else None


def candidate_language_guess(
    data: Mapping[str, Any], *, organization: Organization, ad_text: str = ""
) -> str:
    """The language to write to a new candidate in, from what we know of them (see the module)."""
    guesses = (
        language_of_text(ad_text) if ad_text else None,
        language_of_place(str(data.get("location") or ""), country=organization.country),
        language_of_phone(str(data.get("phone") or "")),
        language_of_text(" ".join(str(data.get(name) or "") for name in ("headline", "cv_text"))),
    )
    for guess in guesses:
        if guess in LANGUAGES:
            return guess
    return organization.language if organization.language in LANGUAGES else "en"


def with_language(
    data: Mapping[str, Any], *, organization: Organization, ad_text: str = ""
) -> dict[str, Any]:
    """``data`` with a ``language``: the one given, or the best guess."""
    if data.get("language"):
        return dict(data)
    return {**data, "language": candidate_language_guess(data, organization=organization, ad_text=ad_text)}
