"""Cursor pagination on the primary key: rows inserted while paging never repeat or hide others."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = "The cursor is not valid; use the `next` link of a previous page."

    def decode_cursor(self, request: Request) -> Cursor | None:
        if (
            self.cursor_query_param in request.query_params
            and not request.query_params[self.cursor_query_param]
        ):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        try:
            return super().decode_cursor(request)
        except Exception:  # DRF raises NotFound; a bad cursor is the client's input error.
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A page holds 1 to {self.max_page_size} results."]}
            )
        return size

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
