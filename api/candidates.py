"""Candidates: create, update, upsert by ATS id (one or in bulk), list, read, erase, export."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import CoordinatesInputMixin, InputSerializer, OrganizationScopedViewSet, UpdatedAfterFilter
from api.errors import NON_FIELD_KEY
from talentpool.candidates.models import Candidate, CandidateQuerySet
from talentpool.candidates.services import candidate_create
from talentpool.core.models import Language
from talentpool.flows.decision import ItemError, candidate_upsert, candidates_upsert_many
from talentpool.flows.profile import candidate_change
from talentpool.flows.rights import candidate_erase
from talentpool.rights.export import candidate_export

BULK_MAX = 500
CV_TEXT_MAX = 50_000  # characters: 500 of them fit in one request body (see DATA_UPLOAD_MAX_MEMORY_SIZE)


def string_list(*, max_length: int = 100, max_items: int = 100, help_text: str = "") -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=max_length, allow_blank=False),
        max_length=max_items,
        required=False,
        help_text=help_text or None,
    )


class CandidateInput(CoordinatesInputMixin, InputSerializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    headline = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    skills = string_list(help_text="As the candidate writes them, in any language.")
    languages = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), max_length=20, required=False
    )
    years_of_experience = serializers.IntegerField(min_value=0, max_value=70, required=False, allow_null=True)
    links = serializers.ListField(child=serializers.URLField(max_length=500), max_length=20, required=False)
    tags = string_list(max_length=50)
    availability = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cv_text = serializers.CharField(
        max_length=CV_TEXT_MAX, required=False, allow_blank=True, trim_whitespace=False
    )
    source = serializers.CharField(max_length=40, required=False, allow_blank=True)  # type: ignore[assignment]  # a field named like Field.source
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CandidateUpsertInput(CandidateInput):
    source = serializers.CharField(max_length=40)
    external_id = serializers.CharField(max_length=100)


class CandidateBulkUpsertInput(InputSerializer):
    candidates = serializers.ListField(child=CandidateUpsertInput(), min_length=1, max_length=BULK_MAX)


class CandidateOutput(serializers.ModelSerializer):
    in_pool = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "headline",
            "location",
            "latitude",
            "longitude",
            "skills",
            "languages",
            "years_of_experience",
            "links",
            "tags",
            "availability",
            "source",
            "external_id",
            "in_pool",
            "consent_expires_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_in_pool(self, candidate: Candidate) -> bool:
        return candidate.is_in_pool(now=self.context.get("now"))


class UpsertResult(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source
    external_id = serializers.CharField()
    created = serializers.BooleanField()


class CandidateFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    source = django_filters.CharFilter()
    external_id = django_filters.CharFilter()
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    in_pool = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_in_pool"
    )

    class Meta:
        model = Candidate
        fields = ["updated_after", "source", "external_id", "email", "in_pool"]

    def filter_in_pool(self, queryset: QuerySet[Candidate], name: str, value: str) -> QuerySet[Candidate]:
        candidates = cast(CandidateQuerySet, queryset)
        return candidates.in_pool() if value == "true" else candidates.out_of_pool()


@extend_schema(tags=["candidates"])
class CandidateViewSet(OrganizationScopedViewSet):
    filterset_class = CandidateFilter
    serializer_class = CandidateOutput

    def base_queryset(self) -> QuerySet[Candidate]:
        return Candidate.objects.all()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def output(self, candidate: Candidate, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(
            CandidateOutput(candidate, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(summary="List candidates", responses=CandidateOutput(many=True))
    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = CandidateOutput(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @extend_schema(summary="Read a candidate", responses=CandidateOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(self.get_object())

    @extend_schema(summary="Create a candidate", request=CandidateInput, responses={201: CandidateOutput})
    def create(self, request: Request) -> Response:
        serializer = CandidateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = candidate_create(
            organization=self.organization, actor=self.actor, data=serializer.validated_data
        )
        return self.output(candidate, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a candidate", request=CandidateInput(partial=True), responses=CandidateOutput
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        candidate = self.get_object()
        serializer = CandidateInput(candidate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        candidate_change(candidate=candidate, actor=self.actor, data=serializer.validated_data)
        return self.output(candidate)

    @extend_schema(
        summary="Erase a candidate",
        description="Erase everything about the candidate: rows, files, index document, pending messages.",
        request=None,
        responses={204: OpenApiResponse(description="Erased.")},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        candidate_erase(candidate=self.get_object(), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Export a candidate's data",
        description="Everything held about the candidate, as the candidate would get it.",
        responses=OpenApiResponse(
            response={"type": "object", "additionalProperties": True}, description="The candidate's data."
        ),
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> Response:
        return Response(candidate_export(candidate=self.get_object()))

    @extend_schema(
        summary="Create or update a candidate by ATS id",
        description="Finds the candidate by `(source, external_id)` (or, failing that, by email) and "
        "updates it with the fields sent, or creates it. 201 when created, 200 when updated.",
        request=CandidateUpsertInput,
        responses={200: CandidateOutput, 201: CandidateOutput},
    )
    @action(detail=False, methods=["post"])
    def upsert(self, request: Request) -> Response:
        serializer = CandidateUpsertInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        candidate, created = candidate_upsert(
            organization=self.organization,
            actor=self.actor,
            source=data.pop("source"),
            external_id=data.pop("external_id"),
            data=data,
        )
        return self.output(candidate, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Create or update many candidates by ATS id",
        description=f"Up to {BULK_MAX} candidates in one all-or-nothing call: if any is not valid, none "
        "is written and `fields` names the offending ones (`candidates.3.email`).",
        request=CandidateBulkUpsertInput,
        responses=inline_serializer(
            "CandidateBulkUpsertOutput",
            {
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "results": UpsertResult(many=True),
            },
        ),
    )
    @action(detail=False, methods=["post"], url_path="bulk-upsert")
    def bulk_upsert(self, request: Request) -> Response:
        serializer = CandidateBulkUpsertInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = []
        for item in serializer.validated_data["candidates"]:
            data = dict(item)
            items.append((data.pop("source"), data.pop("external_id"), data))
        try:
            upserted = candidates_upsert_many(organization=self.organization, actor=self.actor, items=items)
        except ItemError as failure:
            # Name the item at fault: `candidates.3.email`.
            error = failure.error
            detail = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_KEY: error.messages}
            raise serializers.ValidationError({"candidates": {str(failure.index): detail}}) from None
        results = [
            {
                "id": candidate.pk,
                "source": candidate.source,
                "external_id": candidate.external_id,
                "created": created,
            }
            for candidate, created in upserted
        ]
        created_count = sum(1 for result in results if result["created"])
        return Response(
            {"created": created_count, "updated": len(results) - created_count, "results": results}
        )
