"""What every API view shares: the caller's organization, idempotent writes, strict input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework import serializers, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from api.authentication import ApiClient, api_client
from api.idempotency import (
    IdempotentReplay,
    idempotency_abandon,
    idempotency_begin,
    idempotency_finish,
    replay_response,
)
from api.models import IdempotencyRecord
from talentpool.core.actors import Actor
from talentpool.core.models import Organization

MAX_ID = 2**63 - 1


class ApiViewMixin:
    """For every API view: who is calling, for which organization, and idempotent writes."""

    _idempotency: IdempotencyRecord | None = None

    request: Any

    @property
    def client(self) -> ApiClient:
        return api_client(self.request)

    @property
    def organization_id(self) -> int:
        return self.client.organization_id

    @property
    def organization(self) -> Organization:
        return self.client.key.organization

    @property
    def actor(self) -> Actor:
        return self.client.actor

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method is None or not hasattr(self, request.method.lower()):
            # A method this view does not have is a 405, before anything looks at its headers.
            raise MethodNotAllowed(request.method or "")
        self._idempotency = idempotency_begin(request, organization_id=api_client(request).organization_id)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, IdempotentReplay):
            return replay_response(exc.record)
        try:
            return super().handle_exception(exc)  # type: ignore[misc]
        except Exception:
            idempotency_abandon(self._idempotency)
            self._idempotency = None
            raise

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        record, self._idempotency = self._idempotency, None
        idempotency_finish(record, response)
        return response


class ApiView(ApiViewMixin, APIView):
    pass


class OrganizationScopedViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A viewset whose rows are always those of the caller's organization; others are 404."""

    def base_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model
            return self.base_queryset().none()
        return self.base_queryset().filter(organization_id=self.organization_id)

    lookup_value_regex = "[0-9]+"

    def get_object(self) -> Any:
        # An id past the database's integer range cannot exist: 404, not an overflow error.
        lookup = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not lookup.isdigit() or int(lookup) > MAX_ID:
            raise NotFound("Not found.")
        return super().get_object()


class InputSerializer(serializers.Serializer):
    """Input that names a field we do not know is refused, not silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        if html.is_html_input(data):
            # DRF reads an empty query parameter as an absent one; a client that sent it meant something.
            empty = sorted(
                name
                for name, field in self.fields.items()
                if name in data and data.get(name) == "" and not getattr(field, "allow_blank", False)
            )
            if empty:
                raise serializers.ValidationError(
                    {name: ["Give a value, or leave the parameter out."] for name in empty}
                )
        return super().to_internal_value(data)


class CoordinatesInputMixin(serializers.Serializer):
    """Input with ``latitude`` and ``longitude``: both or neither (a place, or no place)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        latitude = attrs.get("latitude", getattr(self.instance, "latitude", None))
        longitude = attrs.get("longitude", getattr(self.instance, "longitude", None))
        if ("latitude" in attrs or "longitude" in attrs) and (latitude is None) != (longitude is None):
            raise serializers.ValidationError({"latitude": ["Give both latitude and longitude, or neither."]})
        return attrs


class IdFilter(django_filters.NumberFilter):
    """Rows whose foreign key is this id; anything but a whole number in range is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


# Real offsets run from -12:00 to +14:00; PostgreSQL refuses those past 15:59.
MAX_OFFSET = dt.timedelta(hours=14)


class InstantField(forms.Field):
    """An ISO 8601 date and time with its offset (``2026-01-31T09:00:00Z``, ``...+01:00``)."""

    default_error_messages = {
        "invalid": "Give a date and time in ISO 8601 with its offset, such as 2026-01-31T09:00:00Z.",
        "offset": "The offset must be within -14:00 and +14:00.",
    }

    def clean(self, value: Any) -> dt.datetime | None:
        if value is None:
            return None  # not given
        text = str(value).strip()
        parsed = parse_datetime(text) if text else None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=dt.UTC)
        offset = parsed.utcoffset()
        if offset is None or abs(offset) > MAX_OFFSET:
            raise forms.ValidationError(self.error_messages["offset"], code="invalid")
        return parsed


class UpdatedAfterFilter(django_filters.Filter):
    """Rows changed after an instant; an empty or impossible value is a 400 naming the parameter."""

    field_class = InstantField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, field_name="updated_at", lookup_expr="gt", **kwargs)
