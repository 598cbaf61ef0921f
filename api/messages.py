"""Messages to candidates: their status, read-only (recruiters approve them in the admin)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import IdFilter, OrganizationScopedViewSet, UpdatedAfterFilter
from talentpool.messaging.models import Message


class MessageOutput(serializers.ModelSerializer):
    candidate_id = serializers.IntegerField(read_only=True, allow_null=True)
    opening_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "status",
            "candidate_id",
            "opening_id",
            "language",
            "subject",
            "scheduled_at",
            "sent_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MessageFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    candidate = IdFilter(field_name="candidate_id")
    status = django_filters.ChoiceFilter(choices=Message.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Message.Kind.choices)

    class Meta:
        model = Message
        fields = ["updated_after", "candidate", "status", "kind"]


@extend_schema(tags=["messages"])
class MessageViewSet(OrganizationScopedViewSet):
    filterset_class = MessageFilter
    serializer_class = MessageOutput

    def base_queryset(self) -> QuerySet[Message]:
        # Messages to candidates only; recruiters' digests are not the ATS's business.
        return Message.objects.filter(candidate__isnull=False)

    @extend_schema(summary="List messages", responses=MessageOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MessageOutput(page, many=True).data)

    @extend_schema(summary="Read a message's status", responses=MessageOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MessageOutput(self.get_object()).data)
