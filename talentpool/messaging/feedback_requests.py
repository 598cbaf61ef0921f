"""A candidate asks for feedback; a recruiter owes an answer within a few working days."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.core.services import audit_record
from talentpool.messaging.models import FeedbackRequest, Message
from talentpool.messaging.scheduling import is_working_day, organization_zone
from talentpool.openings.models import RunnerUp

if TYPE_CHECKING:
    pass


logger = logging.getLogger(__name__)

Kind = Message.Kind
Status = Message.Status


def working_days_after(moment: dt.datetime, days: int, *, organization: Organization) -> dt.datetime:
    """``days`` working days (weekdays that are not public holidays in the organization's
    country) after ``moment``, at the end of that day."""
    local = moment.astimezone(organization_zone(organization))
    day = local.date()
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, organization=organization):
            days -= 1
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=local.tzinfo).astimezone(dt.UTC)


@transaction.atomic
def feedback_request_create(
    *,
    candidate: Candidate,
    actor: Actor,
    runner_up: RunnerUp | None = None,
    question: str = "",
    now: dt.datetime | None = None,
) -> FeedbackRequest:
    """A candidate asks for feedback; a recruiter owes an answer within the working days set."""
    now = now or timezone.now()
    if runner_up is not None and runner_up.candidate_id != candidate.pk:
        raise ValidationError("The runner-up is another candidate.")
    existing = FeedbackRequest.objects.filter(
        candidate=candidate, runner_up=runner_up, status=FeedbackRequest.Status.OPEN
    ).first()
    if existing is not None:
        return existing  # Asked twice: one request, one due date.
    request = FeedbackRequest.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        runner_up=runner_up,
        question=question.strip(),
        due_at=working_days_after(
            now, settings.FEEDBACK_REQUEST_DUE_WORKING_DAYS, organization=candidate.organization
        ),
    )
    audit_record(
        organization=candidate.organization_id, actor=actor, action="feedback_request.created", target=request
    )
    return request


@transaction.atomic
def feedback_request_close(
    *, request: FeedbackRequest, actor: Actor, status: str, now: dt.datetime | None = None
) -> bool:
    """Mark a request answered (by phone, say) or declined; True if this call closed it."""
    if status not in (FeedbackRequest.Status.ANSWERED, FeedbackRequest.Status.DECLINED):
        raise ValueError(status)
    now = now or timezone.now()
    closed = FeedbackRequest.objects.filter(pk=request.pk, status=FeedbackRequest.Status.OPEN).update(
        status=status, answered_at=now, answered_by_id=actor.user_id, updated_at=now
    )
    if closed:
        audit_record(
            organization=request.organization_id,
            actor=actor,
            action=f"feedback_request.{status.lower()}",
            target=request,
            changes=["status"],
        )
    return bool(closed)
