"""The OpenAPI description: API-key authentication, and the error shape on every operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.base import InputSerializer

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer has this shape.",
    "properties": {
        "code": {"type": "string", "description": "Stable, machine-readable: `invalid`, `not_found`, ..."},
        "message": {"type": "string", "description": "For a person."},
        "fields": {
            "type": "object",
            "description": "The offending inputs, as dotted paths, with their messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}
ERRORS = {
    "400": "The request is not valid (bad JSON, wrong types, unknown fields); see `fields`.",
    "401": "No API key, or one that is not valid.",
    "403": "The API key may not do this (a read key writing).",
    "404": "Not found (or it belongs to another organization).",
    "405": "The method is not allowed here.",
    "406": "The requested response format is not available.",
    "409": "A conflict: a duplicate, or a request with this Idempotency-Key still running.",
    "415": "The body must be JSON.",
    "422": "The Idempotency-Key was used for a different request.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
}
WRITE_ONLY_ERRORS = {"409", "415", "422"}
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Any unique string (a UUID). A retry with the same key and body gets the first "
    "response; the same key with another body is refused (422). Keys are kept per organization.",
}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organization's API key: `Authorization: Bearer tp_xxxxxxxx.secret`.",
        }


class ApiAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        tags = getattr(self.view, "schema_tags", None)
        return list(tags) if tags else super().get_tags()

    def _map_serializer(self, serializer: Any, direction: str, bypass_extensions: bool = False) -> Any:
        # Input that names an unknown field is refused (``InputSerializer``): say so in the schema.
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if isinstance(serializer, InputSerializer) and direction == "request":
            schema["additionalProperties"] = False
        return schema


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Document the error shape for every error status an operation can answer."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    responses = components.setdefault("responses", {})
    for status, description in ERRORS.items():
        responses[f"Error{status}"] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            if any(parameter.get("name") == "cursor" for parameter in parameters):
                # A list's filter or cursor sent empty is refused (``api.filters``, ``api.pagination``).
                for parameter in parameters:
                    schema = parameter.get("schema", {})
                    if (
                        parameter.get("in") == "query"
                        and schema.get("type") == "string"
                        and "enum" not in schema
                    ):
                        schema.setdefault("minLength", 1)
            for status in ERRORS:
                if status in WRITE_ONLY_ERRORS and method in ("get", "head", "options"):
                    continue
                operation["responses"].setdefault(status, {"$ref": f"#/components/responses/Error{status}"})
            if method not in ("get", "head", "options"):
                operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
    return result
