"""The one pool search: the admin's and the API's, always scoped to the organization and the pool."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch_dsl import Q, Search

from integrations.search.indices import IndexNotReady, SearchIndex
from talentpool.candidates.models import SkillAlias
from talentpool.search.candidates import candidate_index
from talentpool.skills.labels import skill_concepts

SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"updated_at": "desc"}, {"row_id": "asc"}],
    "updated": [{"updated_at": "desc"}, {"row_id": "asc"}],
    "experience": [{"years_of_experience": {"order": "desc", "missing": "_last"}}, {"row_id": "asc"}],
    "consent_expiry": [{"consent_expires_at": "asc"}, {"row_id": "asc"}],
}
FACETS = {
    "skills": "skills",
    "languages": "languages",
    "tags": "tags",
    "stages": "stages",
    "feedback_categories": "feedback_categories",
    "locations": "location_text.raw",
}
TEXT_FIELDS = [
    "name^3",
    "headline^2",
    "headline.da^2",
    "headline.sv^2",
    "headline.en^2",
    "skill_labels^2",
    "cv_text",
    "cv_text.da",
    "cv_text.sv",
    "cv_text.en",
    "runner_up_titles",
    "location_text",
]
HIGHLIGHT_FIELDS = ("headline", "cv_text", "skill_labels", "runner_up_titles")
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000


@dataclass(frozen=True)
class CandidateQuery:
    """What a recruiter asks of the pool. Every part is optional."""

    text: str = ""
    skills_all: Sequence[str] = ()
    skills_any: Sequence[str] = ()
    languages: Sequence[str] = ()
    near: tuple[float, float] | None = None  # (latitude, longitude)
    within_km: float = 50.0
    years_min: int | None = None
    years_max: int | None = None
    tags: Sequence[str] = ()
    stages: Sequence[str] = ()
    consent_expires_before: dt.datetime | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass(frozen=True)
class CandidateHit:
    candidate_id: int
    score: float | None
    highlights: dict[str, list[str]]
    source: dict[str, Any]


@dataclass(frozen=True)
class CandidateSearchResult:
    total: int
    hits: list[CandidateHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20


class SearchQueryError(ValueError):
    """The query cannot be run as asked (a bad sort or page); the message names the part."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(message)


def candidate_search_body(
    *, organization_id: int, query: CandidateQuery, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The engine query for a pool search. Always scoped to the organization and the pool."""
    if query.sort not in SORTS:
        raise SearchQueryError("sort", f"Unknown sort {query.sort!r}; use one of {', '.join(SORTS)}.")
    if query.page < 1 or not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise SearchQueryError("page", f"Pages start at 1 and hold 1 to {MAX_PAGE_SIZE} results.")
    if query.page * query.page_size > MAX_RESULT_WINDOW:
        raise SearchQueryError("page", f"Only the first {MAX_RESULT_WINDOW} results can be paged through.")
    now = now or timezone.now()
    wanted = query.skills_all or query.skills_any
    aliases = SkillAlias.objects.as_map(organization_id=organization_id) if wanted else {}
    # The two filters nothing can remove: this organization, and consent active now.
    filters: list[Any] = [
        Q("term", organization_id=organization_id),
        Q("range", consent_expires_at={"gt": now.isoformat()}),
    ]
    # Each label asked for may name more than one concept; any of them will do.
    filters += [Q("terms", skills=skill_concepts([label], aliases=aliases)) for label in query.skills_all]
    if query.skills_any:
        filters.append(Q("terms", skills=skill_concepts(query.skills_any, aliases=aliases)))
    filters += [Q("term", languages=code.lower()) for code in query.languages]
    if query.tags:
        filters.append(Q("terms", tags=list(query.tags)))
    if query.stages:
        filters.append(Q("terms", stages=list(query.stages)))
    if query.near is not None:
        latitude, longitude = query.near
        filters.append(
            Q("geo_distance", distance=f"{query.within_km}km", location={"lat": latitude, "lon": longitude})
        )
    years: dict[str, int] = {}
    if query.years_min is not None:
        years["gte"] = query.years_min
    if query.years_max is not None:
        years["lte"] = query.years_max
    if years:
        filters.append(Q("range", years_of_experience=years))
    if query.consent_expires_before is not None:
        filters.append(Q("range", consent_expires_at={"lt": query.consent_expires_before.isoformat()}))

    text = query.text.strip()
    must = (
        [Q("multi_match", query=text, fields=TEXT_FIELDS, type="cross_fields", operator="and")]
        if text
        else []
    )
    search = (
        Search()
        .query(Q("bool", must=must, filter=filters))
        .sort(*SORTS[query.sort])
        .extra(track_total_hits=True, from_=(query.page - 1) * query.page_size, size=query.page_size)
        .source(excludes=["cv_text", "skill_labels", "fingerprint", "concepts", "match_profile"])
    )
    for name, field_name in FACETS.items():
        search.aggs.bucket(name, "terms", field=field_name, size=20)
    if text:
        search = search.highlight(
            *HIGHLIGHT_FIELDS, fragment_size=160, number_of_fragments=2
        ).highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html")
    return search.to_dict()


def candidate_search(
    *, organization_id: int, query: CandidateQuery, now: dt.datetime | None = None
) -> CandidateSearchResult:
    """Search the organization's talent pool. The admin and the API both come through here."""
    body = candidate_search_body(organization_id=organization_id, query=query, now=now)
    response = index_search(candidate_index, body)
    hits = [
        CandidateHit(
            candidate_id=int(hit["_id"]),
            score=hit.get("_score"),
            highlights=hit.get("highlight", {}),
            source=hit["_source"],
        )
        for hit in response["hits"]["hits"]
    ]
    aggregations = response.get("aggregations", {})
    facets = {
        name: [
            (str(bucket["key"]), int(bucket["doc_count"]))
            for bucket in aggregations.get(name, {}).get("buckets", [])
        ]
        for name in FACETS
    }
    return CandidateSearchResult(
        total=int(response["hits"]["total"]["value"]),
        hits=hits,
        facets=facets,
        page=query.page,
        page_size=query.page_size,
    )


def index_search(index: SearchIndex, body: dict[str, Any]) -> dict[str, Any]:
    """Search an index; ``IndexNotReady`` if it is missing or still being filled from the database.

    An engine that lost the index (restarted empty) gets it back here, to be filled by ``heal``;
    answering from an empty or half-filled index would hide people who are in the pool.
    """
    index.ensure()
    try:
        return dict(index.client.search(index=index.read_alias, body=body))
    except NotFoundError as error:
        missing = error
    # Gone since this process last looked: recreate it. Without a worker (the embedded default) it
    # is filled here and now, and the search is answered after all.
    index.forget()
    index.ensure()
    try:
        return dict(index.client.search(index=index.read_alias, body=body))
    except NotFoundError:
        raise IndexNotReady(f"{index.read_alias} is being filled from the database") from missing
