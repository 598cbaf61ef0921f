from __future__ import annotations

from django.db.models import QuerySet

from talentpool.openings.models import Opening


def opening_list_open(*, organization_id: int) -> QuerySet[Opening]:
    """The organization's open openings, by title."""
    return Opening.objects.open().filter(organization_id=organization_id).order_by("title", "id")
