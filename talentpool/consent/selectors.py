"""Reads about consent: the text to show, and where a candidate stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent, ConsentText


def consent_text_current(*, organization_id: int, language: str) -> ConsentText | None:
    """The latest version of the organization's consent text in ``language``.

    Falls back to the organization's own language, then to any language, so a candidate is
    never left without a text because a translation is missing.
    """
    texts = ConsentText.objects.filter(organization_id=organization_id).select_related("organization")
    text = texts.filter(language=language).order_by("-version").first()
    if text is not None:
        return text
    organization_language = texts.values_list("organization__language", flat=True).first()
    if organization_language:
        text = texts.filter(language=organization_language).order_by("-version").first()
    return text or texts.order_by("-version", "language").first()


@dataclass(frozen=True)
class ConsentState:
    in_pool: bool
    expires_at: dt.datetime | None
    latest: ConsentEvent | None


def consent_state(*, candidate: Candidate, now: dt.datetime | None = None) -> ConsentState:
    """Whether the candidate is in the pool, judged from their latest event and its expiry."""
    now = now or timezone.now()
    latest = (
        ConsentEvent.objects.filter(candidate=candidate)
        .select_related("text")
        .order_by("-created_at", "-id")
        .first()
    )
    expires_at = latest.expires_at if latest is not None and latest.grants else None
    in_pool = expires_at is not None and expires_at > now
    return ConsentState(in_pool=in_pool, expires_at=expires_at if in_pool else None, latest=latest)
