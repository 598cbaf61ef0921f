"""Places a recruiter can search near: a small fixed list of Danish and Swedish cities."""

from __future__ import annotations

import re

# City name → (latitude, longitude), city centres.
PLACES: dict[str, tuple[float, float]] = {
    "Aalborg": (57.0488, 9.9217),
    "Aarhus": (56.1629, 10.2039),
    "Esbjerg": (55.4765, 8.4594),
    "Herning": (56.1393, 8.9738),
    "Horsens": (55.8607, 9.8503),
    "Kolding": (55.4904, 9.4722),
    "København": (55.6761, 12.5683),
    "Odense": (55.4038, 10.4024),
    "Randers": (56.4607, 10.0364),
    "Roskilde": (55.6415, 12.0803),
    "Vejle": (55.7113, 9.5357),
    "Borås": (57.7210, 12.9401),
    "Göteborg": (57.7089, 11.9746),
    "Helsingborg": (56.0465, 12.6945),
    "Jönköping": (57.7826, 14.1618),
    "Linköping": (58.4108, 15.6214),
    "Lund": (55.7047, 13.1910),
    "Malmö": (55.6050, 13.0038),
    "Stockholm": (59.3293, 18.0686),
    "Uppsala": (59.8586, 17.6389),
    "Västerås": (59.6099, 16.5448),
    "Örebro": (59.2741, 15.2066),
}
# Other spellings people type: English names and Nordic letters written out.
ALIASES: dict[str, str] = {
    "copenhagen": "København",
    "kobenhavn": "København",
    "koebenhavn": "København",
    "århus": "Aarhus",
    "ålborg": "Aalborg",
    "gothenburg": "Göteborg",
    "goteborg": "Göteborg",
    "malmo": "Malmö",
    "orebro": "Örebro",
    "vasteras": "Västerås",
    "jonkoping": "Jönköping",
    "linkoping": "Linköping",
    "boras": "Borås",
}
_POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def place_coordinates(text: str) -> tuple[float, float] | None:
    """The point for a city of the list or a "latitude,longitude" pair; None if neither."""
    match = _POINT.match(text)
    if match:
        latitude, longitude = float(match[1]), float(match[2])
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            return latitude, longitude
        return None
    wanted = text.strip().casefold()
    for name, point in PLACES.items():
        if name.casefold() == wanted:
            return point
    name = ALIASES.get(wanted, "")
    return PLACES.get(name)
