"""Requests the API answers before any view: paths without their slash, bodies over the limit.

``/api/v1/candidates`` is ``/api/v1/candidates/``: Django's ``APPEND_SLASH`` would redirect the
first, and a client that follows a redirected POST sends a GET, so the write would be lost.
A body over the limit is refused from its ``Content-Length`` (413), before it is read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, get_urlconf, resolve

from api.errors import body_too_large


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/api/") and _content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return JsonResponse(body_too_large(), status=413)
        if path.startswith("/api/") and not path.endswith("/"):
            with_slash = f"{path}/"
            if not _served(path) and _served(with_slash):
                request.path_info = with_slash
                request.path = f"{request.path.removesuffix(path)}{with_slash}"
        return self.get_response(request)


def _served(path: str) -> bool:
    """Whether a view other than the API's catch-all 404 answers ``path``."""
    try:
        match = resolve(path, get_urlconf())
    except Resolver404:
        return False
    return match.url_name not in ("api-not-found", "api-v1-not-found")


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
