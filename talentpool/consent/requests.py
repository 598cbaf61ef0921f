"""Emails that carry a magic link: a request for consent, and a new link the candidate asked for.

The new-link request answers the same way, and as fast, whether or not the address is known:
the view only queues ``magic_link_request_task``, which does the lookup and the sending.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import formataddr

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.email.rendering import render_email
from integrations.email.sending import deliver
from talentpool.candidates.models import Candidate
from talentpool.consent.links import magic_link_create, magic_link_url, token_hash
from talentpool.consent.models import MagicLink
from talentpool.consent.selectors import consent_text_current
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_task_on_commit
from talentpool.core.services import audit_record

logger = logging.getLogger(__name__)

# One address can be in several organizations' pools; each sends its own link.
MAX_LINKS_PER_REQUEST = 5
MAGIC_LINK_EMAIL_TASK = "talentpool.consent.tasks.magic_link_email_task"


@transaction.atomic
def consent_request_send(*, candidate: Candidate, actor: Actor, now: dt.datetime | None = None) -> MagicLink:
    """Email the candidate, in their language, a link where they can join the talent pool."""
    if consent_text_current(organization_id=candidate.organization_id, language=candidate.language) is None:
        raise ValidationError(
            _("The organization has no consent text yet. Add one (Consent texts in the admin) first.")
        )
    link, token = magic_link_create(candidate=candidate, scope=MagicLink.Scope.CONSENT, now=now)
    audit_record(
        organization=candidate.organization_id,
        actor=actor,
        action="consent.requested",
        target=candidate,
        context={"magic_link_id": link.pk},
    )
    magic_link_email_queue(link=link, token=token)
    return link


def magic_link_email_queue(*, link: MagicLink, token: str) -> None:
    # The token travels to the worker as the email itself will: it is stored nowhere.
    enqueue_task_on_commit(MAGIC_LINK_EMAIL_TASK, magic_link_id=link.pk, token=token)


def magic_link_request(*, email: str, now: dt.datetime | None = None) -> int:
    """Send a fresh profile link to every candidate with this address; return how many were sent."""
    address = email.strip()
    if not address:
        return 0
    candidates = Candidate.objects.filter(email__iexact=address).select_related("organization")
    sent = 0
    for candidate in candidates.order_by("pk")[:MAX_LINKS_PER_REQUEST]:
        with transaction.atomic():
            link, token = magic_link_create(candidate=candidate, scope=MagicLink.Scope.PROFILE, now=now)
            audit_record(
                organization=candidate.organization_id,
                actor=Actor.candidate(),
                action="magic_link.requested",
                target=candidate,
                context={"magic_link_id": link.pk},
            )
        magic_link_email_send(magic_link_id=link.pk, token=token, now=now)
        sent += 1
    return sent


def magic_link_email_send(*, magic_link_id: int, token: str, now: dt.datetime | None = None) -> bool:
    """Deliver the email for a link; False if the link is gone or can no longer be used."""
    now = now or timezone.now()
    link = (
        MagicLink.objects.select_related("candidate", "organization")
        .filter(pk=magic_link_id, token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        return False
    candidate, organization = link.candidate, link.organization
    days = max(1, round((link.expires_at - now).total_seconds() / 86400))
    email = render_email(
        "magic_link",
        {
            "candidate": candidate,
            "organization": organization,
            "scope": link.scope,
            "url": magic_link_url(token),
            "days": days,
        },
        language=candidate.language,
    )
    sender = (
        formataddr((organization.sender_name or organization.name, organization.sender_email))
        if organization.sender_email
        else None
    )
    deliver(
        to=candidate.email,
        subject=email.subject,
        text=email.text,
        html=email.html,
        from_email=sender,
        reply_to=organization.sender_email or None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    logger.info("magic link sent", extra={"magic_link_id": link.pk, "scope": link.scope})
    return True
