"""API keys: ``Authorization: Bearer <key>``. Only a hash of the key is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey
from talentpool.core.services import hash_secret

# last_used_at is written at most this often per key, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ApiClient:
    """The caller: an organization's API key. Stands in for ``request.user``."""

    key: ApiKey

    is_authenticated = True
    is_anonymous = False

    @property
    def organization_id(self) -> int:
        return self.key.organization_id

    @property
    def can_write(self) -> bool:
        return self.key.scope == ApiKey.Scope.WRITE

    @property
    def actor(self) -> Actor:
        return Actor.api_key(self.key)

    @property
    def pk(self) -> str:
        return f"api-key-{self.key.pk}"


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiClient, ApiKey] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <API key>'.")
        try:
            secret = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The API key is not valid.") from None
        key = (
            ApiKey.objects.select_related("organization")
            .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
            .first()
        )
        if key is None:
            raise exceptions.AuthenticationFailed("The API key is not valid or has been revoked.")
        now = timezone.now()
        if key.last_used_at is None or key.last_used_at < now - LAST_USED_PRECISION:
            ApiKey.objects.filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION), pk=key.pk
            ).update(last_used_at=now)
        return ApiClient(key), key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


def api_client(request: Request) -> ApiClient:
    """The authenticated caller of an API view."""
    client = request.user
    if not isinstance(client, ApiClient):
        raise exceptions.NotAuthenticated()
    return client
