"""Match alerts: who in the pool fits an opening. List them, and set their status."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import IdFilter, InputSerializer, OrganizationScopedViewSet
from talentpool.matching.models import MatchAlert
from talentpool.matching.services import match_alert_set_status


class MatchAlertOutput(serializers.ModelSerializer):
    opening_id = serializers.IntegerField(read_only=True)
    candidate_id = serializers.IntegerField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MatchAlert
        fields = [
            "id",
            "opening_id",
            "candidate_id",
            "score",
            "reasons",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MatchAlertStatusInput(InputSerializer):
    status = serializers.ChoiceField(choices=MatchAlert.Status.choices)


class MatchAlertFilter(django_filters.FilterSet):
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
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

    @extend_schema(summary="List match alerts", responses=MatchAlertOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MatchAlertOutput(page, many=True).data)

    @extend_schema(summary="Read a match alert", responses=MatchAlertOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MatchAlertOutput(self.get_object()).data)

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
        return Response(MatchAlertOutput(alert).data)
