"""One digest email per opening and recruiter with the new matches, not one per candidate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from talentpool.core.models import Organization
from talentpool.core.redaction import Person
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import reasons_text
from talentpool.messaging.content import render_message, sender_details
from talentpool.messaging.models import Message
from talentpool.messaging.sending import message_send_queue
from talentpool.openings.models import Opening


def match_digest_queue(*, opening: Opening, alerts: Sequence[MatchAlert], now: dt.datetime) -> list[Message]:
    """Draft and queue a digest of ``alerts`` to each of the opening's recruiters."""
    if not alerts:
        return []
    organization = Organization.objects.get(pk=opening.organization_id)
    language = organization.language
    alerts = list(
        MatchAlert.objects.filter(pk__in=[a.pk for a in alerts])
        .select_related("candidate")
        .order_by("-score", "id")
    )
    items = [
        {
            "name": alert.candidate.full_name,
            "score": alert.score,
            "reasons": reasons_text(alert.reasons, language=language),
            "url": settings.SITE_URL
            + reverse("admin:candidates_candidate_change", args=[alert.candidate_id]),
        }
        for alert in alerts
    ]
    opening_url = (
        settings.SITE_URL
        + reverse("admin:matching_matchalert_changelist")
        + f"?opening__id__exact={opening.pk}"
    )
    # From the organization, as every email is; a reply goes to its sender address.
    details = sender_details(organization=organization, sender=None)
    messages: list[Message] = []
    for recruiter in opening.recruiters.exclude(email=""):
        rendered = render_message(
            organization=organization,
            kind=Message.Kind.MATCH_ALERT_DIGEST,
            language=language,
            context={
                "opening": opening,
                "alerts": alerts,
                "items": items,
                "opening_url": opening_url,
                "recipient_name": recruiter.first_name or recruiter.get_username(),
            },
            candidate_id=None,
        )
        message, _ = Message.objects.get_or_create(
            organization_id=opening.organization_id,
            # The first new alert names the batch: a re-run of the same match sends nothing new.
            dedupe_key=f"{Message.Kind.MATCH_ALERT_DIGEST}:{opening.pk}:{recruiter.pk}:{alerts[0].pk}",
            defaults={
                "kind": Message.Kind.MATCH_ALERT_DIGEST,
                "status": Message.Status.APPROVED,
                "recipient_user": recruiter,
                "opening": opening,
                "language": language,
                "to_email": recruiter.email,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "from_email": details.from_email,
                "reply_to": details.reply_to,
                "scheduled_at": now,
                "approved_at": now,
            },
        )
        messages.append(message)
    MatchAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(notified_at=now)
    message_send_queue(message_ids=[m.pk for m in messages])
    return messages


def recruiter_messages_redact(*, organization_id: int, person: Person, since: dt.datetime) -> int:
    """Take an erased person out of the recruiters' messages (digests) that name them."""
    redacted = 0
    messages = Message.objects.filter(
        organization_id=organization_id, candidate__isnull=True, created_at__gte=since
    ).only("subject", "body_text", "body_html")
    for message in messages.iterator():
        fields = ("subject", "body_text", "body_html")
        before = [getattr(message, name) for name in fields]
        if not any(person.mentioned_in(text) for text in before):
            continue
        for name, text in zip(fields, before, strict=True):
            setattr(message, name, person.scrub(text))
        message.save(update_fields=[*fields, "updated_at"])
        redacted += 1
    return redacted
