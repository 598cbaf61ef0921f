"""Reduce GeoNames extracts to ``places.json.gz`` and ``postcodes.json.gz`` beside this file.

Input: the places extract (``{"places": [{name, ascii, alt, lat, lon, cc, pop}]}``: GeoNames'
full Danish dump and cities500 for the other countries) and the postal-code extract
(``{"postcodes": {CC: [{pc, place, lat, lon}]}}``). Run::

    python talentpool/geo/data/reduce_geonames.py places_nordic.json.gz postcodes_nordic.json.gz

Kept: Denmark, Sweden, Norway, Finland and the United Kingdom; other names only for places of
20,000 people or more (Köpenhamn, Copenhagen, Gothenburg), in Latin letters; postal codes of
Denmark, Sweden and Norway.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

COUNTRIES = ("DK", "SE", "NO", "FI", "GB")
POSTCODE_COUNTRIES = ("DK", "SE", "NO")
ALT_NAMES_FROM_POPULATION = 20_000


def _latin(name: str) -> bool:
    return all(ch.isascii() or "À" <= ch <= "ɏ" for ch in name)


def _read(path: str) -> Any:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def main(places_path: str, postcodes_path: str) -> None:
    here = Path(__file__).parent
    places = []
    for place in _read(places_path)["places"]:
        if place["cc"] not in COUNTRIES:
            continue
        alts: list[str] = []
        if (place.get("pop") or 0) >= ALT_NAMES_FROM_POPULATION:
            alts = sorted({a for a in place.get("alt", []) if _latin(a) and len(a) > 2} - {place["name"]})
        places.append(
            [
                place["name"],
                round(place["lat"], 4),
                round(place["lon"], 4),
                place["cc"],
                place.get("pop") or 0,
                alts,
            ]
        )
    with gzip.open(here / "places.json.gz", "wt", encoding="utf-8") as handle:
        json.dump(places, handle, ensure_ascii=False, separators=(",", ":"))
    codes: dict[str, dict[str, list]] = {}
    for country, rows in _read(postcodes_path)["postcodes"].items():
        if country in POSTCODE_COUNTRIES:
            codes[country] = {
                row["pc"].replace(" ", ""): [round(row["lat"], 4), round(row["lon"], 4), row["place"]]
                for row in rows
                if row.get("lat") is not None
            }
    with gzip.open(here / "postcodes.json.gz", "wt", encoding="utf-8") as handle:
        json.dump(codes, handle, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(places)} places, {sum(len(v) for v in codes.values())} postal codes")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
