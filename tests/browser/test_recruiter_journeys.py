"""The recruiter's three journeys in a real browser, in Danish and in Swedish, with screenshots:
a decision reviewed and approved, a new opening and its matches acted on, someone looked up.
The other organization's recruiter sees none of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.core.models import AuditEvent, Membership, Organization
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import Message
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp
from talentpool.search.candidates import candidate_index, candidate_index_sync
from tests.browser.conftest import screenshot
from tests.browser.test_recruiter_workspace import log_in, wait_for, with_password
from tests.factories import (
    CandidateFactory,
    ConsentEventFactory,
    ConsentTextFactory,
    FeedbackFactory,
    MessageFactory,
    RunnerUpFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_engine")]


@dataclass(frozen=True)
class Spec:
    language: str
    time_zone: str
    people: tuple[str, str]
    headline: str
    skill: str  # as a recruiter types it
    skill_label: str  # the vocabulary's label in the recruiter's language
    past_title: str
    new_title: str
    gap: str
    subject: str
    words: dict[str, str]  # what the pages say, in this language


DANISH = Spec(
    language="da",
    time_zone="Europe/Copenhagen",
    people=("Sofie", "Mads"),
    headline="IT-projektleder",
    skill="projektledelse",
    skill_label="Projektledelse",
    past_title="Projektleder",
    new_title="IT-projektleder, digitalisering",
    gap="PRINCE2-certificering",
    subject="Din ansøgning som projektleder",
    words={
        "runner_ups": "Runner-ups og feedback",
        "when": "sendes sendt",
        "openings": "Stillinger og matchforslag",
        "consent": "Samtykke givet (tekstversion 3)",
        "created": "Profil oprettet fra Teamtailor",
    },
)
SWEDISH = Spec(
    language="sv",
    time_zone="Europe/Stockholm",
    people=("Linnéa", "Oskar"),
    headline="Projektledare bygg",
    skill="projektledning",
    skill_label="Projektledning",
    past_title="Projektledare",
    new_title="Projektledare, nybyggnation",
    gap="PRINCE2-certifiering",
    subject="Din ansökan som projektledare",
    words={
        "runner_ups": "Andrahandskandidater och återkoppling",
        "when": "skickas skickat",
        "openings": "Tjänster och matchningar",
        "consent": "Samtycke lämnat (textversion 3)",
        "created": "Profil skapad från Teamtailor",
    },
)


@dataclass
class World:
    organization: Organization
    recruiter: User
    outsider: User
    runner_up: RunnerUp
    people: list[Candidate]


def in_pool(organization: Organization, first_name: str, spec: Spec) -> Candidate:
    candidate = CandidateFactory(
        organization=organization,
        first_name=first_name,
        last_name="Berg",
        language=spec.language,
        headline=spec.headline,
        skills=[spec.skill_label, "PRINCE2"],
        source="teamtailor",
        consent_expires_at=timezone.now() + dt.timedelta(days=300),
    )
    AuditEvent.objects.create(
        organization=organization,
        actor_type=AuditEvent.ActorType.API_KEY,
        action="candidate.created",
        target_type="candidates.candidate",
        target_id=candidate.pk,
        changes=["email", "external_id"],
    )
    text = ConsentTextFactory(organization=organization, language=spec.language, version=3)
    ConsentEventFactory(candidate=candidate, text=text, expires_at=candidate.consent_expires_at)
    return candidate


def world(spec: Spec, organization: Organization, recruiter: User, outsider: User) -> World:
    organization.time_zone = spec.time_zone
    organization.save()
    Membership.objects.filter(user=recruiter).update(language=spec.language)
    Membership.objects.filter(user=outsider).update(language=spec.language)
    people = [in_pool(organization, name, spec) for name in spec.people]
    runner_up = RunnerUpFactory(
        opening__organization=organization, opening__title=spec.past_title, candidate=people[0]
    )
    feedback = FeedbackFactory(runner_up=runner_up, free_text="")
    FeedbackItem.objects.create(
        feedback=feedback, kind="STRENGTH", text="Stærk case / Stark presentation", position=0
    )
    FeedbackItem.objects.create(
        feedback=feedback, kind="DEVELOPMENT_AREA", category="CERTIFICATION", text=spec.gap, position=1
    )
    MessageFactory(
        candidate=people[0],
        opening=runner_up.opening,
        language=spec.language,
        subject=spec.subject,
        body_text="Hej\n\nTak.",
    )
    candidate_index_sync(candidate_ids=[person.pk for person in people])
    candidate_index.refresh()
    return World(organization, with_password(recruiter), with_password(outsider), runner_up, people)


def journeys(page, live_server, spec: Spec, w: World) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import Select

    tag = f"journey-{spec.language}"
    log_in(page, live_server, w.recruiter)
    screenshot(page, f"{tag}-0-home")
    assert page.find_element(By.ID, "profile-link")

    # 1. A decision was made: review the feedback and the draft side by side, edit, approve.
    page.find_element(By.LINK_TEXT, spec.words["runner_ups"]).click()
    page.find_element(By.CSS_SELECTOR, "a.tp-review-link").click()
    wait_for(page, lambda driver: driver.find_elements(By.ID, "review-message"))
    assert spec.gap in page.page_source
    screenshot(page, f"{tag}-1-decision-review")
    subject = page.find_element(By.ID, "id_subject")
    subject.clear()
    subject.send_keys(spec.subject + " ✓")
    approve = page.find_element(By.ID, "approve")
    approve.click()
    wait_for(page, staleness_of(approve))
    wait_for(page, lambda driver: driver.find_elements(By.ID, "message-when"))
    # At a humane hour it goes out at once (tasks run in the request here); else it says when.
    assert page.find_element(By.ID, "message-when").text.split()[0] in spec.words["when"]
    message = Message.objects.get(candidate=w.people[0])
    assert message.status in (Message.Status.SCHEDULED, Message.Status.SENT)
    assert message.subject == spec.subject + " ✓"
    assert Feedback.objects.get(runner_up=w.runner_up).status == Feedback.Status.APPROVED
    screenshot(page, f"{tag}-1-decision-approved")

    # 2. A new opening: skills as chips in one's own words, languages as choices, then its matches.
    page.get(live_server.url + reverse("admin:openings_opening_add"))
    page.find_element(By.ID, "id_title").send_keys(spec.new_title)
    page.find_element(By.ID, "id_description").send_keys("—")
    chips = page.find_element(By.ID, "id_must_have_skills-chip-input")
    chips.send_keys(spec.skill + "\n")
    chips.send_keys("Vores eget fagord\n")
    assert len(page.find_elements(By.CSS_SELECTOR, ".tp-chip")) == 2
    page.find_element(By.CSS_SELECTOR, f"input[name=languages][value={spec.language}]").click()
    page.find_element(By.ID, "id_radius_km").send_keys("60")
    screenshot(page, f"{tag}-2-opening-form")
    page.find_element(By.CSS_SELECTOR, "input[name=_save]").click()
    wait_for(page, lambda driver: driver.current_url.endswith(reverse("admin:openings_opening_changelist")))
    opening = Opening.objects.get(title=spec.new_title)
    assert opening.must_have_skills == [spec.skill, "Vores eget fagord"]
    assert opening.languages == [spec.language]
    screenshot(page, f"{tag}-2-openings-list")
    page.get(live_server.url + reverse("admin:openings_opening_matches", args=[opening.pk]))
    rows = page.find_elements(By.CSS_SELECTOR, "tr.tp-match")
    assert [row.get_attribute("id") for row in rows[:2]] == [
        f"candidate-{w.people[0].pk}",
        f"candidate-{w.people[1].pk}",
    ]
    assert page.find_elements(By.CSS_SELECTOR, "meter.tp-score")
    screenshot(page, f"{tag}-2-matches")
    rows[0].find_element(By.CSS_SELECTOR, "input.tp-invite").click()
    wait_for(page, staleness_of(rows[0]))
    wait_for(page, lambda driver: driver.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"))
    second = page.find_element(By.ID, f"candidate-{w.people[1].pk}")
    Select(second.find_element(By.NAME, "reason")).select_by_value("NOT_LOOKING")
    second.find_element(By.CSS_SELECTOR, "input.tp-dismiss").click()
    wait_for(page, staleness_of(second))
    wait_for(page, lambda driver: driver.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"))
    assert Message.objects.filter(candidate=w.people[0], kind=Message.Kind.OPENING_INVITATION).exists()
    dismissed = MatchAlert.objects.get(opening=opening, candidate=w.people[1])
    assert (dismissed.status, dismissed.dismiss_reason) == (MatchAlert.Status.DISMISSED, "NOT_LOOKING")
    screenshot(page, f"{tag}-2-matches-acted")

    # 3. Looking for someone: search, the candidate page in words.
    page.get(live_server.url + reverse("admin:candidates_candidate_search") + f"?q={spec.people[0]}")
    screenshot(page, f"{tag}-3-search")
    page.find_element(By.PARTIAL_LINK_TEXT, f"{spec.people[0]} Berg").click()
    wait_for(page, lambda driver: driver.current_url.endswith("/overview/"))
    labels = [item.text for item in page.find_elements(By.CSS_SELECTOR, "#skills li")]
    assert spec.skill_label in labels
    timeline = page.find_element(By.ID, "timeline").text
    assert spec.words["consent"] in timeline
    assert spec.words["created"] in timeline
    assert "candidate.created" not in page.page_source
    screenshot(page, f"{tag}-3-candidate")

    # The other organization's recruiter sees none of it.
    page.delete_all_cookies()
    log_in(page, live_server, w.outsider)
    for url in (
        reverse("admin:openings_runnerup_review", args=[w.runner_up.pk]),
        reverse("admin:openings_opening_matches", args=[opening.pk]),
        reverse("admin:candidates_candidate_overview", args=[w.people[0].pk]),
    ):
        page.get(live_server.url + url)
        assert spec.people[0] not in page.page_source
        assert spec.new_title not in page.page_source
    page.get(live_server.url + reverse("admin:openings_opening_changelist"))
    assert spec.new_title not in page.page_source
    screenshot(page, f"{tag}-4-other-organization")


def test_a_danish_recruiter_walks_the_three_journeys(
    page, live_server, organization, recruiter, other_recruiter
):
    journeys(page, live_server, DANISH, world(DANISH, organization, recruiter, other_recruiter))


def test_a_swedish_recruiter_walks_the_three_journeys(
    page, live_server, other_organization, recruiter, other_recruiter
):
    journeys(page, live_server, SWEDISH, world(SWEDISH, other_organization, other_recruiter, recruiter))
