"""Where a place people write is: towns, districts and postal codes of the Nordic countries and the UK.

People write "Kbh. NV", "8000 Aarhus C", "Malmø", "Gbg" or "Silkeborg, Midtjylland"; recruiters
write "Aarhus" or "Göteborg". ``place_point`` finds the point for any of them from GeoNames'
gazetteer and postal codes (``data/README.md``), preferring the organization's country and then
the larger place when a name is shared.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from talentpool.core.text import fold

DATA = Path(__file__).with_name("data")
EARTH_RADIUS_KM = 6371.0
_POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_POSTCODE = re.compile(r"\b(?:(?:dk|se|s|no|n)[- ])?(\d{3}\s?\d{2}|\d{4})\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
# A district letter after a town ("Aarhus C", "København NV", "Odense SØ" folded to "soe").
_DISTRICT = re.compile(r"\s+(?:c|n|s|v|k|oe|o|nv|no|noe|sv|so|soe|vest|oest|nord|syd|centrum|city)$")
# Words around a place that are not its name.
_NOISE = re.compile(
    r"\b(?:kommune|kommun|omegn|omraadet|omradet|omraade|området|area|region|county|laen|lan|by|stad|city|"
    r"centrum|denmark|danmark|sweden|sverige|norway|norge|finland|suomi|uk|england|nearby|naer|naera|"
    r"omkring|ved|near|remote|hjemmefra|distans)\b"
)
# Short forms people write for the big cities.
ABBREVIATIONS = {
    "kbh": "koebenhavn",
    "cph": "koebenhavn",
    "kbhvn": "koebenhavn",
    "gbg": "goeteborg",
    "gtb": "goeteborg",
    "sthlm": "stockholm",
    "sthm": "stockholm",
    "hbg": "helsingborg",
    "aalb": "aalborg",
    "aarh": "aarhus",
    "århus": "aarhus",
    "arhus": "aarhus",
    "malmoe": "malmoe",
    "malmo": "malmoe",
    "goteborg": "goeteborg",
}


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    latitude: float
    longitude: float
    country: str
    population: int


@cache
def _gazetteer() -> dict[str, list[tuple[Place, bool]]]:
    """Places by name key, each marked whether the key is its whole name.

    A place is also found by its last word ("Lyngby" for Kongens Lyngby), which people drop.
    """
    with gzip.open(DATA / "places.json.gz", "rt", encoding="utf-8") as handle:
        rows = json.load(handle)
    by_name: dict[str, list[tuple[Place, bool]]] = {}
    for name, latitude, longitude, country, population, alternates in rows:
        place = Place(name, latitude, longitude, country, population)
        for spelling in {name, *alternates}:
            key = _name_key(spelling)
            by_name.setdefault(key, []).append((place, True))
            if " " in key and population:
                by_name.setdefault(key.rsplit(" ", 1)[1], []).append((place, False))
    return by_name


@cache
def _postcodes() -> dict[str, dict[str, Place]]:
    with gzip.open(DATA / "postcodes.json.gz", "rt", encoding="utf-8") as handle:
        rows = json.load(handle)
    return {
        country: {code: Place(name, lat, lon, country, 0) for code, (lat, lon, name) in codes.items()}
        for country, codes in rows.items()
    }


def _name_key(text: str) -> str:
    words = _WORD.findall(fold(text).replace("ø", "oe"))
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def _best(places: list[tuple[Place, bool]], country: str) -> Place:
    # The organization's country counts as a hundred times the people: a Danish organization's
    # "Lund" is Lund in Sweden (90,000 people), its "Give" the Danish town, not a Swedish hamlet;
    # a whole name counts as ten times ("Lyngby" is Kongens Lyngby, not a hamlet of that name).
    def weight(entry: tuple[Place, bool]) -> float:
        place, whole = entry
        return math.log10(place.population + 10) + 2 * (place.country == country) + whole

    return max(places, key=weight)[0]


def find_place(text: str, *, country: str = "DK") -> Place | None:
    """The place a text names, or None. ``country`` breaks ties between places of one name."""
    if not text or not text.strip():
        return None
    postcodes = _postcodes()
    for match in _POSTCODE.finditer(text):
        code = match[1].replace(" ", "")
        wanted = ("SE",) if len(code) == 5 else (country, "DK", "NO")
        for where in wanted:
            if place := postcodes.get(where, {}).get(code):
                return place
    gazetteer = _gazetteer()
    for part in re.split(r"[,;/()|]+|\s+-\s+|\s+og\s+|\s+och\s+|\s+and\s+", text):
        key = _name_key(re.sub(r"\d+", " ", part))
        for candidate in (key, _DISTRICT.sub("", key), _NOISE.sub(" ", key)):
            candidate = " ".join(candidate.split())
            if candidate and (places := gazetteer.get(candidate)):
                return _best(places, country)
        # "Silkeborg Midtjylland", "Lund Skåne": the first words that name a place.
        words = key.split()
        for size in range(len(words) - 1, 0, -1):
            for start in range(0, len(words) - size + 1):
                places = gazetteer.get(" ".join(words[start : start + size]))
                if places and len(words[start]) > 2:
                    return _best(places, country)
    return None


def place_point(text: str, *, country: str = "DK") -> tuple[float, float] | None:
    """(latitude, longitude) for a "latitude,longitude" pair or a place a text names."""
    if match := _POINT.match(text or ""):
        latitude, longitude = float(match[1]), float(match[2])
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            return latitude, longitude
        return None
    place = find_place(text, country=country)
    return (place.latitude, place.longitude) if place else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
