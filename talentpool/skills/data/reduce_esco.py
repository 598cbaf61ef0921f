"""Reduce an ESCO export to what matching uses: ``esco.json.gz`` beside this file.

Input: the compact da/sv/en export (``{"concepts": [{uri, type, labels: {lang: {pref, alt}},
broader, isco_code}]}``) made from ESCO v1.1.1's CSV files (English labels and relations), its
Swedish labels and ESCO v1.0.8's Danish occupation labels. Run::

    python talentpool/skills/data/reduce_esco.py path/to/esco_da_sv_en.json.gz

Kept: occupations (da, sv, en labels; their broader occupation and ISCO unit group), ISCO unit
groups (as the shared parent of similar occupations), knowledge (en, sv) and skills whose label
is a short noun phrase once a leading verb is dropped ("apply HACCP" → "HACCP"). Long verb
phrases ("perform HACCP inspections for aquatic organisms") never occur in what people type.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

LEADING_VERBS = re.compile(
    r"^(?:apply|use|operate|perform|manage|maintain|carry out|conduct|implement|utilise|utilize|"
    r"handle|work with|employ|undertake|execute|practise|practice|administer|tillämpa|använda|"
    r"hantera|utföra|sköta|arbeta med)\s+",
    re.IGNORECASE,
)
MAX_WORDS = 3


def short_forms(label: str) -> list[str]:
    """The label, and without its leading verb, when either is a short phrase."""
    forms = [label] if len(label.split()) <= MAX_WORDS else []
    stripped = LEADING_VERBS.sub("", label)
    if stripped != label and len(stripped.split()) <= MAX_WORDS:
        forms.append(stripped)
    return forms


def key_of(uri: str) -> str:
    kind, ident = uri.rstrip("/").split("/")[-2:]
    return f"isco_{ident.lstrip('C')}" if kind == "isco" else f"esco_{ident.replace('-', '')[:16]}"


def _read(path: str) -> Any:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def main(source: str) -> None:
    concepts = _read(source)["concepts"]
    kept: dict[str, list] = {}
    for concept in concepts:
        kind = concept["type"]
        labels: dict[str, list[str]] = {}
        for language in ("en", "da", "sv"):
            entry = concept["labels"].get(language) or {}
            names = [entry["pref"], *entry.get("alt", [])] if entry.get("pref") else []
            if kind in ("skill", "knowledge"):
                names = [form for name in names for form in short_forms(name)]
            if names:
                labels[language] = list(dict.fromkeys(names))
        if kind == "isco_group":
            if len(concept.get("code", "")) != 4:
                continue
            labels = {lang: names[:1] for lang, names in labels.items()}  # display only
        elif kind not in ("occupation", "skill", "knowledge") or "en" not in labels:
            continue
        kept[concept["uri"]] = [
            key_of(concept["uri"]),
            kind,
            concept.get("isco_code", ""),
            labels,
            concept.get("broader", []),
        ]
    for record in kept.values():
        record[4] = sorted({key_of(uri) for uri in record[4] if uri in kept})
    out = Path(__file__).with_name("esco.json.gz")
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        json.dump(sorted(kept.values()), handle, ensure_ascii=False, separators=(",", ":"))
    print(f"{out}: {len(kept)} concepts")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
