"""List filters that refuse what they cannot use: a 400 naming the parameter.

django-filter skips an empty value (``?in_pool=``) as if it were not there, and an unknown
parameter (``?in_pol=true``) too, so the client would get the whole list; a client that sent one
meant something, so it is told.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        filters = set(filterset_class.base_filters) if filterset_class is not None else set()
        paging = getattr(view, "paginator", None)
        known = filters | {
            name
            for name in (
                getattr(paging, "cursor_query_param", None),
                getattr(paging, "page_size_query_param", None),
            )
            if name
        }
        errors = {name: ["Unknown parameter."] for name in request.query_params if name not in known}
        errors |= {
            name: ["Give a value, or leave the parameter out."]
            for name in filters
            if name in request.query_params and not request.query_params.get(name, "").strip()
        }
        if errors:
            raise ValidationError(dict(sorted(errors.items())))
        return super().filter_queryset(request, queryset, view)
