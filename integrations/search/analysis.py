"""Text analysis per language, under names the mappings share: ``tp_da``, ``tp_sv``, ``tp_en``.

On Elasticsearch they are its built-in danish, swedish and english analyzers (stemming, stop
words). osmem refuses the built-in Danish and Swedish analyzers and indexes every token as an
empty string with a Danish stemmer, so its profile folds case and accents and drops stop words,
without stemming: a search for "projektledere" does not find "projektleder" there.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("da", "sv", "en")
_BUILT_IN = {"da": "danish", "sv": "swedish", "en": "english"}


def analyzer_name(language: str) -> str:
    return f"tp_{language}"


def analysis_settings(*, embedded: bool) -> dict[str, Any]:
    analyzers: dict[str, Any] = {
        "tp_folding": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}
    }
    filters: dict[str, Any] = {}
    for language in LANGUAGES:
        if embedded:
            filters[f"tp_{language}_stop"] = {"type": "stop", "stopwords": f"_{_BUILT_IN[language]}_"}
            analyzers[analyzer_name(language)] = {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", f"tp_{language}_stop", "asciifolding"],
            }
        else:
            analyzers[analyzer_name(language)] = {"type": _BUILT_IN[language]}
    return {"analysis": {"analyzer": analyzers, "filter": filters}}
