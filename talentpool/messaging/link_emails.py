"""Emails that carry a link to the candidate's pages: a consent request, and a link they asked for.

Both are message rows, rendered, sent and retried like every other email, and stored before
anyone is answered: a mail server or broker that is down delays them and never loses them. The
link's token is made when the email is sent (``magic_links_issue``), so the row never holds it.

A new-link request stores only the address as typed, with no lookup: the lookup and the email
happen after the answer (``link_request_handle``), so a known address is answered as fast as an
unknown one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.candidates.models import Candidate
from talentpool.consent.links import magic_link_reserve
from talentpool.consent.models import LinkRequest, MagicLink
from talentpool.consent.selectors import consent_text_current
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_task_after_response
from talentpool.core.services import audit_record
from talentpool.messaging import content as contents
from talentpool.messaging.drafting import dedupe_key
from talentpool.messaging.models import Message
from talentpool.messaging.scheduling import next_send_time
from talentpool.messaging.sending import message_send_queue

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Kind = Message.Kind
# One address can be in several organizations' pools; each sends its own link.
MAX_LINKS_PER_REQUEST = 5
LINK_REQUEST_TASK = "talentpool.messaging.tasks.link_request_task"
# A request the sweeper finds is handled once it is this old (its own task had the time to)...
LINK_REQUEST_GRACE = dt.timedelta(minutes=1)
# ...and forgotten, unanswered, once it is this old: a link a day late surprises more than it helps.
LINK_REQUEST_MAX_AGE = dt.timedelta(hours=24)


@transaction.atomic
def consent_request_send(*, candidate: Candidate, actor: Actor, now: dt.datetime | None = None) -> MagicLink:
    """Email the candidate, in their language, a link where they can join the talent pool.

    The email is stored now and sent at the organization's next sending time.
    Return the link, which works from when the email is sent.
    """
    now = now or timezone.now()
    if consent_text_current(organization_id=candidate.organization_id, language=candidate.language) is None:
        raise ValidationError(
            _("The organization has no consent text yet. Add one (Consent texts in the admin) first.")
        )
    candidate = Candidate.objects.select_related("organization").get(pk=candidate.pk)
    send_at = next_send_time(earliest=now, organization=candidate.organization, spread_key=candidate.pk)
    link, url = magic_link_reserve(candidate=candidate, scope=MagicLink.Scope.CONSENT, now=send_at)
    requested_by = _user(actor.user_id)
    sender = requested_by or contents.sender_for(candidate=candidate)
    message = _link_message(
        kind=Kind.CONSENT_REQUEST, link=link, url=url, sender=sender, send_at=send_at, actor=actor, now=now
    )
    audit_record(
        organization=candidate.organization_id,
        actor=actor,
        action="consent.requested",
        target=candidate,
        context={"magic_link_id": link.pk, "message_id": message.pk},
    )
    message_send_queue(message_ids=[message.pk])
    return link


def link_request_create(*, email: str, now: dt.datetime | None = None) -> LinkRequest:
    """Keep a request for a new link, without looking the address up; handle it after the answer."""
    request = LinkRequest.objects.create(email=email.strip()[:254], created_at=now or timezone.now())
    enqueue_task_after_response(LINK_REQUEST_TASK, link_request_id=request.pk)
    return request


def link_request_handle(*, link_request_id: int, now: dt.datetime | None = None) -> int:
    """Write a link email to every candidate with the requested address; return how many.

    The request row goes in the same commit, so that handling it twice sends once.
    """
    now = now or timezone.now()
    message_ids: list[int] = []
    with transaction.atomic():
        request = LinkRequest.objects.filter(pk=link_request_id).first()
        if request is None or not LinkRequest.objects.filter(pk=link_request_id).delete()[0]:
            return 0
        if request.created_at < now - LINK_REQUEST_MAX_AGE:
            return 0
        candidates = Candidate.objects.filter(email__iexact=request.email.strip()).select_related(
            "organization"
        )
        for candidate in candidates.order_by("pk")[:MAX_LINKS_PER_REQUEST]:
            link, url = magic_link_reserve(candidate=candidate, scope=MagicLink.Scope.PROFILE, now=now)
            message = _link_message(
                kind=Kind.MAGIC_LINK,
                link=link,
                url=url,
                sender=contents.sender_for(candidate=candidate),
                send_at=now,
                actor=Actor.candidate(),
                now=now,
            )
            audit_record(
                organization=candidate.organization_id,
                actor=Actor.candidate(),
                action="magic_link.requested",
                target=candidate,
                context={"magic_link_id": link.pk, "message_id": message.pk},
            )
            message_ids.append(message.pk)
        message_send_queue(message_ids=message_ids)
    return len(message_ids)


def link_request_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Handle the requests whose task was lost (a broker that was down); forget the old ones."""
    now = now or timezone.now()
    LinkRequest.objects.filter(created_at__lt=now - LINK_REQUEST_MAX_AGE).delete()
    waiting = LinkRequest.objects.filter(created_at__lte=now - LINK_REQUEST_GRACE).order_by(
        "created_at", "id"
    )
    return sum(
        link_request_handle(link_request_id=pk, now=now)
        for pk in waiting.values_list("pk", flat=True)[:limit]
    )


def _user(user_id: int | None) -> User | None:
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def _link_message(
    *,
    kind: str,
    link: MagicLink,
    url: str,
    sender: User | None,
    send_at: dt.datetime,
    actor: Actor,
    now: dt.datetime,
) -> Message:
    """The message row for a link email, approved and due at ``send_at``."""
    candidate = link.candidate
    content = contents.link_email_content(
        kind=kind,
        candidate=candidate,
        scope=link.scope,
        url=url,
        days=link.valid_days or 1,
        sender=sender,
    )
    rendered = contents.content_render(content)
    details = contents.sender_details(organization=candidate.organization, sender=sender)
    touchpoint = f"link-{link.pk}"
    return Message.objects.create(
        organization_id=candidate.organization_id,
        dedupe_key=dedupe_key(kind=kind, candidate_id=candidate.pk, touchpoint=touchpoint),
        kind=kind,
        status=Message.Status.APPROVED,
        candidate=candidate,
        touchpoint=touchpoint,
        language=candidate.language,
        to_email=candidate.email,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        sender=sender,
        from_email=details.from_email,
        reply_to=details.reply_to,
        scheduled_at=send_at,
        approved_by_id=actor.user_id,
        approved_at=now,
    )
