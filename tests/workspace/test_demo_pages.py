"""Every recruiter page of the seeded demo reads as words for people: no internal keys, no raw
JSON, and nothing of ours left in English on a Danish or Swedish page."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import Candidate, SavedSearch
from talentpool.demo.seed import seed_demo
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import FeedbackRequest, Message
from talentpool.openings.models import Feedback, Opening, RunnerUp

NOW = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine"), pytest.mark.clock(NOW)]

SNAKE_CASE = re.compile(r"(?<![\w@./:=#?&-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@./-])")
RAW_JSON = re.compile(r"""\[\s*"|\{\s*"[a-z_]+"\s*:|\[\s*\{""")


class VisibleText(HTMLParser):
    """The page's own words: no scripts, styles or SVG internals, and no content written by people
    (marked ``lang`` when its language is known, as a message to a candidate, else ``tp-user-text``)."""

    SKIP = {"script", "style", "svg", "template"}
    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.content: list[str] = []  # the open elements that hold content in its own language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if (self.content and tag == self.content[-1]) or (
            tag not in self.VOID
            and (
                (tag != "html" and "lang" in values) or "tp-user-text" in (values.get("class") or "").split()
            )
        ):
            self.content.append(tag)
        if tag in self.SKIP:
            self.skipping += 1
        if self.content or ("lang" in values and tag != "html"):
            return
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")
        if tag in ("input", "textarea") and values.get("placeholder"):
            self.parts.append(values["placeholder"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if self.content and tag == self.content[-1]:
            self.content.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.content:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_only_strings(language: str) -> list[str]:
    """Our English strings of three or more words translated otherwise: on the page they are misses."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as compiled:
        catalog: dict[object, str] = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    return [
        text
        for text, translated in catalog.items()
        if isinstance(text, str)
        and "%" not in text
        and "{" not in text
        and len(text.split()) >= 3
        and translated
        and translated != text
    ]


def recruiter_urls(organization_slug: str) -> list[str]:
    def first(queryset, count: int = 2) -> list[int]:
        return list(
            queryset.filter(organization__slug=organization_slug).values_list("pk", flat=True)[:count]
        )

    urls = [
        reverse("admin:index"),
        reverse("admin_dashboard"),
        reverse("admin:profile"),
        reverse("admin:candidates_candidate_search"),
        reverse("admin:candidates_candidate_search") + "?q=projekt",
        reverse("admin:openings_opening_add"),
    ]
    for name in (
        "candidates_candidate",
        "openings_opening",
        "matching_matchalert",
        "openings_runnerup",
        "openings_feedback",
        "messaging_message",
        "messaging_feedbackrequest",
        "candidates_savedsearch",
    ):
        urls.append(reverse(f"admin:{name}_changelist"))
    runner_ups = RunnerUp.objects.order_by("-decided_at")
    with_gap = Candidate.objects.filter(gap_closures__isnull=False).order_by("pk")
    for pk in first(Candidate.objects.filter(runner_ups__isnull=False).order_by("pk")) + first(with_gap, 1):
        urls.append(reverse("admin:candidates_candidate_overview", args=[pk]))
        urls.append(reverse("admin:candidates_candidate_change", args=[pk]))
    for pk in first(Opening.objects.filter(status="OPEN").order_by("pk")):
        urls.append(reverse("admin:openings_opening_change", args=[pk]))
        urls.append(reverse("admin:openings_opening_matches", args=[pk]))
    for pk in first(runner_ups.filter(feedback__status=Feedback.Status.DRAFT)) + first(runner_ups, 1):
        urls.append(reverse("admin:openings_runnerup_review", args=[pk]))
        urls.append(reverse("admin:openings_runnerup_change", args=[pk]))
    for pk in first(Feedback.objects.order_by("pk"), 1):
        urls.append(reverse("admin:openings_feedback_change", args=[pk]))
    for pk in first(Message.objects.filter(status="DRAFT").order_by("pk"), 1):
        urls.append(reverse("admin:messaging_message_change", args=[pk]))
    for pk in first(FeedbackRequest.objects.order_by("pk"), 1):
        urls.append(reverse("admin:messaging_feedbackrequest_change", args=[pk]))
    for pk in first(SavedSearch.objects.order_by("pk"), 1):
        urls.append(reverse("admin:candidates_savedsearch_change", args=[pk]))
    assert MatchAlert.objects.filter(organization__slug=organization_slug).exists()
    return urls


@pytest.mark.parametrize(
    ("username", "slug", "language"),
    [("mette@kystlys.example", "kystlys", "da"), ("anna@fjallbo.example", "fjallbo", "sv")],
)
def test_every_recruiter_page_of_the_demo_reads_without_keys_json_or_english(username, slug, language):
    # given the demo, and its recruiter working in their own language
    seed_demo(now=NOW)
    client = Client()
    client.force_login(User.objects.get(username=username))
    english = english_only_strings(language)
    problems: list[str] = []
    # when every page of their work is opened
    for url in recruiter_urls(slug):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        # then it opens, and its words are for people
        if response.status_code != 200:
            problems.append(f"{url}: status {response.status_code}")
            continue
        text = visible_text(response.content.decode())
        problems += [f"{url}: internal key {key!r}" for key in sorted(set(SNAKE_CASE.findall(text)))]
        problems += [
            f"{url}: raw JSON near {text[m.start() - 30 : m.end() + 30]!r}" for m in RAW_JSON.finditer(text)
        ]
        problems += [f"{url}: untranslated {phrase!r}" for phrase in english if phrase in text]
    assert problems == [], "\n".join(problems)
