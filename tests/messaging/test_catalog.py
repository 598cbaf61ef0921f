"""Every kind of message in every language, rendered for realistic runner-ups and read as a whole.

Word limits (a warm rejection fits on a phone screen: at most 120 words, links not counted), no
leftover placeholder, no word of another language's templates, the facts present, and each
wording slip the issue named kept out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from integrations.email.rendering import render_email
from talentpool.candidates.models import Candidate
from talentpool.consent.models import MagicLink
from talentpool.core.actors import Actor
from talentpool.matching.scoring import reasons_text
from talentpool.messaging import content as contents
from talentpool.messaging.drafting import (
    feedback_message_draft,
    opening_invitation_draft,
    pool_invitation_draft,
    warm_rejection_draft,
)
from talentpool.messaging.models import Message
from talentpool.messaging.wording import STOP_FOOTER_LINK, STOP_FOOTER_TEXT
from talentpool.openings.models import Feedback, RunnerUp
from tests.factories import CandidateFactory, OpeningFactory
from tests.messaging.conftest import FEEDBACK, TUESDAY_10, in_pool

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10)]

SYSTEM = Actor.system()
LANGUAGES = ("da", "sv", "en")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"
URL = re.compile(r"https?://\S+")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
PLACEHOLDER_LEFTOVERS = ("{{", "}}", "{%", "%}", "%(", ")s", "[[", "]]")

# Words that belong to one language's templates and never to the others'.
MARKERS = {
    "da": {
        "og",
        "ikke",
        "vores",
        "hilsen",
        "kære",
        "talentpulje",
        "talentpuljen",
        "denne",
        "også",
        "når",
        "mail",
    },
    "sv": {
        "och",
        "inte",
        "vår",
        "våra",
        "hälsningar",
        "talangpool",
        "talangpoolen",
        "mejlet",
        "att",
        "också",
        "när",
    },
    "en": {"the", "and", "our", "your", "with", "wishes", "would", "email", "you", "we", "pool"},
}
WORD_LIMITS = {Message.Kind.WARM_REJECTION: 120, Message.Kind.FEEDBACK: 250}
OTHER_LIMIT = 150
STAGE_WORDS = {"da": "den afsluttende samtale", "sv": "slutintervjun", "en": "the final interview"}
# SpamAssassin's __END_FUTURE_EMAILS (rulesrc/sandbox/jhardin/20_misc_testing.cf), as published.
END_FUTURE_EMAILS = re.compile(
    r"\b(?:end|stop(?! receiving these (?:alerts|emails))|cease|discontinue|removed?|"
    r"(?:do(?! not wish to receive [\w\s]{0,20}emails)|would|you(?:'d)?) "
    r"(?:not (?:wish|want|like|desire)|(?:prefer|wish|want|like|desire) not) to|exclude yourself|fore?go)"
    r"[- ](?:get |receiv(?:ing|e) |or |(?:a-z{1,30} ){0,4}from )?(?:these|our|(?:any )?(?:future|further)) "
    r"(?:(?:e|ad)?-?m(?:ail(?:ing)?|es+[age]{3})|alert|PSA|marketing|notice)[- ]?(?:ad|update)?s?\b",
    re.IGNORECASE,
)
AD = {
    "da": "Vi søger en erfaren projektleder, der kan stå for udrulningen af vores nye sagssystem og "
    "samarbejde med både it og forretningen.",
    "sv": "Vi söker en erfaren projektledare som kan leda införandet av vårt nya ärendesystem och "
    "samarbeta med både it och verksamheten.",
    "en": "We are looking for an experienced project manager who can lead the rollout of our new case "
    "management system and work with both IT and the business.",
}


@dataclass(frozen=True)
class Rendered:
    kind: str
    variant: str
    language: str
    subject: str
    text: str
    html: str

    @property
    def words(self) -> int:
        return len(WORD.findall(URL.sub(" ", self.text)))


def message(kind: str, variant: str, rendered: Message) -> Rendered:
    return Rendered(
        kind, variant, rendered.language, rendered.subject, rendered.body_text, rendered.body_html
    )


def catalog(language: str, make_runner_up: Callable[..., RunnerUp]) -> list[Rendered]:
    """Every kind, in the variants a candidate can receive, in ``language``."""
    kind = Message.Kind
    out: list[Rendered] = []
    full = make_runner_up(language=language)
    out.append(
        message(kind.WARM_REJECTION, "feedback, invited", warm_rejection_draft(runner_up=full, actor=SYSTEM))
    )
    out.append(message(kind.FEEDBACK, "feedback", feedback_message_draft(runner_up=full, actor=SYSTEM)))
    draft = make_runner_up(language=language, feedback=Feedback.Status.DRAFT)
    out.append(
        message(kind.WARM_REJECTION, "no feedback yet", warm_rejection_draft(runner_up=draft, actor=SYSTEM))
    )
    member = make_runner_up(language=language)
    in_pool(member.candidate)
    out.append(
        message(kind.WARM_REJECTION, "in the pool", warm_rejection_draft(runner_up=member, actor=SYSTEM))
    )
    private = make_runner_up(language=language, share=False)
    out.append(
        message(kind.WARM_REJECTION, "not shared", warm_rejection_draft(runner_up=private, actor=SYSTEM))
    )
    outsider = make_runner_up(language=language, feedback=None).candidate
    out.append(message(kind.POOL_INVITATION, "", pool_invitation_draft(candidate=outsider, actor=SYSTEM)))
    candidate: Candidate = member.candidate
    for keep_warm in (kind.CHECK_IN, kind.CV_UPDATE_INVITATION, kind.CONSENT_RENEWAL):
        built = contents.content_render(
            contents.keep_warm_content(kind=keep_warm, candidate=candidate, now=TUESDAY_10)
        )
        out.append(Rendered(keep_warm, "", language, built.subject, built.text, built.html))
    for link_kind, person, scope in (
        (kind.CONSENT_REQUEST, outsider, MagicLink.Scope.CONSENT),
        (kind.MAGIC_LINK, candidate, MagicLink.Scope.PROFILE),
    ):
        built = contents.content_render(
            contents.link_email_content(
                kind=link_kind,
                candidate=person,
                scope=scope,
                url="https://example.com/me/link/abc/",
                days=14,
                sender=None,
            )
        )
        out.append(Rendered(link_kind, scope, language, built.subject, built.text, built.html))
    opening = OpeningFactory(
        organization=candidate.organization, title="Projektleder", description=AD[language]
    )
    out.append(
        message(
            kind.OPENING_INVITATION,
            "",
            opening_invitation_draft(candidate=candidate, opening=opening, actor=SYSTEM),
        )
    )
    reasons = reasons_text(
        [{"kind": "distance", "km": 12}, {"kind": "languages", "codes": ["da", "en"]}], language=language
    )
    digest = render_email(
        "match_alert_digest",
        {
            "opening": opening,
            "alerts": [1, 2],
            "items": [
                {"name": "Sofie Ærø", "score": 82, "reasons": reasons, "url": "https://example.com/1"},
                {"name": "Astrid Berg", "score": 74, "reasons": reasons, "url": "https://example.com/2"},
            ],
            "opening_url": "https://example.com/o",
            "recipient_name": "Mette",
        },
        language=language,
    )
    out.append(Rendered(kind.MATCH_ALERT_DIGEST, "", language, digest.subject, digest.text, digest.html))
    return out


@pytest.fixture
def rendered(make_runner_up, at_tuesday_10) -> dict[str, list[Rendered]]:
    return {language: catalog(language, make_runner_up) for language in LANGUAGES}


def test_every_kind_is_rendered_in_every_language(rendered):
    kinds = {item.kind for items in rendered.values() for item in items}
    assert kinds == set(Message.Kind.values)


def test_rejections_fit_on_a_phone_screen_and_the_others_stay_short(rendered):
    too_long = [
        (item.kind, item.variant, item.language, item.words)
        for items in rendered.values()
        for item in items
        if item.words > WORD_LIMITS.get(item.kind, OTHER_LIMIT)
    ]
    assert too_long == []


def test_no_placeholder_is_left_over(rendered):
    leftovers = [
        (item.kind, item.language, mark)
        for items in rendered.values()
        for item in items
        for part in (item.subject, item.text, item.html)
        for mark in PLACEHOLDER_LEFTOVERS
        if mark in URL.sub(" ", part)
    ]
    assert leftovers == []


def test_no_message_carries_a_word_of_another_languages_templates(rendered):
    found = []
    for language, items in rendered.items():
        others = set().union(*(MARKERS[other] for other in LANGUAGES if other != language))
        for item in items:
            words = {word.lower() for word in WORD.findall(URL.sub(" ", f"{item.subject}\n{item.text}"))}
            if words & others:
                found.append((item.kind, item.variant, language, sorted(words & others)))
    assert found == []


def test_the_markers_really_are_words_of_their_own_language_only():
    # The marker lists are checked against the templates themselves: each occurs in its own
    # language's templates and in no other's.
    template_words = {
        language: {
            word.lower()
            for path in (TEMPLATES / language).glob("*.txt")
            for word in WORD.findall(re.sub(r"{[{%].*?[%}]}", " ", path.read_text()))
        }
        for language in LANGUAGES
    }
    for language, markers in MARKERS.items():
        assert markers <= template_words[language]
        for other in LANGUAGES:
            if other != language:
                assert not markers & template_words[other], (language, other, markers & template_words[other])


@pytest.mark.parametrize("language", LANGUAGES)
def test_rejections_and_feedback_carry_the_facts(rendered, language):
    facts = FEEDBACK[language]
    for item in rendered[language]:
        if item.kind not in (Message.Kind.WARM_REJECTION, Message.Kind.FEEDBACK):
            continue
        assert "IT-projektleder" in item.subject + item.text
        if item.kind == Message.Kind.WARM_REJECTION:
            assert STAGE_WORDS[language] in item.text
        if item.variant in ("feedback, invited", "feedback", "in the pool", "not shared"):
            assert facts["strengths"][0] in item.text
        assert "/me/experience/" in item.text


def test_a_rejection_has_one_reply_line_and_next_steps_only_in_the_feedback_email(rendered):
    reply = {"da": "svar", "sv": "svara", "en": "reply"}
    for language, items in rendered.items():
        next_step = FEEDBACK[language]["next_steps"][0]
        for item in items:
            if item.kind == Message.Kind.WARM_REJECTION:
                body = item.text.lower()
                assert len(re.findall(rf"\b{reply[language]}\b", body)) == 1, (item.variant, language)
                assert next_step not in item.text
            if item.kind == Message.Kind.FEEDBACK:
                assert next_step in item.text


def test_people_in_the_pool_are_told_they_stay_and_others_are_invited_to_join(rendered):
    stay = {
        "da": "Du bliver i vores talentpulje",
        "sv": "Du finns kvar i vår talangpool",
        "en": "You stay in",
    }
    join = {"da": "Kom med i talentpuljen", "sv": "Gå med i talangpoolen", "en": "Join the talent pool"}
    for language, items in rendered.items():
        for item in items:
            if item.kind != Message.Kind.WARM_REJECTION:
                continue
            if item.variant == "in the pool":
                assert stay[language] in item.text
                assert join[language] not in item.text
            else:
                assert join[language] in item.text
                assert stay[language] not in item.text


def test_the_development_area_reads_as_a_sentence_about_the_person_chosen(rendered):
    expected = {
        "da": "Vi valgte en kandidat, der havde flere års erfaring med den analyseplatform, "
        "vi bruger hver dag.",
        "sv": "Vi valde en kandidat som hade flera års erfarenhet av analysplattformen "
        "vi använder varje dag.",
        "en": "The person we chose had several years with the analytics platform we use every day.",
    }
    for language, items in rendered.items():
        rejection = next(i for i in items if i.kind == Message.Kind.WARM_REJECTION)
        assert expected[language] in rejection.text


def test_an_invitation_quotes_the_ad_only_in_its_own_language(make_runner_up, at_tuesday_10):
    # given: an English-speaking candidate in the pool, and a Danish ad
    candidate = in_pool(CandidateFactory(organization=make_runner_up().organization, language="en"))
    danish = OpeningFactory(organization=candidate.organization, title="Projektleder", description=AD["da"])
    english = OpeningFactory(
        organization=candidate.organization, title="Project manager", description=AD["en"]
    )

    # when
    quoted_danish = opening_invitation_draft(candidate=candidate, opening=danish, actor=SYSTEM)
    quoted_english = opening_invitation_draft(candidate=candidate, opening=english, actor=SYSTEM)

    # then
    assert "Vi søger" not in quoted_danish.body_text
    assert "We are looking for an experienced project manager" in quoted_english.body_text


@pytest.mark.parametrize(
    ("language", "slip"),
    [
        ("da", "søger til"),
        ("da", "Bliv i talentpuljen"),  # to people not yet in it
        ("da", "rette dine kompetencer"),
        ("sv", "var skillnaden"),
        ("sv", "justera dina kunskaper"),
        ("sv", "till och med"),
        ("sv", "söker till"),
        ("en", "When it came to"),
        ("en", "the difference was"),
        ("da", "taler da, en"),
    ],
)
def test_the_wording_slips_are_gone(rendered, language, slip):
    for item in rendered[language]:
        if item.kind == Message.Kind.CONSENT_RENEWAL and slip == "Bliv i talentpuljen":
            continue  # Those already in the pool are asked to stay: "Bliv" is right there.
        assert slip not in item.text, (item.kind, item.variant)
        assert slip not in item.html, (item.kind, item.variant)


def test_the_slips_fixed_in_the_catalog_read_as_intended(rendered):
    texts = {language: "\n".join(item.text for item in items) for language, items in rendered.items()}
    assert "opdatere dine kompetencer" in texts["da"]
    assert "uppdatera dina kompetenser" in texts["sv"]
    assert "fram till den " in texts["sv"]
    assert "taler dansk og engelsk" in texts["da"]
    assert "talar danska och engelska" in texts["sv"]
    assert "speaks Danish and English" in texts["en"]


def test_no_email_trips_spamassassins_end_future_emails(rendered):
    footers = [STOP_FOOTER_TEXT[language] for language in LANGUAGES]
    footers += [" ".join(STOP_FOOTER_LINK[language]) for language in LANGUAGES]
    assert [footer for footer in footers if END_FUTURE_EMAILS.search(footer)] == []
    hits = [
        (item.kind, item.language)
        for items in rendered.values()
        for item in items
        if END_FUTURE_EMAILS.search(item.text) or END_FUTURE_EMAILS.search(re.sub(r"<[^>]+>", " ", item.html))
    ]
    assert hits == []
    assert END_FUTURE_EMAILS.search("Stop these emails with one click")  # The old footer did.


def test_swedish_dates_read_den_15_oktober(make_runner_up, at_tuesday_10):
    candidate = in_pool(
        make_runner_up(language="sv").candidate, until=dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
    )
    built = contents.content_render(
        contents.keep_warm_content(kind=Message.Kind.CONSENT_RENEWAL, candidate=candidate, now=TUESDAY_10)
    )
    assert "fram till den 15 oktober 2026" in built.text
    assert "ur talangpoolen den 15 oktober 2026" in built.text
