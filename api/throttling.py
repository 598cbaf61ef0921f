from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.authentication import ApiClient


class ApiKeyRateThrottle(SimpleRateThrottle):
    """A request budget per API key (``API_THROTTLE_RATE``); past it, 429 with Retry-After."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = request.user
        if not isinstance(client, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.key.pk}
