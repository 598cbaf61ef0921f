"""The recruiter's workspace in a real browser: dashboard, pool search, candidate page, approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.messaging.models import Message
from talentpool.search.candidates import candidate_index, candidate_index_sync
from tests.browser.conftest import screenshot
from tests.factories import CandidateFactory, ConsentEventFactory, MessageFactory, RunnerUpFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_engine")]
PASSWORD = "kystlys-demo-2026"


@pytest.fixture
def sofie(organization) -> Candidate:
    candidate = CandidateFactory(
        organization=organization,
        first_name="Sofie",
        last_name="Kjærgaard",
        email="sofie@example.dk",
        headline="IT-projektleder",
        location="Aarhus",
        consent_expires_at=timezone.now() + dt.timedelta(days=20),
    )
    ConsentEventFactory(candidate=candidate, expires_at=candidate.consent_expires_at)
    RunnerUpFactory(opening__organization=organization, opening__title="Projektleder", candidate=candidate)
    MessageFactory(candidate=candidate, subject="Tak for din ansøgning, Sofie")
    candidate_index_sync(candidate_ids=[candidate.pk])
    candidate_index.refresh()
    return candidate


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, live_server, user: User) -> None:
    from selenium.webdriver.common.by import By

    page.get(live_server.url + reverse("admin:login"))
    page.find_element(By.ID, "id_username").send_keys(user.username)
    page.find_element(By.ID, "id_password").send_keys(PASSWORD)
    page.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for(page, lambda driver: driver.current_url.rstrip("/").endswith("/admin"))


def wait_for(page, condition) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(page, 15).until(condition)


def test_a_recruiter_works_from_dashboard_to_an_approved_message(page, live_server, recruiter, sofie):
    from selenium.webdriver.common.by import By

    # given
    log_in(page, live_server, with_password(recruiter))
    # when: the dashboard, from the admin index
    page.find_element(By.CSS_SELECTOR, "#dashboard-link a").click()
    wait_for(page, lambda driver: driver.current_url.endswith(reverse("admin_dashboard")))
    # then
    assert page.find_element(By.ID, "dashboard-organization").text == "Kystlys A/S"
    assert page.find_element(By.ID, "expiring-count").text == "1"
    assert page.find_elements(By.CSS_SELECTOR, "svg.tp-chart rect")
    screenshot(page, "workspace-dashboard")

    # when: search the pool
    page.get(live_server.url + reverse("admin:candidates_candidate_search") + "?q=Kjærgaard")
    results = page.find_elements(By.PARTIAL_LINK_TEXT, "Sofie Kjærgaard")
    assert results
    screenshot(page, "workspace-search")
    # when: open the candidate page from the results
    results[0].click()
    wait_for(page, lambda driver: driver.current_url.endswith("/overview/"))
    assert "Projektleder" in page.page_source
    assert page.find_element(By.ID, "consent-badge").get_attribute("class").endswith("expiring")
    screenshot(page, "workspace-candidate")

    # when: approve the draft
    page.find_element(By.CSS_SELECTOR, "input.tp-approve").click()
    wait_for(page, lambda driver: driver.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"))
    # then
    message = Message.objects.get(candidate=sofie)
    assert message.status != Message.Status.DRAFT
    assert message.approved_by_id == recruiter.pk
    assert not page.find_elements(By.CSS_SELECTOR, "input.tp-approve")
    screenshot(page, "workspace-candidate-approved")


def test_a_recruiter_of_another_organization_sees_none_of_it(page, live_server, other_recruiter, sofie):
    from selenium.webdriver.common.by import By

    # given
    log_in(page, live_server, with_password(other_recruiter))
    # when
    page.get(live_server.url + reverse("admin:candidates_candidate_overview", args=[sofie.pk]))
    # then
    assert "Kjærgaard" not in page.page_source
    page.get(live_server.url + reverse("admin_dashboard"))
    assert page.find_element(By.ID, "dashboard-organization").text == "Fjällbo Bygg AB"
    assert page.find_element(By.ID, "expiring-count").text == "0"
    assert "Kjærgaard" not in page.page_source
    page.get(live_server.url + reverse("admin:candidates_candidate_search") + "?q=Kjærgaard")
    assert (
        "Kjærgaard"
        not in page.page_source.replace("Kj%C3%A6rgaard", "").split('name="q"')[-1].split(">", 1)[-1]
    )
    screenshot(page, "workspace-other-organization")
