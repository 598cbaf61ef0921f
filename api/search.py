"""Searching the talent pool: the same search service as the admin, scoped to the caller."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ApiView, InputSerializer
from api.candidates import CandidateOutput
from api.errors import search_unavailable
from integrations.search.indices import is_unavailable
from talentpool.candidates.models import Candidate
from talentpool.openings.models import RunnerUp
from talentpool.search.selectors import FACETS, MAX_PAGE_SIZE, SORTS, CandidateQuery, candidate_search

logger = logging.getLogger(__name__)


def query_list(*, max_length: int = 100) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=max_length), max_length=20, required=False
    )


class SearchInput(InputSerializer):
    text = serializers.CharField(max_length=500, required=False, allow_blank=True)
    skills_all = query_list()
    skills_any = query_list()
    languages = query_list(max_length=2)
    tags = query_list(max_length=50)
    stages = serializers.ListField(
        child=serializers.ChoiceField(choices=RunnerUp.Stage.choices), max_length=6, required=False
    )
    near = serializers.RegexField(
        r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$",
        max_length=40,
        required=False,
        help_text="`latitude,longitude`, such as `55.68,12.57`.",
    )
    within_km = serializers.FloatField(min_value=0.1, max_value=2000, required=False)
    years_min = serializers.IntegerField(min_value=0, max_value=70, required=False)
    years_max = serializers.IntegerField(min_value=0, max_value=70, required=False)
    consent_expires_before = serializers.DateTimeField(required=False)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False)
    page = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)

    def validate_near(self, value: str) -> tuple[float, float]:
        latitude, longitude = (float(part) for part in value.split(","))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise serializers.ValidationError("Latitude is -90 to 90 and longitude -180 to 180.")
        return latitude, longitude


class SearchHitOutput(serializers.Serializer):
    candidate = CandidateOutput()
    score = serializers.FloatField(allow_null=True)
    highlights = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class FacetOutput(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


SearchOutput = inline_serializer(
    "CandidateSearchOutput",
    {
        "total": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "results": SearchHitOutput(many=True),
        "facets": serializers.DictField(child=FacetOutput(many=True)),
    },
)


class CandidateSearchView(ApiView):
    schema_tags = ["search"]

    @extend_schema(
        summary="Search the talent pool",
        description="Only candidates in the pool (with active consent) are found. Facets: "
        + ", ".join(FACETS)
        + ".",
        parameters=[SearchInput],
        responses=SearchOutput,
    )
    def get(self, request: Request) -> Response:
        serializer = SearchInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        query = CandidateQuery(**serializer.validated_data)
        try:
            result = candidate_search(organization_id=self.organization_id, query=query)
        except Exception as error:
            if not is_unavailable(error):
                raise
            raise search_unavailable(error) from None
        now = timezone.now()
        candidates = Candidate.objects.filter(
            organization_id=self.organization_id, pk__in=[hit.candidate_id for hit in result.hits]
        ).in_bulk()
        context = {"now": now}
        results: list[dict[str, Any]] = [
            {
                "candidate": CandidateOutput(candidates[hit.candidate_id], context=context).data,
                "score": hit.score,
                "highlights": hit.highlights,
            }
            for hit in result.hits
            if hit.candidate_id in candidates
        ]
        return Response(
            {
                "total": result.total,
                "page": result.page,
                "page_size": result.page_size,
                "results": results,
                "facets": {
                    name: [{"value": value, "count": count} for value, count in buckets]
                    for name, buckets in result.facets.items()
                },
            }
        )
