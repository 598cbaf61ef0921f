"""The search engine connection: Elasticsearch when ELASTICSEARCH_URL is set, else embedded osmem.

osmem (an in-memory OpenSearch-compatible server) answers 406 to the Elasticsearch client's
``compatible-with=8`` media types, so its connection rewrites them to plain JSON. Real
Elasticsearch needs no such thing.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
from typing import Any

from django.conf import settings
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch
from osmem_server import OsmemServer

logger = logging.getLogger(__name__)

_VENDOR_MEDIA_TYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(;\s*compatible-with=\d+)?")

_lock = threading.Lock()
_client: Elasticsearch | None = None
_osmem: Any = None


class PlainJsonNode(Urllib3HttpNode):
    """A node that sends plain ``application/json`` media types (for osmem)."""

    def perform_request(  # type: ignore[override]
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        **kw: Any,
    ) -> NodeApiResponse:
        if headers is not None:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _VENDOR_MEDIA_TYPE.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kw)


def is_embedded() -> bool:
    return not settings.ELASTICSEARCH_URL


def _start_osmem() -> str:
    global _osmem
    _osmem = OsmemServer.start(japanese=False)
    atexit.register(_osmem.close)
    logger.info("started embedded search engine", extra={"engine": "osmem", "pid": _osmem.pid})
    return str(_osmem.url)


def get_client() -> Elasticsearch:
    """The process-wide client; starts the embedded engine on first use when no URL is set."""
    global _client
    with _lock:
        if _client is None:
            timeout = settings.SEARCH_TIMEOUT_SECONDS
            if is_embedded():
                _client = Elasticsearch(_start_osmem(), node_class=PlainJsonNode, request_timeout=timeout)
            else:
                _client = Elasticsearch(
                    settings.ELASTICSEARCH_URL, request_timeout=timeout, retry_on_timeout=True
                )
        return _client


def set_client(client: Elasticsearch | None) -> None:
    """Point the app at another engine (tests give each test its own osmem clone)."""
    global _client
    with _lock:
        _client = client


def engine_url() -> str:
    if is_embedded():
        get_client()
        return str(_osmem.url)
    return str(settings.ELASTICSEARCH_URL)
