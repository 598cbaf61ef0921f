"""The candidate-experience question: "How did you experience our process?" (1 to 5, a comment).

The warm rejection and the feedback email carry a signed link per rating. Opening a link shows a
short page with that rating chosen and records nothing (mail scanners open links); the page's
button records it. The link names the candidate and the opening, and is good for
``EXPERIENCE_LINK_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.services import audit_record
from talentpool.messaging.models import ExperienceResponse
from talentpool.openings.models import Opening

SALT = "talentpool.messaging.experience"
EXPERIENCE_LINK_DAYS = 180
RATINGS = (1, 2, 3, 4, 5)
COMMENT_MAX_LENGTH = 2000
RECENT_COMMENTS = 20


class ExperienceLinkInvalid(Exception):
    """The link was changed, has expired, or names someone who is no longer here."""


def experience_token(*, candidate_id: int, opening_id: int) -> str:
    return signing.dumps([candidate_id, opening_id], salt=SALT, compress=True)


def experience_token_read(token: str) -> tuple[int, int]:
    """The (candidate id, opening id) a token names; ``ExperienceLinkInvalid`` otherwise."""
    try:
        value = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=EXPERIENCE_LINK_DAYS))
    except signing.BadSignature:
        raise ExperienceLinkInvalid from None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise ExperienceLinkInvalid
    return value[0], value[1]


def experience_urls(*, candidate_id: int, opening_id: int) -> tuple[str, list[str]]:
    """The page's link (no rating chosen) and one link per rating, 1 to 5."""
    base = settings.SITE_URL + reverse(
        "experience", args=[experience_token(candidate_id=candidate_id, opening_id=opening_id)]
    )
    return base, [f"{base}?rating={rating}" for rating in RATINGS]


@transaction.atomic
def experience_response_record(
    *, candidate: Candidate, opening: Opening, rating: int, comment: str, now: dt.datetime
) -> ExperienceResponse:
    """Record (or change) a candidate's answer for an opening."""
    if rating not in RATINGS:
        raise ValidationError({"rating": "Choose from 1 to 5."})
    if opening.organization_id != candidate.organization_id:
        raise ValidationError("The candidate and the opening belong to different organizations.")
    response, created = ExperienceResponse.objects.update_or_create(
        candidate=candidate,
        opening=opening,
        defaults={
            "organization_id": candidate.organization_id,
            "rating": rating,
            "comment": comment.strip()[:COMMENT_MAX_LENGTH],
            "answered_at": now,
        },
    )
    audit_record(
        organization=candidate.organization_id,
        actor=Actor.candidate(),
        action="experience_response.created" if created else "experience_response.updated",
        target=response,
        changes=["rating", "comment"],
    )
    return response


# Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExperienceFigures:
    count: int
    average: float | None


@dataclass(frozen=True)
class OpeningExperience:
    opening_id: int
    title: str
    count: int
    average: float


class ExperienceSummary(TypedDict):
    experience: ExperienceFigures
    experience_per_opening: list[OpeningExperience]
    experience_comments: list[ExperienceResponse]


def experience_summary(*, organization_id: int) -> ExperienceSummary:
    """Average and count for the organization and per opening, and the latest comments."""
    responses = ExperienceResponse.objects.filter(organization_id=organization_id)
    per_opening = [
        OpeningExperience(
            opening_id=row["opening_id"],
            title=row["opening__title"],
            count=row["count"],
            average=round(float(row["average"]), 1),
        )
        for row in responses.values("opening_id", "opening__title")
        .annotate(count=Count("pk"), average=Avg("rating"))
        .order_by("-count", "opening__title")
    ]
    overall = responses.aggregate(count=Count("pk"), average=Avg("rating"))
    average = round(float(overall["average"]), 1) if overall["average"] is not None else None
    comments = list(
        responses.exclude(comment="")
        .select_related("opening")
        .order_by("-answered_at", "-id")[:RECENT_COMMENTS]
    )
    return {
        "experience": ExperienceFigures(count=int(overall["count"]), average=average),
        "experience_per_opening": per_opening,
        "experience_comments": comments,
    }
