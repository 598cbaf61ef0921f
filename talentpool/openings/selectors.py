from __future__ import annotations

from django.db.models import QuerySet

from talentpool.openings.models import Feedback, Opening, RunnerUp


def opening_list_open(*, organization_id: int) -> QuerySet[Opening]:
    """The organization's open openings, by title."""
    return Opening.objects.open().filter(organization_id=organization_id).order_by("title", "id")


def feedback_written(*, runner_up: RunnerUp) -> bool:
    """Whether someone has written (or approved, or sent) feedback on this decision."""
    feedback = Feedback.objects.filter(runner_up=runner_up).first()
    if feedback is None:
        return False
    return feedback.status != Feedback.Status.DRAFT or bool(feedback.free_text) or feedback.items.exists()
