"""The placeholders each kind of message offers its templates, and the check for a template."""

from __future__ import annotations

from integrations.email.rendering import template_problems
from talentpool.messaging.models import Message

Kind = Message.Kind

COMMON: dict[str, str] = {
    "first_name": "The candidate's first name.",
    "full_name": "The candidate's full name.",
    "organization": "Your organization's name.",
    "sender_name": "The recruiter who signs the message.",
    "sender_title": "Their title (from their membership).",
    "signature": "Your organization's signature, if it has one.",
}

_FEEDBACK = {
    "opening_title": "The opening's title.",
    "stage": "The stage the candidate reached, as words (“the final interview”).",
    "strengths": "What was strong, as sentences (a list).",
    "next_steps": "Suggested next steps, as sentences (a list).",
    "feedback_note": "The recruiter's own words in the feedback.",
    "experience_url": "A page asking how they experienced the process (1 to 5, a comment).",
    "experience_urls": "The same question's five links, one per rating from 1 to 5 (a list).",
}

_POOL = {
    "consent_url": "The link to join (or stay in) the talent pool.",
    "consent_months": "How many months a profile is kept with consent.",
}

BY_KIND: dict[str, dict[str, str]] = {
    Kind.WARM_REJECTION: {
        **_FEEDBACK,
        "difference": "What made the difference: one sentence in a list, only if the feedback may be shared.",
        "feedback_included": "True when approved feedback is part of the message.",
        "feedback_url": "A link where the candidate can ask for written feedback.",
        "in_pool": "True when the candidate is already in the talent pool (and stays in it).",
        "invite_to_pool": "True unless the candidate is in the talent pool or declined contact.",
        **_POOL,
    },
    Kind.FEEDBACK: {
        **_FEEDBACK,
        "development_areas": "What to develop, by category, as sentences (a list).",
    },
    Kind.POOL_INVITATION: {**_POOL, "opening_title": "The opening they applied for, if any."},
    Kind.CONSENT_RENEWAL: {**_POOL, "expires_on": "The day their consent ends, as a date."},
    Kind.CHECK_IN: {
        "profile_url": "The link to their profile page.",
        "last_opening_title": "The last opening they were close to, if any.",
    },
    Kind.CV_UPDATE_INVITATION: {"profile_url": "The link to their profile page."},
    Kind.OPENING_INVITATION: {
        "opening_title": "The new opening's title.",
        "opening_location": "Where the job is.",
        "opening_summary": "The start of the opening's description.",
        "last_opening_title": "The last opening they were close to, if any.",
    },
}


def placeholders_for(kind: str) -> dict[str, str]:
    return {**COMMON, **BY_KIND.get(kind, {})}


def template_errors(*, kind: str, subject: str, text: str, html: str) -> dict[str, list[str]]:
    """Problems per field of a template an organization wrote; empty if there are none."""
    allowed = placeholders_for(kind)
    errors: dict[str, list[str]] = {}
    for field, source in (("subject", subject), ("text", text), ("html", html)):
        problems = template_problems(source or "", allowed=allowed)
        if problems:
            errors[field] = problems
    if errors:
        errors.setdefault("__all__", []).append(
            "Placeholders you can use: " + ", ".join(sorted(allowed)) + "."
        )
    return errors
