"""Magic links: random tokens, stored only as a hash, scoped, expiring, single use where the action is.

A GET shows a page and changes nothing (email scanners open links); only a POST consumes a link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import MagicLink
from talentpool.core.writes import update_rows

TOKEN_BYTES = 32
# What an email holds in place of a link's token until the moment it is sent.
PENDING_PREFIX = "link-pending-"
PENDING = re.compile(re.escape(PENDING_PREFIX) + r"(\d+)(?!\d)")


class LinkError(Exception):
    """The link cannot be used; ``reason`` says why (unknown, expired, used, wrong_scope)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def magic_link_create(
    *, candidate: Candidate, scope: str, now: dt.datetime | None = None, valid_days: int | None = None
) -> tuple[MagicLink, str]:
    """Create a link; return it with its token, which is never stored and cannot be recovered."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = MagicLink.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        token_hash=token_hash(token),
        scope=scope,
        expires_at=now + dt.timedelta(days=valid_days or settings.MAGIC_LINK_DAYS),
    )
    return link, token


def magic_link_reserve(
    *, candidate: Candidate, scope: str, now: dt.datetime | None = None, valid_days: int | None = None
) -> tuple[MagicLink, str]:
    """Create a link for an email not sent yet; return it with the URL the email shows for now.

    The URL carries a placeholder, not a token: the link works only once ``magic_links_issue``
    has given it a token, when the email is sent. A stored email therefore holds no usable link.
    """
    now = now or timezone.now()
    days = valid_days or settings.MAGIC_LINK_DAYS
    link = MagicLink.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        token_hash=token_hash(secrets.token_urlsafe(TOKEN_BYTES)),  # Known to nobody.
        scope=scope,
        expires_at=now + dt.timedelta(days=days),
        valid_days=days,
    )
    return link, magic_link_url(f"{PENDING_PREFIX}{link.pk}")


def magic_links_issue(*, parts: list[str], candidate_id: int, now: dt.datetime) -> list[str]:
    """Give each reserved link named in ``parts`` a fresh token; return the parts with the tokens.

    Only the hash is stored. The link works from ``now`` for as long as it was reserved for; an
    earlier token of the same link (a previous attempt) stops working.
    """
    (issued,) = magic_links_issue_many(emails=[(candidate_id, parts)], now=now)
    return issued


def magic_links_issue_many(*, emails: list[tuple[int, list[str]]], now: dt.datetime) -> list[list[str]]:
    """``magic_links_issue`` for several emails (candidate id, parts) at once, in two queries."""
    wanted = {
        int(found): candidate_id
        for candidate_id, parts in emails
        for part in parts
        for found in PENDING.findall(part)
    }
    links = [
        link
        for link in MagicLink.objects.filter(pk__in=wanted, used_at__isnull=True, valid_days__isnull=False)
        if wanted[link.pk] == link.candidate_id  # Only the email's own candidate's links.
    ]
    tokens: dict[str, str] = {}
    for link in links:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        link.token_hash = token_hash(token)
        link.expires_at = now + dt.timedelta(days=link.valid_days or 0)
        link.updated_at = now
        tokens[str(link.pk)] = token
    update_rows(
        MagicLink,
        match=["id"],
        rows=[(link.pk, link.token_hash, link.expires_at) for link in links],
        fields=["token_hash", "expires_at"],
        values={"updated_at": now},
    )
    # A link that is gone (erased, used) stays a placeholder: it leads to the "unknown link" page.
    return [
        [PENDING.sub(lambda m: tokens.get(m.group(1), m.group(0)), part) for part in parts]
        for _, parts in emails
    ]


def magic_link_url(token: str) -> str:
    """The absolute URL a candidate opens."""
    return settings.SITE_URL + reverse("candidate-link", args=[token])


def _usable(link: MagicLink | None, *, scope: str | None, now: dt.datetime) -> MagicLink:
    if link is None:
        raise LinkError("unknown")
    if scope is not None and link.scope != scope:
        raise LinkError("wrong_scope")
    if link.used_at is not None:
        raise LinkError("used")
    if link.expires_at <= now:
        raise LinkError("expired")
    return link


def magic_link_find(*, token: str, scope: str | None = None, now: dt.datetime | None = None) -> MagicLink:
    """The valid link for a token (for showing a page: nothing is consumed)."""
    link = (
        MagicLink.objects.select_related("candidate", "organization")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return _usable(link, scope=scope, now=now or timezone.now())


def magic_link_find_by_id(
    *, link_id: int, scope: str | None = None, now: dt.datetime | None = None
) -> MagicLink:
    """The valid link with this id: for a browser that has already shown us the token."""
    link = MagicLink.objects.select_related("candidate", "organization").filter(pk=link_id).first()
    return _usable(link, scope=scope, now=now or timezone.now())


def _mark_used(link: MagicLink, *, now: dt.datetime) -> MagicLink:
    # The conditional update is the guard: of two concurrent requests, one updates the row and
    # the other waits for it, then finds ``used_at`` set and updates nothing.
    used = MagicLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if not used:
        raise LinkError("used")
    link.used_at = now
    return link


@transaction.atomic
def magic_link_consume(*, token: str, scope: str | None = None, now: dt.datetime | None = None) -> MagicLink:
    """Use a single-use link once: of two concurrent requests, exactly one succeeds."""
    now = now or timezone.now()
    return _mark_used(magic_link_find(token=token, scope=scope, now=now), now=now)


@transaction.atomic
def magic_link_consume_by_id(
    *, link_id: int, scope: str | None = None, now: dt.datetime | None = None
) -> MagicLink:
    """Like ``magic_link_consume``, for the link a browser opened earlier (kept in its session)."""
    now = now or timezone.now()
    return _mark_used(magic_link_find_by_id(link_id=link_id, scope=scope, now=now), now=now)
