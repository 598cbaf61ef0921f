from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.models import AtsConnection
from talentpool.messaging.models import Message
from talentpool.openings.models import RunnerUp


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


class VendorApi:
    """A vendor's REST API played by a local HTTP server: it answers the routes it is given (JSON),
    refuses a request without the expected ``Authorization``, and records what was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.authorization: str | None = None
        self.down = False
        self.url = ""

    @property
    def paths(self) -> list[str]:
        return [path for path, _headers in self.requests]


@pytest.fixture
def vendor_api() -> Iterator[VendorApi]:
    api = VendorApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            api.requests.append((self.path, dict(self.headers)))
            if api.down:
                status, body = 503, {"error": "down"}
            elif api.authorization is not None and self.headers.get("Authorization") != api.authorization:
                status, body = 401, {"error": "unauthorized"}
            elif path in api.routes:
                status, body = 200, api.routes[path]
            else:
                status, body = 404, {"error": "not found"}
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield api
    server.shutdown()
    server.server_close()


def warm_rejection_of(runner_up: RunnerUp) -> Message:
    return Message.objects.get(kind=Message.Kind.WARM_REJECTION, candidate=runner_up.candidate)
