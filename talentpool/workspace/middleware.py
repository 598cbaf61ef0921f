"""The admin in the user's language and their organization's time zone.

The language is the one chosen on the user's profile (kept on their memberships), else the
browser's (Django's LocaleMiddleware). Times are shown in the time zone of the user's first
organization.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from talentpool.core.models import Membership

ADMIN_PREFIX = "/admin/"


def user_membership(request: HttpRequest) -> Membership | None:
    """The user's first membership (by organization name), read once per request."""
    if "_talentpool_membership" not in request.__dict__:
        user = getattr(request, "user", None)
        membership = None
        if user is not None and user.is_authenticated:
            membership = (
                Membership.objects.filter(user_id=user.pk)
                .select_related("organization")
                .order_by("organization__name", "organization_id")
                .first()
            )
        request.__dict__["_talentpool_membership"] = membership
    return request.__dict__["_talentpool_membership"]


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        membership = user_membership(request)
        if membership is None:
            return self.get_response(request)
        if membership.language:
            translation.activate(membership.language)
            request.LANGUAGE_CODE = membership.language
        try:
            timezone.activate(zoneinfo.ZoneInfo(membership.organization.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
