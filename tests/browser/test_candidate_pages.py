"""The consent and profile pages in a real browser, in Danish, with screenshots."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from talentpool.candidates.models import Candidate, CvFile
from talentpool.consent.links import magic_link_create, magic_link_url
from talentpool.consent.models import ConsentEvent, MagicLink
from tests.browser.conftest import screenshot
from tests.documents import executable_bytes, pdf_bytes
from tests.factories import CandidateFactory, ConsentTextFactory, RunnerUpFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_engine")]

CONSENT_TEXT = (
    "Vi gemmer din profil, dit CV og vores noter fra forløbet i 12 måneder, så vi kan kontakte dig "
    "om stillinger, der ligner den, du søgte.\n\nDu kan til enhver tid trække dit samtykke tilbage på "
    "denne side eller ved at svare på en af vores mails."
)


@pytest.fixture
def sofie(organization, settings, tmp_path) -> Candidate:
    settings.MEDIA_ROOT = tmp_path / "media"
    ConsentTextFactory(
        organization=organization,
        language="da",
        version=2,
        title="Bliv i Kystlys' talentpulje",
        body=CONSENT_TEXT,
    )
    candidate = CandidateFactory(
        organization=organization,
        first_name="Sofie",
        last_name="Kjærgaard",
        email="sofie@example.dk",
        language="da",
        headline="IT-projektleder",
        skills=["Project management", "PRINCE2"],
        languages=["da"],
        location="Aarhus",
    )
    RunnerUpFactory(organization=organization, candidate=candidate)
    return candidate


def visit_link(page, live_server, candidate: Candidate, scope: str) -> str:
    _link, token = magic_link_create(candidate=candidate, scope=scope)
    url = magic_link_url(token).replace("http://127.0.0.1:8000", live_server.url)
    page.get(url)
    return token


def by_id(page, element_id: str):
    from selenium.webdriver.common.by import By

    return page.find_element(By.ID, element_id)


def click_to(page, element_id: str, path: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    from selenium.webdriver.support.ui import WebDriverWait

    old = page.find_element("tag name", "html")
    by_id(page, element_id).click()
    WebDriverWait(page, 15).until(lambda driver: old != driver.find_element("tag name", "html"))
    WebDriverWait(page, 15).until(lambda driver: driver.current_url.split("?")[0].endswith(path))


def lang(page) -> str:
    return page.find_element("tag name", "html").get_attribute("lang")


def test_a_candidate_gives_consent_in_danish(page, live_server, sofie):
    # given: the link from the email
    token = visit_link(page, live_server, sofie, MagicLink.Scope.CONSENT)

    # then: the page shows the Danish text, version 2, and the token is gone from the address bar
    assert lang(page) == "da"
    assert token not in page.current_url
    text = by_id(page, "consent-text")
    assert text.get_attribute("data-version") == "2"
    assert "Bliv i Kystlys' talentpulje" in text.text
    screenshot(page, "consent-da")

    # when
    click_to(page, "give-consent", "/me/")

    # then
    assert page.current_url == live_server.url + "/me/"
    assert by_id(page, "pool-status").get_attribute("data-in-pool") == "yes"
    granted = ConsentEvent.objects.filter(candidate=sofie).values_list("kind", "text__version").get()
    assert granted == ("GRANTED", 2)
    screenshot(page, "consent-given-da")


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server, sofie):
    from selenium.webdriver.common.keys import Keys

    # given
    visit_link(page, live_server, sofie, MagicLink.Scope.CONSENT)

    # when
    page.find_element("tag name", "body").send_keys(Keys.TAB)

    # then
    active = page.switch_to.active_element
    assert active.get_attribute("class") == "skip-link"
    active.send_keys(Keys.ENTER)
    assert page.current_url.endswith("#main")


def test_a_candidate_updates_their_profile_in_danish(page, live_server, sofie):
    # given
    visit_link(page, live_server, sofie, MagicLink.Scope.PROFILE)
    assert lang(page) == "da"
    click_to(page, "continue", "/me/profile/")
    assert page.current_url == live_server.url + "/me/profile/"

    # when
    headline = by_id(page, "id_headline")
    headline.clear()
    headline.send_keys("Projektleder med speciale i digitalisering")
    by_id(page, "id_new_skill_1").send_keys("Scrum")
    english = page.find_element("css selector", '#spoken-languages input[value="en"]')
    english.click()
    availability = by_id(page, "id_availability")
    availability.send_keys("Fra 1. marts")
    screenshot(page, "profile-da")
    page.set_window_size(1280, 1000)
    click_to(page, "save-profile", "/me/profile/")

    # then
    assert page.find_element("css selector", ".messages .success")
    sofie.refresh_from_db()
    assert sofie.headline == "Projektleder med speciale i digitalisering"
    assert sofie.skills == ["Project management", "PRINCE2", "Scrum"]  # as typed
    assert sofie.languages == ["da", "en"]
    assert sofie.availability == "Fra 1. marts"


def test_the_profile_page_fits_a_phone_screen(page, live_server, sofie):
    # given
    visit_link(page, live_server, sofie, MagicLink.Scope.PROFILE)
    click_to(page, "continue", "/me/profile/")

    # when
    page.set_window_size(390, 844)

    # then: nothing is wider than the screen
    overflow = page.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(page, "profile-da-phone")


def test_a_candidate_uploads_a_cv_and_a_bad_file_gets_a_message(page, live_server, sofie, tmp_path):
    # given
    visit_link(page, live_server, sofie, MagicLink.Scope.PROFILE)
    click_to(page, "continue", "/me/profile/")
    page.get(live_server.url + "/me/cv/")
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(executable_bytes())
    good = tmp_path / "mit-cv.pdf"
    good.write_bytes(pdf_bytes(["Sofie Kjærgaard", "Projektleder"]))

    # when: a renamed program
    by_id(page, "id_cv").send_keys(str(bad))
    click_to(page, "upload-cv", "/me/cv/")

    # then
    with translation.override("da"):
        refused = gettext(
            "This file is a program, not a document. Upload your CV as a PDF or Word (.docx) file."
        )
    assert by_id(page, "cv-error").text == refused
    assert not CvFile.objects.exists()
    screenshot(page, "cv-refused-da")

    # when: a real PDF
    by_id(page, "id_cv").send_keys(str(good))
    click_to(page, "upload-cv", "/me/cv/")

    # then
    assert by_id(page, "current-cv")
    assert CvFile.objects.get(candidate=sofie).content_type == "application/pdf"


def test_the_language_switcher_shows_the_page_in_swedish(page, live_server, sofie):
    from selenium.webdriver.support.ui import Select

    # given
    visit_link(page, live_server, sofie, MagicLink.Scope.CONSENT)
    assert lang(page) == "da"

    # when
    Select(by_id(page, "language-select")).select_by_value("sv")
    click_to(page, "language-submit", "/me/link/")

    # then
    assert lang(page) == "sv"
    assert by_id(page, "give-consent")
