from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from api.authentication import ApiClient


class ApiKeyScopePermission(BasePermission):
    """Any key reads; only a write key writes."""

    message = "This API key may only read. Writes need a key with the write scope."
    code = "insufficient_scope"

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request.user
        if not isinstance(client, ApiClient):
            return False
        return request.method in SAFE_METHODS or client.can_write
