"""One error shape for every 4xx (and 5xx) answer of the API: ``{"code", "message", "fields"}``.

``fields`` maps each offending input, as a dotted path (``feedback.development_areas.0.category``),
to its messages; it is empty when the error is not about particular fields.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from integrations.search.indices import IndexNotReady, is_engine_down
from talentpool.search.selectors import SearchQueryError

logger = logging.getLogger(__name__)

NON_FIELD_KEY = "non_field_errors"


class ApiError(exceptions.APIException):
    """An error the API answers on purpose, with its own status and code."""

    def __init__(
        self,
        *,
        status_code: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after


def search_unavailable(error: Exception) -> ApiError:
    """503 for a search engine that is down, or an index being filled again from the database."""
    logger.warning("search engine unavailable", extra={"error": type(error).__name__})
    if isinstance(error, IndexNotReady):
        message = (
            "The search index is being refilled from the database (the search engine restarted); "
            "retry in a few minutes."
        )
    else:
        message = "Search is unavailable right now; retry shortly."
    return ApiError(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        code="search_unavailable",
        message=message,
        retry_after=60 if isinstance(error, IndexNotReady) else 10,
    )


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as ``{"dotted.path": [messages]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = NON_FIELD_KEY if key in (NON_FIELD_ERRORS, NON_FIELD_KEY) and not prefix else str(key)
            flat.update(flatten(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            return {prefix or NON_FIELD_KEY: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD_KEY: [str(detail)]}


STATUS_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _response(exc: exceptions.APIException) -> Response:
    headers: dict[str, str] = {}
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        headers["Retry-After"] = str(max(1, int(wait + 0.999)))
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(exc, ApiError) and exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, exc.message, exc.fields)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", "The request is not valid; see `fields`.", flatten(exc.detail))
    elif isinstance(exc, exceptions.PermissionDenied):
        code = exc.detail.code if isinstance(exc.detail, exceptions.ErrorDetail) else "permission_denied"
        body = error_body(str(code), str(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        body = error_body("throttled", "Too many requests; retry after the number of seconds in Retry-After.")
    else:
        code = next((c for cls, c in STATUS_CODES.items() if isinstance(exc, cls)), "error")
        body = error_body(code, str(exc.detail))
    return Response(body, status=exc.status_code, headers=headers)


def body_too_large() -> dict[str, Any]:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error_body(
        "body_too_large", f"The request body is over the limit of {limit} MiB; send fewer items."
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every error the API can meet to the one JSON shape."""
    if isinstance(exc, RequestDataTooBig):  # a body without Content-Length, read past the limit
        set_rollback()
        return Response(body_too_large(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
        else:
            detail = {NON_FIELD_KEY: [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, SearchQueryError):
        exc = exceptions.ValidationError({exc.field: [str(exc)]})
    elif is_engine_down(exc):
        exc = search_unavailable(exc)
    elif isinstance(exc, IntegrityError):
        logger.info("write refused by a constraint", extra={"error": type(exc).__name__})
        exc = ApiError(
            status_code=status.HTTP_409_CONFLICT,
            code="conflict",
            message="The write conflicts with existing data (a duplicate, or a concurrent change); retry "
            "after reading the current state.",
        )
    if not isinstance(exc, exceptions.APIException):
        return None
    set_rollback()
    return _response(exc)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt  # also the catch-all of unknown paths under /api/, for every method
def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception or Http404())


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(error_body("bad_request", "The request could not be understood."), status=400)
    return defaults.bad_request(request, exception or Exception())


def server_error_view(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(
            error_body("server_error", "Something went wrong on our side; the request may be retried."),
            status=500,
        )
    return defaults.server_error(request)
