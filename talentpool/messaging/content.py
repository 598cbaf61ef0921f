"""What a message to a candidate says: its context, its sender, and its rendering.

Each kind has a context builder returning plain values only (strings, numbers, lists of strings,
booleans), so an organization's own templates can read nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import override

from integrations.email.rendering import RenderedEmail, render_email, render_email_source
from talentpool.candidates.languages import language_of_text
from talentpool.candidates.models import Candidate
from talentpool.consent.links import magic_link_reserve
from talentpool.consent.models import MagicLink
from talentpool.core.models import Membership, Organization
from talentpool.messaging.experience import experience_urls
from talentpool.messaging.feedback import FeedbackSentences, shareable_feedback
from talentpool.messaging.models import KEEP_WARM_KINDS, Message, MessageTemplate
from talentpool.messaging.scheduling import organization_zone
from talentpool.messaging.selectors import opted_out, withdrew_consent
from talentpool.messaging.wording import STOP_FOOTER_LINK, STOP_FOOTER_TEXT, stage_words
from talentpool.openings.models import Feedback, Opening, RunnerUp

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Kind = Message.Kind
STOP_SALT = "talentpool.messaging.stop"
WARM_REJECTION_STRENGTHS = 2  # A rejection names two strengths, not a list.


class NothingToSay(Exception):
    """The message cannot be drafted (for instance, feedback that is not approved yet)."""


@dataclass
class Content:
    """A message's context and sender, ready to render."""

    kind: str
    candidate: Candidate
    context: dict[str, Any]
    sender: User | None = None
    opening: Opening | None = None
    includes_feedback: bool = False


# Links ---------------------------------------------------------------------------------------


def stop_token(candidate_id: int) -> str:
    """A signed token naming the candidate, for the one-click stop link. It does not expire, and
    it is the same every time, so the link in the body and the List-Unsubscribe header agree."""
    return signing.Signer(salt=STOP_SALT).sign_object(candidate_id)


def stop_token_candidate_id(token: str) -> int:
    """The candidate a stop token names; ``signing.BadSignature`` if it was tampered with."""
    value = signing.Signer(salt=STOP_SALT).unsign_object(token)
    if not isinstance(value, int):
        raise signing.BadSignature("not a candidate id")
    return value


def stop_url(candidate_id: int) -> str:
    return settings.SITE_URL + reverse("keep-warm-stop", args=[stop_token(candidate_id)])


def _link(candidate: Candidate, scope: str, now: dt.datetime) -> str:
    """A link for the email being drafted: its token is made when the email is sent."""
    _, url = magic_link_reserve(
        candidate=candidate, scope=scope, now=now, valid_days=settings.MESSAGE_LINK_DAYS
    )
    return url


# Sender --------------------------------------------------------------------------------------


def sender_for(*, candidate: Candidate, opening: Opening | None = None) -> User | None:
    """The recruiter who signs: who decided on the candidate, else the opening's first recruiter."""
    runner_up = None
    if opening is not None:
        runner_up = RunnerUp.objects.filter(candidate=candidate, opening=opening).first()
    if runner_up is None:
        runner_up = candidate.runner_ups.order_by("-decided_at", "-id").first()
    if runner_up is not None and runner_up.decided_by is not None:
        return runner_up.decided_by
    for source in (opening, runner_up.opening if runner_up else None):
        if source is not None:
            recruiter = source.recruiters.order_by("id").first()
            if recruiter is not None:
                return recruiter
    return None


@dataclass(frozen=True)
class SenderDetails:
    name: str
    title: str
    from_email: str
    reply_to: str


def sender_details(
    *, organization: Organization, sender: User | None, language: str | None = None
) -> SenderDetails:
    """Who signs and how replies reach them. A recruiter's title is written in the organization's
    language ("HR-chef"), so a message in another language is signed without it."""
    name = (sender.get_full_name() if sender else "") or organization.sender_name or organization.name
    title = ""
    if sender is not None and language in (None, organization.language):
        membership = Membership.objects.filter(user=sender, organization=organization).first()
        title = membership.title if membership else ""
    display = name if name == organization.name else f"{name}, {organization.name}"
    address = organization.sender_email or settings.DEFAULT_FROM_EMAIL
    try:
        from_email = str(Address(display_name=display, addr_spec=address))
    except (ValueError, IndexError):
        from_email = address
    reply_to = (sender.email if sender else "") or organization.sender_email
    return SenderDetails(name=name, title=title, from_email=from_email, reply_to=reply_to)


# Contexts ------------------------------------------------------------------------------------


def base_context(*, candidate: Candidate, organization: Organization, sender: User | None) -> dict[str, Any]:
    details = sender_details(organization=organization, sender=sender, language=candidate.language)
    return {
        "first_name": candidate.first_name,
        "full_name": candidate.full_name,
        "organization": organization.name,
        "sender_name": details.name,
        "sender_title": details.title,
        "signature": organization.signature.strip(),
    }


def _declined_contact(candidate: Candidate) -> bool:
    """Withdrew consent, or opted out of our emails: we do not invite them to the pool again."""
    return opted_out(candidate.pk) or withdrew_consent(candidate.pk)


def _feedback_of(runner_up: RunnerUp) -> Feedback | None:
    return Feedback.objects.filter(runner_up=runner_up).prefetch_related("items").first()


def _feedback_context(runner_up: RunnerUp, shared: FeedbackSentences | None, language: str) -> dict[str, Any]:
    experience_url, experience_rating_urls = experience_urls(
        candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id
    )
    return {
        "opening_title": runner_up.opening.title,
        "stage": stage_words(runner_up.stage, language=language),
        "strengths": shared.strengths if shared else [],
        "next_steps": shared.next_steps if shared else [],
        "feedback_note": shared.note if shared else "",
        "experience_url": experience_url,
        "experience_urls": experience_rating_urls,
    }


def warm_rejection_content(*, runner_up: RunnerUp, now: dt.datetime) -> Content:
    candidate, organization = runner_up.candidate, runner_up.organization
    language = candidate.language
    sender = sender_for(candidate=candidate, opening=runner_up.opening)
    shared = shareable_feedback(_feedback_of(runner_up), language=language, brief=True)
    in_pool = candidate.is_in_pool(now=now)
    invite = not in_pool and not _declined_contact(candidate)
    context = {
        **base_context(candidate=candidate, organization=organization, sender=sender),
        **_feedback_context(runner_up, shared, language),
        "difference": shared.development_areas if shared else [],
        "feedback_included": shared is not None,
        "feedback_url": "" if shared else _link(candidate, MagicLink.Scope.FEEDBACK_REQUEST, now),
        "in_pool": in_pool,
        "invite_to_pool": invite,
        "consent_url": _link(candidate, MagicLink.Scope.CONSENT, now) if invite else "",
        "consent_months": organization.consent_months,
    }
    return Content(
        kind=Kind.WARM_REJECTION,
        candidate=candidate,
        context=context,
        sender=sender,
        opening=runner_up.opening,
        includes_feedback=shared is not None,
    )


def feedback_content(*, runner_up: RunnerUp, now: dt.datetime) -> Content:
    candidate, organization = runner_up.candidate, runner_up.organization
    language = candidate.language
    shared = shareable_feedback(_feedback_of(runner_up), language=language)
    if shared is None:
        raise NothingToSay("The feedback is not approved yet, or it is empty.")
    sender = sender_for(candidate=candidate, opening=runner_up.opening)
    context = {
        **base_context(candidate=candidate, organization=organization, sender=sender),
        **_feedback_context(runner_up, shared, language),
        "development_areas": shared.development_areas,
    }
    return Content(
        kind=Kind.FEEDBACK,
        candidate=candidate,
        context=context,
        sender=sender,
        opening=runner_up.opening,
        includes_feedback=True,
    )


def _last_opening_title(candidate: Candidate) -> str:
    runner_up = candidate.runner_ups.select_related("opening").order_by("-decided_at", "-id").first()
    return runner_up.opening.title if runner_up else ""


def pool_invitation_content(*, candidate: Candidate, now: dt.datetime, sender: User | None = None) -> Content:
    organization = candidate.organization
    sender = sender or sender_for(candidate=candidate)
    context = {
        **base_context(candidate=candidate, organization=organization, sender=sender),
        "consent_url": _link(candidate, MagicLink.Scope.CONSENT, now),
        "consent_months": organization.consent_months,
        "opening_title": _last_opening_title(candidate),
    }
    return Content(kind=Kind.POOL_INVITATION, candidate=candidate, context=context, sender=sender)


def local_date(moment: dt.datetime, *, organization: Organization, language: str) -> str:
    """A date as people write it in ``language`` (“12. marts 2027”), in the organization's zone."""
    with override(language):
        return str(formats.date_format(moment.astimezone(organization_zone(organization)).date()))


def keep_warm_content(*, kind: str, candidate: Candidate, now: dt.datetime) -> Content:
    """A check-in, CV-update invitation or consent renewal request."""
    organization = candidate.organization
    sender = sender_for(candidate=candidate)
    context = base_context(candidate=candidate, organization=organization, sender=sender)
    if kind == Kind.CONSENT_RENEWAL:
        if candidate.consent_expires_at is None:
            raise NothingToSay("The candidate is not in the talent pool.")
        context |= {
            "consent_url": _link(candidate, MagicLink.Scope.CONSENT, now),
            "consent_months": organization.consent_months,
            "expires_on": local_date(
                candidate.consent_expires_at, organization=organization, language=candidate.language
            ),
        }
    elif kind == Kind.CHECK_IN:
        context |= {
            "profile_url": _link(candidate, MagicLink.Scope.PROFILE, now),
            "last_opening_title": _last_opening_title(candidate),
        }
    elif kind == Kind.CV_UPDATE_INVITATION:
        context |= {"profile_url": _link(candidate, MagicLink.Scope.PROFILE, now)}
    else:
        raise ValueError(f"{kind} is not a keep-warm touchpoint")
    return Content(kind=kind, candidate=candidate, context=context, sender=sender)


def ad_summary(description: str, *, language: str) -> str:
    """The start of an ad, to quote in a message in ``language``; empty unless the ad is
    recognisably written in that language (an English invitation never quotes a Danish ad)."""
    text = " ".join(description.split())
    if not text or language_of_text(text) != language:
        return ""
    return str(Truncator(text).words(40))


def opening_invitation_content(
    *, candidate: Candidate, opening: Opening, now: dt.datetime, sender: User | None = None
) -> Content:
    organization = candidate.organization
    sender = sender or opening.recruiters.order_by("id").first() or sender_for(candidate=candidate)
    context = {
        **base_context(candidate=candidate, organization=organization, sender=sender),
        "opening_title": opening.title,
        "opening_location": opening.location,
        "opening_summary": ad_summary(opening.description, language=candidate.language),
        "last_opening_title": _last_opening_title(candidate),
    }
    return Content(
        kind=Kind.OPENING_INVITATION, candidate=candidate, context=context, sender=sender, opening=opening
    )


# Rendering -----------------------------------------------------------------------------------


def link_email_content(
    *, kind: str, candidate: Candidate, scope: str, url: str, days: int, sender: User | None
) -> Content:
    """A consent request, or the link to their pages a candidate asked for."""
    organization = candidate.organization
    details = sender_details(organization=organization, sender=sender)
    context = {
        "candidate": {"first_name": candidate.first_name},
        "organization": {
            "name": organization.name,
            "consent_months": organization.consent_months,
            "sender_name": details.name,
            "signature": organization.signature.strip(),
        },
        "scope": scope,
        "url": url,
        "days": days,
    }
    return Content(kind=kind, candidate=candidate, context=context, sender=sender)


# Kinds that share another kind's default templates.
TEMPLATE_NAMES: dict[str, str] = {Kind.CONSENT_REQUEST: "magic_link"}


def template_name(kind: str) -> str:
    return TEMPLATE_NAMES.get(kind, kind.lower())


def footers(*, kind: str, candidate_id: int | None, language: str) -> tuple[str, str]:
    """The stop footer (text, HTML) every keep-warm message carries, whatever its template says."""
    if kind not in KEEP_WARM_KINDS or candidate_id is None:
        return "", ""
    url = stop_url(candidate_id)
    question, label = STOP_FOOTER_LINK[language]
    html = f'{escape(question)} <a href="{escape(url)}" style="color:#57606a;">{escape(label)}</a>'
    return STOP_FOOTER_TEXT[language].format(url=url), html


def render_message(
    *,
    organization: Organization | int,
    kind: str,
    language: str,
    context: dict[str, Any],
    candidate_id: int | None,
    template: MessageTemplate | None = None,
) -> RenderedEmail:
    """Render with the organization's own template for the kind and language, else the default."""
    organization_id = organization if isinstance(organization, int) else organization.pk
    if template is None:
        template = MessageTemplate.objects.filter(
            organization_id=organization_id, kind=kind, language=language
        ).first()
    footer_text, footer_html = footers(kind=kind, candidate_id=candidate_id, language=language)
    if template is not None:
        return render_email_source(
            subject=template.subject,
            text=template.text,
            html=template.html,
            context=context,
            language=language,
            footer_text=footer_text,
            footer_html=footer_html,
        )
    return render_email(
        template_name(kind), context, language=language, footer_text=footer_text, footer_html=footer_html
    )


def content_render(content: Content, *, template: MessageTemplate | None = None) -> RenderedEmail:
    return render_message(
        organization=content.candidate.organization_id,
        kind=content.kind,
        language=content.candidate.language,
        context=content.context,
        candidate_id=content.candidate.pk,
        template=template,
    )


def preview_content(*, kind: str, candidate: Candidate, now: dt.datetime) -> Content:
    """A realistic context for ``kind`` and a real candidate, for previewing a template.

    Links in a preview are examples that lead nowhere: a preview must not create magic links.
    """
    organization = candidate.organization
    runner_up = candidate.runner_ups.select_related("opening", "organization").order_by("-decided_at").first()
    sender = sender_for(candidate=candidate)
    language = candidate.language
    example = settings.SITE_URL + "/me/example-link/"
    brief = kind == Kind.WARM_REJECTION
    shared = (
        shareable_feedback(_feedback_of(runner_up), language=language, brief=brief) if runner_up else None
    )
    opening_title = runner_up.opening.title if runner_up else "—"
    context: dict[str, Any] = {
        **base_context(candidate=candidate, organization=organization, sender=sender),
        "opening_title": opening_title,
        "stage": stage_words(runner_up.stage if runner_up else "", language=language),
        "strengths": shared.strengths[:WARM_REJECTION_STRENGTHS] if shared else [],
        "experience_url": example,
        "experience_urls": [f"{example}?rating={rating}" for rating in range(1, 6)],
        "in_pool": candidate.is_in_pool(now=now),
        "next_steps": shared.next_steps if shared else [],
        "feedback_note": shared.note if shared else "",
        "difference": shared.development_areas if shared else [],
        "development_areas": shared.development_areas if shared else [],
        "feedback_included": shared is not None,
        "feedback_url": example,
        "invite_to_pool": not candidate.is_in_pool(now=now),
        "consent_url": example,
        "consent_months": organization.consent_months,
        "expires_on": local_date(
            candidate.consent_expires_at or now, organization=organization, language=language
        ),
        "profile_url": example,
        "last_opening_title": _last_opening_title(candidate),
        "opening_location": runner_up.opening.location if runner_up else "",
        "opening_summary": ad_summary(runner_up.opening.description, language=language) if runner_up else "",
    }
    return Content(kind=kind, candidate=candidate, context=context, sender=sender)
