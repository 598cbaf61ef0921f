"""Every log line written while a candidate and an integrator go through their flows, with every
logger at DEBUG, holds no token, email address, phone number or name."""

from __future__ import annotations

import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.consent.models import MagicLink
from talentpool.core.logging import JsonFormatter
from talentpool.core.models import ApiKey
from tests.api.conftest import client_for
from tests.cv_corpus import text_pdf
from tests.factories import ConsentTextFactory, OpeningFactory
from tests.links import link_for, open_link

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Oddveig",
    "last_name": "Quistgaard",
    "email": "oddveig.quistgaard@example.dk",
    "phone": "+4528374655",
}


def written(caplog: pytest.LogCaptureFixture) -> str:
    """The lines as our handler writes them (through the JSON formatter, extras included)."""
    formatter = JsonFormatter()
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_the_candidate_pages_and_the_api_log_nothing_that_names_the_person_or_opens_their_pages(
    organization, caplog, django_capture_on_commit_callbacks
):
    # given: every logger at DEBUG
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.server", "django.request", "celery", "talentpool", "api"):
        caplog.set_level(logging.DEBUG, logger=name)
    text = ConsentTextFactory(organization=organization, language="da")
    api = client_for(organization, scope=ApiKey.Scope.WRITE)
    browser = Client()
    tokens: list[str] = []

    with django_capture_on_commit_callbacks(execute=True):
        # when an integrator creates, changes, reads and searches the person, and asks for consent
        created = api.post("/api/v1/candidates/", {**PERSON, "language": "da"}, format="json")
        path = f"/api/v1/candidates/{created.json()['id']}/"
        api.patch(path, {"headline": "Lagerchef"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        api.get(path)
        api.get("/api/v1/candidates/", {"email": PERSON["email"]})
        api.post(f"{path}consent-requests/")
        OpeningFactory(organization=organization, title="Lagerchef")
        candidate = Candidate.objects.get(email=PERSON["email"])

        # ... and the person uses their links and pages
        _link, consent = link_for(candidate, MagicLink.Scope.CONSENT)
        _link, profile = link_for(candidate, MagicLink.Scope.PROFILE)
        tokens += [consent, profile]
        open_link(browser, consent)
        browser.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": str(text.pk)})
        open_link(browser, profile)
        browser.post(reverse("candidate-link-confirm"), {"intent": "sign_in"})
        browser.post(
            reverse("candidate-profile"),
            {"headline": "Lagerchef", "location": "Vejle", "new_skill_1": "Truckcertifikat"},
        )
        cv = text_pdf(["Oddveig Quistgaard", "Lagerchef i Vejle, truckcertifikat B"])
        browser.post(reverse("candidate-cv"), {"file": SimpleUploadedFile("cv.pdf", cv)})
        browser.post(reverse("candidate-new-link"), {"email": PERSON["email"]})
        browser.post(reverse("candidate-data-export"))
        browser.post(reverse("candidate-data-erase"), {"confirm": "on"})
        browser.get(reverse("candidate-link", args=[consent]))  # a used link opened again

    # then: something was logged, and none of it names the person or holds a token
    lines = written(caplog)
    assert caplog.records
    found = [
        value
        for value in [*tokens, *PERSON.values(), PERSON["phone"][3:]]
        if re.search(re.escape(value), lines, flags=re.IGNORECASE)
    ]
    assert found == []
    assert not Candidate.objects.filter(email=PERSON["email"]).exists()
