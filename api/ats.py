"""Webhooks from ATS vendors: ``POST /api/v1/ats/<vendor>/<connection id>/``.

No API key here: the vendor's own signature, checked with the connection's shared secret, is
the authentication. A rejection late enough in the process becomes a hiring decision; anything
else is answered 200 with the reason it was ignored (vendors retry anything but a 200).
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.models import AtsConnection
from integrations.ats.base import SignatureError
from integrations.ats.deliveries import connection_refused, delivery_receive
from integrations.ats.registry import ADAPTERS

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
        now = timezone.now()
        try:
            key = adapter.verify(body=body, headers=request.headers, connection=connection)
        except SignatureError as error:
            connection_refused(connection, str(error), now=now)
            logger.warning(
                "ATS webhook signature refused", extra={"vendor": vendor, "connection_id": connection.pk}
            )
            raise ApiError(status_code=401, code="invalid_signature", message=str(error)) from None
        received = delivery_receive(connection=connection, adapter=adapter, key=key, body=body, now=now)
        if received.status == "failed":
            raise ApiError(status_code=received.http_status, code=received.code, message=received.reason)
        if received.status == "ignored":
            return Response({"status": "ignored", "reason": received.reason})
        return Response({"status": "recorded", "runner_up_id": received.runner_up_id})
