from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from talentpool.messaging.models import FeedbackRequest


def feedback_request_list_overdue(
    *, organization_id: int, now: dt.datetime | None = None
) -> QuerySet[FeedbackRequest]:
    """Open feedback requests past their due date, the longest overdue first."""
    return FeedbackRequest.objects.filter(
        organization_id=organization_id, status=FeedbackRequest.Status.OPEN, due_at__lt=now or timezone.now()
    ).order_by("due_at", "id")
