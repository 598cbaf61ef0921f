"""Runner-ups with feedback. Posting one is the hiring-decision call of an ATS."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import IdFilter, InputSerializer, OrganizationScopedViewSet, UpdatedAfterFilter
from api.candidates import CandidateInput
from api.openings import OpeningInput
from talentpool.flows.decision import Reference, hiring_decision_record
from talentpool.openings.models import Feedback, FeedbackItem, RunnerUp
from talentpool.openings.services import FeedbackInput


class CandidateReferenceInput(CandidateInput):
    """Our `id`, or the ATS's `source` and `external_id` (with the details to create them)."""

    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    first_name = serializers.CharField(max_length=100, required=False)
    email = serializers.EmailField(max_length=254, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        by_id = attrs.get("id") is not None
        if by_id and len(attrs) > 1:
            raise serializers.ValidationError(
                {"id": ["Give either `id` alone, or `source` and `external_id`."]}
            )
        if not by_id and not attrs.get("external_id"):
            raise serializers.ValidationError({"external_id": ["Give `id`, or `source` and `external_id`."]})
        return attrs


class OpeningReferenceInput(OpeningInput):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    title = serializers.CharField(max_length=200, required=False)
    recruiter_emails = None  # type: ignore[assignment]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        by_id = attrs.get("id") is not None
        if by_id and len(attrs) > 1:
            raise serializers.ValidationError(
                {"id": ["Give either `id` alone, or `source` and `external_id`."]}
            )
        if not by_id and not attrs.get("external_id"):
            raise serializers.ValidationError({"external_id": ["Give `id`, or `source` and `external_id`."]})
        return attrs


class DevelopmentAreaInput(InputSerializer):
    category = serializers.ChoiceField(choices=FeedbackItem.Category.choices)
    text = serializers.CharField(max_length=500)


class FeedbackInputSerializer(InputSerializer):
    strengths = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=20, required=False
    )
    development_areas = serializers.ListField(child=DevelopmentAreaInput(), max_length=20, required=False)
    next_steps = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=20, required=False
    )
    free_text = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    share_with_candidate = serializers.BooleanField(required=False, default=True)


class HiringDecisionInput(InputSerializer):
    candidate = CandidateReferenceInput()
    opening = OpeningReferenceInput()
    stage = serializers.ChoiceField(choices=RunnerUp.Stage.choices)
    rank = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=2)
    closeness = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    contact_first = serializers.BooleanField(required=False, default=False)
    decided_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    feedback = FeedbackInputSerializer(required=False)


class DevelopmentAreaOutput(serializers.Serializer):
    category = serializers.CharField()
    text = serializers.CharField()


class FeedbackOutput(serializers.ModelSerializer):
    strengths = serializers.SerializerMethodField()
    development_areas = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "status",
            "strengths",
            "development_areas",
            "next_steps",
            "free_text",
            "share_with_candidate",
        ]
        read_only_fields = fields

    def _items(self, feedback: Feedback, kind: str) -> list[FeedbackItem]:
        return [item for item in feedback.items.all() if item.kind == kind]

    def get_strengths(self, feedback: Feedback) -> list[str]:
        return [item.text for item in self._items(feedback, FeedbackItem.Kind.STRENGTH)]

    @extend_schema_field(DevelopmentAreaOutput(many=True))
    def get_development_areas(self, feedback: Feedback) -> list[dict[str, str]]:
        return [
            {"category": item.category, "text": item.text}
            for item in self._items(feedback, FeedbackItem.Kind.DEVELOPMENT_AREA)
        ]

    def get_next_steps(self, feedback: Feedback) -> list[str]:
        return [item.text for item in self._items(feedback, FeedbackItem.Kind.NEXT_STEP)]


class RunnerUpOutput(serializers.ModelSerializer):
    candidate_id = serializers.IntegerField(read_only=True)
    opening_id = serializers.IntegerField(read_only=True)
    feedback = serializers.SerializerMethodField()

    class Meta:
        model = RunnerUp
        fields = [
            "id",
            "candidate_id",
            "opening_id",
            "stage",
            "rank",
            "closeness",
            "contact_first",
            "decided_at",
            "notes",
            "feedback",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(FeedbackOutput(allow_null=True))
    def get_feedback(self, runner_up: RunnerUp) -> dict[str, Any] | None:
        feedback = getattr(runner_up, "feedback", None)
        return FeedbackOutput(feedback).data if feedback is not None else None


class RunnerUpFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    candidate = IdFilter(field_name="candidate_id")
    opening = IdFilter(field_name="opening_id")

    class Meta:
        model = RunnerUp
        fields = ["updated_after", "candidate", "opening"]


def reference(data: dict[str, Any]) -> Reference:
    data = dict(data)
    if data.get("id") is not None:
        return Reference(id=data["id"])
    return Reference(source=data.pop("source", ""), external_id=data.pop("external_id"), data=data)


def feedback_input(data: dict[str, Any] | None) -> FeedbackInput | None:
    if data is None:
        return None
    return FeedbackInput(
        strengths=data.get("strengths", []),
        development_areas=[(area["category"], area["text"]) for area in data.get("development_areas", [])],
        next_steps=data.get("next_steps", []),
        free_text=data.get("free_text", ""),
        share_with_candidate=data.get("share_with_candidate", True),
    )


@extend_schema(tags=["runner-ups"])
class RunnerUpViewSet(OrganizationScopedViewSet):
    filterset_class = RunnerUpFilter
    serializer_class = RunnerUpOutput

    def base_queryset(self) -> QuerySet[RunnerUp]:
        items = FeedbackItem.objects.order_by("kind", "position", "id")
        return RunnerUp.objects.select_related("feedback").prefetch_related(
            Prefetch("feedback__items", queryset=items)
        )

    @extend_schema(summary="List runner-ups", responses=RunnerUpOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(RunnerUpOutput(page, many=True).data)

    @extend_schema(summary="Read a runner-up", responses=RunnerUpOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RunnerUpOutput(self.get_object()).data)

    @extend_schema(
        summary="Record a hiring decision",
        description="One call carries the candidate, the opening, the stage reached, the rank and the "
        "feedback. The candidate and the opening are named by our `id`, or by your `source` and "
        "`external_id`; unknown ones are created from the details sent. Sending the same pair again "
        "updates the decision.",
        request=HiringDecisionInput,
        responses={201: RunnerUpOutput},
    )
    def create(self, request: Request) -> Response:
        serializer = HiringDecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        runner_up = hiring_decision_record(
            organization=self.organization,
            actor=self.actor,
            candidate=reference(data["candidate"]),
            opening=reference(data["opening"]),
            stage=data["stage"],
            rank=data["rank"],
            closeness=data.get("closeness"),
            contact_first=data["contact_first"],
            decided_at=data.get("decided_at"),
            notes=data["notes"],
            feedback=feedback_input(data.get("feedback")),
        )
        return Response(
            RunnerUpOutput(self.get_queryset().get(pk=runner_up.pk)).data, status=status.HTTP_201_CREATED
        )
