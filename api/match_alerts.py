"""Match alerts: who in the pool fits an opening. List them, and set their status."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import IdFilter, InputSerializer, OrganizationScopedViewSet, UpdatedAfterFilter
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import reasons_text
from talentpool.matching.services import match_alert_set_status


class ReasonOutput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["role", "skill", "runner_up", "gap_closed", "distance", "remote", "languages"]
    )
    requirement = serializers.CharField(required=False, help_text="The opening's words it answers.")
    concept = serializers.CharField(required=False, help_text="The concept the evidence showed.")
    label = serializers.CharField(required=False, help_text="The concept's label.")  # type: ignore[assignment]  # a field named like Field.label
    found_in = serializers.ListField(
        child=serializers.ChoiceField(choices=["profile", "headline", "cv", "history"]),
        required=False,
        help_text="Where the profile shows it.",
    )
    must = serializers.BooleanField(required=False)
    opening = serializers.CharField(required=False, help_text="The title of a past opening.")
    stage = serializers.CharField(required=False, help_text="The stage reached there.")
    km = serializers.IntegerField(required=False)
    place = serializers.CharField(required=False)
    codes = serializers.ListField(child=serializers.CharField(), required=False)


class MatchAlertOutput(serializers.ModelSerializer):
    opening_id = serializers.IntegerField(read_only=True)
    candidate_id = serializers.IntegerField(read_only=True)
    reasons = serializers.SerializerMethodField()
    reasons_text = serializers.SerializerMethodField()

    class Meta:
        model = MatchAlert
        fields = [
            "id",
            "opening_id",
            "candidate_id",
            "score",
            "reasons",
            "reasons_text",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReasonOutput(many=True))
    def get_reasons(self, alert: MatchAlert) -> list[dict[str, Any]]:
        return list(alert.reasons)

    def get_reasons_text(self, alert: MatchAlert) -> str:
        """The reasons in one sentence, in the organization's language."""
        return reasons_text(alert.reasons, language=self.context.get("language", "en"))


class MatchAlertStatusInput(InputSerializer):
    status = serializers.ChoiceField(choices=MatchAlert.Status.choices)


class MatchAlertFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    opening = IdFilter(field_name="opening_id")
    candidate = IdFilter(field_name="candidate_id")
    status = django_filters.ChoiceFilter(choices=MatchAlert.Status.choices)

    class Meta:
        model = MatchAlert
        fields = ["updated_after", "opening", "candidate", "status"]


@extend_schema(tags=["match-alerts"])
class MatchAlertViewSet(OrganizationScopedViewSet):
    filterset_class = MatchAlertFilter
    serializer_class = MatchAlertOutput

    def base_queryset(self) -> QuerySet[MatchAlert]:
        return MatchAlert.objects.all()

    def language(self) -> dict[str, str]:
        return {"language": self.organization.language}

    @extend_schema(summary="List match alerts", responses=MatchAlertOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MatchAlertOutput(page, many=True, context=self.language()).data)

    @extend_schema(summary="Read a match alert", responses=MatchAlertOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MatchAlertOutput(self.get_object(), context=self.language()).data)

    @extend_schema(
        summary="Set a match alert's status", request=MatchAlertStatusInput, responses=MatchAlertOutput
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        alert = self.get_object()
        serializer = MatchAlertStatusInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = match_alert_set_status(
            alert=alert, status=serializer.validated_data["status"], actor=self.actor
        )
        return Response(MatchAlertOutput(alert, context=self.language()).data)
