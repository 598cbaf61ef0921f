"""Webhook endpoints: register (the signing secret is shown once), change, remove; list deliveries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import InputSerializer, OrganizationScopedViewSet
from talentpool.webhooks.models import WebhookDelivery, WebhookEndpoint
from talentpool.webhooks.services import (
    EVENT_TYPES,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
)


class WebhookEndpointInput(InputSerializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES),
        max_length=len(EVENT_TYPES),
        required=False,
        help_text="The events to receive; empty or missing means every event.",
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(
        required=False, help_text="Set true to re-enable a disabled endpoint."
    )


class WebhookEndpointOutput(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookEndpointCreatedOutput(WebhookEndpointOutput):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret (`whsec_...`). Shown only in this response."
    )

    class Meta(WebhookEndpointOutput.Meta):
        fields = [*WebhookEndpointOutput.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookDeliveryOutput(serializers.ModelSerializer):
    endpoint_id = serializers.IntegerField(read_only=True)
    payload = serializers.DictField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint_id",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "response_status",
            "response_body",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema(tags=["webhooks"])
class WebhookEndpointViewSet(OrganizationScopedViewSet):
    serializer_class = WebhookEndpointOutput

    def base_queryset(self) -> QuerySet[WebhookEndpoint]:
        return WebhookEndpoint.objects.all()

    @extend_schema(summary="List webhook endpoints", responses=WebhookEndpointOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookEndpointOutput(page, many=True).data)

    @extend_schema(summary="Read a webhook endpoint", responses=WebhookEndpointOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(WebhookEndpointOutput(self.get_object()).data)

    @extend_schema(
        summary="Register a webhook endpoint",
        description="Events are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, "
        "`webhook-signature`). The secret is in this response only.",
        request=WebhookEndpointInput,
        responses={201: WebhookEndpointCreatedOutput},
    )
    def create(self, request: Request) -> Response:
        serializer = WebhookEndpointInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        data.pop("is_active", None)
        endpoint = webhook_endpoint_create(organization=self.organization, actor=self.actor, **data)
        return Response(WebhookEndpointCreatedOutput(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a webhook endpoint",
        request=WebhookEndpointInput(partial=True),
        responses=WebhookEndpointOutput,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        serializer = WebhookEndpointInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(
            endpoint=endpoint, actor=self.actor, data=serializer.validated_data
        )
        return Response(WebhookEndpointOutput(endpoint).data)

    @extend_schema(
        summary="Remove a webhook endpoint",
        request=None,
        responses={204: OpenApiResponse(description="Removed.")},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        webhook_endpoint_delete(endpoint=self.get_object(), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="List an endpoint's deliveries", responses=WebhookDeliveryOutput(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        queryset = WebhookDelivery.objects.filter(organization_id=self.organization_id, endpoint=endpoint)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(WebhookDeliveryOutput(page, many=True).data)
