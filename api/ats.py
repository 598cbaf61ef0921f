"""Webhooks from ATS vendors: ``POST /api/v1/ats/<vendor>/<connection id>/``.

No API key here: the vendor's own signature, checked with the connection's shared secret, is
the authentication. A rejection late enough in the process becomes a hiring decision.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.models import AtsConnection
from integrations.ats.base import Decision, PayloadError, SignatureError
from integrations.ats.lever import LeverApiError
from integrations.ats.registry import ADAPTERS
from talentpool.core.actors import Actor
from talentpool.flows.decision import hiring_decision_record

logger = logging.getLogger(__name__)


@extend_schema(exclude=True)
class AtsWebhookView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    def post(self, request: Request, vendor: str, connection_id: str) -> Response:
        adapter = ADAPTERS.get(vendor)
        connection = (
            AtsConnection.objects.select_related("organization")
            .filter(public_id=connection_id, vendor=vendor, is_active=True)
            .first()
        )
        if adapter is None or connection is None:
            raise ApiError(status_code=404, code="not_found", message="No such ATS connection.")
        body = request.body
        try:
            adapter.verify(body=body, headers=request.headers, secret=connection.secret)
        except SignatureError as error:
            logger.warning(
                "ATS webhook signature refused", extra={"vendor": vendor, "connection_id": connection.pk}
            )
            raise ApiError(status_code=401, code="invalid_signature", message=str(error)) from None
        try:
            payload = json.loads(body)
        except ValueError:
            raise ApiError(status_code=400, code="parse_error", message="The body is not JSON.") from None
        try:
            decision = adapter.parse(payload, minimum_stage=connection.minimum_stage, connection=connection)
        except PayloadError as error:
            raise ApiError(status_code=400, code="invalid_payload", message=str(error)) from None
        except LeverApiError as error:
            raise ApiError(
                status_code=status.HTTP_502_BAD_GATEWAY if error.retryable else status.HTTP_400_BAD_REQUEST,
                code="ats_api_error",
                message=str(error),
            ) from None
        AtsConnection.objects.filter(pk=connection.pk).update(last_received_at=timezone.now())
        if decision is None:
            return Response({"status": "ignored"})
        runner_up = self.record(connection, decision)
        logger.info("ATS decision recorded", extra={"vendor": vendor, "runner_up_id": runner_up.pk})
        return Response({"status": "recorded", "runner_up_id": runner_up.pk})

    def record(self, connection: AtsConnection, decision: Decision) -> Any:
        return hiring_decision_record(
            organization=connection.organization,
            actor=Actor.system(),
            candidate=decision.candidate,
            opening=decision.opening,
            stage=decision.stage,
            closeness=decision.closeness(),
            decided_at=decision.decided_at,
            notes=decision.notes(),
            feedback=decision.feedback(),
        )
