from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.models import AtsConnection


@pytest.fixture
def connection_for(organization):
    def make(vendor: str, **fields) -> AtsConnection:
        fields.setdefault("secret", f"{vendor}-shared-secret")
        return AtsConnection.objects.create(organization=organization, vendor=vendor, **fields)

    return make


def post(connection: AtsConnection, body: bytes | dict, **headers: str):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    client: Any = APIClient()
    return client.generic(
        "POST",
        f"/api/v1/ats/{connection.vendor}/{connection.public_id}/",
        raw,
        content_type="application/json",
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
    )
