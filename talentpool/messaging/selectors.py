from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.messaging.models import FeedbackRequest, Message, TouchpointPlan
from talentpool.openings.models import Feedback, RunnerUp


def feedback_request_list_overdue(
    *, organization_id: int, now: dt.datetime | None = None
) -> QuerySet[FeedbackRequest]:
    """Open feedback requests past their due date, the longest overdue first."""
    return (
        FeedbackRequest.objects.filter(organization_id=organization_id)
        .overdue(now=now or timezone.now())
        .order_by("due_at", "id")
    )


def opted_out(candidate_id: int) -> bool:
    return TouchpointPlan.objects.filter(candidate_id=candidate_id, opted_out_at__isnull=False).exists()


def withdrew_consent(candidate_id: int) -> bool:
    latest = ConsentEvent.objects.filter(candidate_id=candidate_id).order_by("-created_at", "-id").first()
    return latest is not None and latest.kind == ConsentEvent.Kind.WITHDRAWN


def message_drafts_to(*, candidates: QuerySet[Candidate]) -> QuerySet[Message]:
    """The drafts waiting for review to these candidates."""
    return Message.objects.filter(candidate__in=candidates, status=Message.Status.DRAFT)


def message_drafts_about(*, runner_ups: QuerySet[RunnerUp]) -> QuerySet[Message]:
    """The drafts waiting for review about these decisions (rejections, feedback)."""
    pairs = Q()
    for candidate_id, opening_id in runner_ups.values_list("candidate_id", "opening_id"):
        pairs |= Q(candidate_id=candidate_id, opening_id=opening_id)
    if not pairs:
        return Message.objects.none()
    return Message.objects.filter(pairs, status=Message.Status.DRAFT)


def rejection_feedback_is_draft(message: Message) -> bool:
    """A warm rejection whose runner-up's feedback is still a draft: approving the message now
    sends it without that feedback, so a recruiter is asked first."""
    return (
        message.kind == Message.Kind.WARM_REJECTION
        and message.candidate_id is not None
        and message.opening_id is not None
        and Feedback.objects.filter(
            runner_up__candidate_id=message.candidate_id,
            runner_up__opening_id=message.opening_id,
            status=Feedback.Status.DRAFT,
        ).exists()
    )
