from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from integrations.email.rendering import (
    default_template_source,
    leftover_markers,
    render_email,
    template_problems,
)
from talentpool.messaging.content import render_message, template_name
from talentpool.messaging.models import SYSTEM_KINDS, Message
from talentpool.messaging.placeholders import BY_KIND, placeholders_for
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["da", "sv", "en"]
# The kinds an organization words itself. The link emails (a consent request, a link the candidate
# asked for) share one gettext-translated template, emails/magic_link.*, tested in test_link_emails.
CANDIDATE_KINDS = [kind for kind in Message.Kind if kind not in SYSTEM_KINDS]
# Words that give away English in a Danish or Swedish text, and the other way round.
ENGLISH = {"the", "and", "you", "your", "we", "with", "our", "if", "this", "thank", "dear", "would", "please"}
SCANDINAVIAN = {"og", "och", "du", "din", "dig", "vi", "jeg", "jag", "tak", "tack", "hej", "kære", "venlig"}

CONTEXT = {
    "da": {
        "opening_title": "IT-projektleder",
        "stage": "den afsluttende samtale",
        "strengths": ["Din præsentation af kampagneplanen var den klareste, vi så."],
        "difference": [
            "Når det gjaldt erfaring, var forskellen flere års arbejde med vores analyseplatform."
        ],
        "development_areas": [
            "Når det gjaldt erfaring, var forskellen flere års arbejde med vores analyseplatform."
        ],
        "next_steps": ["Som et næste skridt vil vi foreslå et kursus i dataanalyse."],
        "feedback_note": "Vi håber at se dig igen.",
        "expires_on": "12. marts 2027",
        "opening_location": "Aarhus",
        "opening_summary": "Led udrulningen af vores nye sagsbehandlingssystem.",
        "last_opening_title": "Projektkoordinator",
    },
    "sv": {
        "opening_title": "IT-projektledare",
        "stage": "slutintervjun",
        "strengths": ["Din presentation av kampanjplanen var den tydligaste vi såg."],
        "difference": ["När det gällde erfarenhet var skillnaden flera års arbete med vår analysplattform."],
        "development_areas": [
            "När det gällde erfarenhet var skillnaden flera års arbete med vår analysplattform."
        ],
        "next_steps": ["Som ett nästa steg skulle vi föreslå en kurs i dataanalys."],
        "feedback_note": "Vi hoppas att få träffa dig igen.",
        "expires_on": "12 mars 2027",
        "opening_location": "Umeå",
        "opening_summary": "Led införandet av vårt nya ärendehanteringssystem.",
        "last_opening_title": "Projektkoordinator",
    },
    "en": {
        "opening_title": "IT Project Manager",
        "stage": "the final interview",
        "strengths": ["Your presentation of the campaign plan was the clearest we saw."],
        "difference": [
            "When it came to experience, the difference was several years with our analytics platform."
        ],
        "development_areas": [
            "When it came to experience, the difference was several years with our platform."
        ],
        "next_steps": ["As a next step, we would suggest a course in data analysis."],
        "feedback_note": "We hope to see you again.",
        "expires_on": "March 12, 2027",
        "opening_location": "Aarhus",
        "opening_summary": "Lead the rollout of our new case management system.",
        "last_opening_title": "Project Coordinator",
    },
}


def context_for(language: str, **overrides: Any) -> dict[str, Any]:
    return {
        "first_name": "Sofie",
        "full_name": "Sofie Ærø",
        "organization": "Kystlys A/S",
        "sender_name": "Mette Højgaard",
        "sender_title": "Talentchef",
        "signature": "Kystlys A/S · Havnegade 3 · Aarhus",
        "feedback_included": True,
        "feedback_url": "https://talentpool.example/me/link/abc/",
        "invite_to_pool": True,
        "consent_url": "https://talentpool.example/me/link/def/",
        "consent_months": 18,
        "profile_url": "https://talentpool.example/me/link/ghi/",
        **CONTEXT[language],
        **overrides,
    }


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", re.sub(r"https?://\S+", " ", text).lower()))


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", CANDIDATE_KINDS)
@pytest.mark.parametrize("variant", ["full", "sparse"])
def test_every_kind_renders_in_every_language_with_no_placeholder_or_foreign_text_left(
    kind, language, variant, organization
):
    # given: everything filled in, or only what is always there (no feedback, no pool invitation)
    candidate = CandidateFactory(organization=organization, language=language)
    overrides = {}
    if variant == "sparse":
        overrides = {
            "strengths": [],
            "difference": [],
            "development_areas": [],
            "next_steps": [],
            "feedback_note": "",
            "feedback_included": False,
            "invite_to_pool": False,
            "sender_title": "",
            "signature": "",
            "last_opening_title": "",
            "opening_location": "",
            "opening_summary": "",
        }

    # when
    rendered = render_message(
        organization=organization,
        kind=kind,
        language=language,
        context=context_for(language, **overrides),
        candidate_id=candidate.pk,
    )

    # then
    for part in (rendered.subject, rendered.text, rendered.html):
        assert part.strip()
        assert leftover_markers(part) == []
    assert "Sofie" in rendered.text
    assert "Mette Højgaard" in rendered.text
    foreign = SCANDINAVIAN if language == "en" else ENGLISH
    assert words(rendered.subject + rendered.text + visible(rendered.html)) & foreign == set()
    assert f'lang="{language}"' in rendered.html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_match_digest_renders_in_every_language(language, organization):
    # given
    context = {
        "opening": {"title": "IT-projektleder"},
        "alerts": [1, 2],
        "items": [
            {"name": "Sofie Ærø", "score": 87.4, "reasons": "PRINCE2, Jira", "url": "https://t.example/a/1/"},
            {"name": "Jonas Berg", "score": 71, "reasons": "PRINCE2", "url": "https://t.example/a/2/"},
        ],
        "opening_url": "https://t.example/a/",
        "recipient_name": "Mette",
    }

    # when
    rendered = render_email("match_alert_digest", context, language=language)

    # then
    for part in (rendered.subject, rendered.text, rendered.html):
        assert leftover_markers(part) == []
    assert rendered.subject.startswith("2 ")
    assert "Sofie Ærø (87/100)" in rendered.text
    foreign = SCANDINAVIAN - {"du", "din", "dig"} if language == "en" else ENGLISH
    assert words(rendered.subject + rendered.text + visible(rendered.html)) & foreign == set()


def test_every_kind_has_its_own_files_in_every_language():
    # given
    root = Path(settings.BASE_DIR) / "templates" / "emails"

    # then
    for language in LANGUAGES:
        for kind in [*CANDIDATE_KINDS, Message.Kind.MATCH_ALERT_DIGEST]:
            for suffix in ("subject.txt", "txt", "html"):
                assert (root / language / f"{template_name(kind)}.{suffix}").is_file(), (
                    kind,
                    language,
                    suffix,
                )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(BY_KIND))
def test_the_default_templates_use_only_the_placeholders_offered_to_organizations(kind, language):
    # given
    allowed = placeholders_for(kind)

    # then: each default would be accepted as an organization's own template
    for suffix in ("subject.txt", "txt", "html"):
        source = default_template_source(template_name(kind), language=language, suffix=suffix)
        assert template_problems(source, allowed=allowed) == [], (kind, language, suffix)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_warm_rejection_with_feedback_and_an_invitation_fits_on_a_phone_screen(language, organization):
    # given
    candidate = CandidateFactory(organization=organization, language=language)

    # when
    rendered = render_message(
        organization=organization,
        kind=Message.Kind.WARM_REJECTION,
        language=language,
        context=context_for(language),
        candidate_id=candidate.pk,
    )

    # then
    assert len(rendered.text.split()) < 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_feedback_message_stays_under_250_words(language, organization):
    # given: three strengths, two development areas, two next steps and a note
    candidate = CandidateFactory(organization=organization, language=language)
    context = context_for(language)
    context["strengths"] = context["strengths"] * 3
    context["development_areas"] = context["development_areas"] * 2
    context["next_steps"] = context["next_steps"] * 2

    # when
    rendered = render_message(
        organization=organization,
        kind=Message.Kind.FEEDBACK,
        language=language,
        context=context,
        candidate_id=candidate.pk,
    )

    # then
    assert len(rendered.text.split()) < 250


def test_text_is_not_html_escaped_but_html_is(organization):
    # given
    candidate = CandidateFactory(organization=organization, language="en")
    context = context_for("en", organization="Jensen & Co <Ltd>", sender_name="Mette Højgaard")

    # when
    rendered = render_message(
        organization=organization,
        kind=Message.Kind.CHECK_IN,
        language="en",
        context=context,
        candidate_id=candidate.pk,
    )

    # then
    assert "Jensen & Co <Ltd>" in rendered.text
    assert "Jensen &amp; Co &lt;Ltd&gt;" in rendered.html


@pytest.mark.parametrize("kind", sorted(Message.Kind))  # The link emails carry no footer either.
def test_keep_warm_messages_and_only_they_carry_the_stop_footer(kind, organization):
    # given
    candidate = CandidateFactory(organization=organization, language="en")
    keep_warm = kind in {
        "POOL_INVITATION",
        "CONSENT_RENEWAL",
        "CHECK_IN",
        "CV_UPDATE_INVITATION",
        "OPENING_INVITATION",
    }
    if kind == Message.Kind.MATCH_ALERT_DIGEST:
        return
    if kind in (Message.Kind.CONSENT_REQUEST, Message.Kind.MAGIC_LINK):
        context: dict[str, Any] = {
            "candidate": {"first_name": "Sofie"},
            "organization": {"name": "Kystlys", "consent_months": 12, "sender_name": "Mette"},
            "scope": "CONSENT" if kind == Message.Kind.CONSENT_REQUEST else "PROFILE",
            "url": "https://talentpool.example/me/link/abc/",
            "days": 14,
        }
    else:
        context = context_for("en")

    # when
    rendered = render_message(
        organization=organization,
        kind=kind,
        language="en",
        context=context,
        candidate_id=candidate.pk,
    )

    # then
    assert ("/me/stop/" in rendered.text) is keep_warm
    assert ("/me/stop/" in rendered.html) is keep_warm
