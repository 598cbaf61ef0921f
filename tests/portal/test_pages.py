from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent, MagicLink
from talentpool.core.models import AuditEvent
from talentpool.messaging.models import FeedbackRequest
from talentpool.search.candidates import candidate_index
from talentpool.search.selectors import CandidateQuery, candidate_search
from tests.factories import CandidateFactory, ConsentTextFactory, RunnerUpFactory
from tests.links import link_for, open_link, signed_in, token_in

pytestmark = pytest.mark.django_db

PAGES = [
    "candidate-home",
    "candidate-consent",
    "candidate-profile",
    "candidate-cv",
    "candidate-feedback",
    "candidate-data",
]


def lang_of(response) -> str:
    match = re.search(r'<html lang="([a-z]+)">', response.content.decode())
    assert match, "the page has no lang attribute"
    return match.group(1)


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# Giving, renewing and withdrawing consent ----------------------------------------------------


def test_the_consent_page_shows_the_latest_text_version_in_the_candidates_language(
    client, candidate, organization
):
    # given
    ConsentTextFactory(organization=organization, language="da", version=1, title="Gammel tekst")
    ConsentTextFactory(organization=organization, language="da", version=2, title="Ny tekst")
    ConsentTextFactory(organization=organization, language="en", version=7, title="English text")
    _link, token = link_for(candidate)

    # when
    response = open_link(client, token)

    # then
    page = response.content.decode()
    assert lang_of(response) == "da"
    assert "Ny tekst" in page
    assert 'data-version="2"' in page
    assert "Gammel tekst" not in page
    assert "English text" not in page


def test_giving_consent_records_the_exact_text_version_shown(client, candidate, consent_text):
    # given
    _link, token = link_for(candidate)
    open_link(client, token)

    # when
    client.post(
        reverse("candidate-link-confirm"),
        {"intent": "consent", "text": consent_text.pk},
        HTTP_USER_AGENT="Mozilla/5.0 (Android)",
    )

    # then
    event = ConsentEvent.objects.get()
    assert (event.kind, event.text_id, event.channel) == ("GRANTED", consent_text.pk, "MAGIC_LINK")
    assert len(event.client_hash) == 40 or len(event.client_hash) == 64
    candidate.refresh_from_db()
    assert candidate.is_in_pool()
    assert AuditEvent.objects.filter(action="consent.granted", actor_type="CANDIDATE").exists()


def test_a_newer_text_published_while_the_page_was_open_records_the_version_the_candidate_read(
    client, candidate, consent_text, organization
):
    # given
    _link, token = link_for(candidate)
    open_link(client, token)
    ConsentTextFactory(organization=organization, language="da", version=4, title="Nyere")

    # when
    client.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk})

    # then
    assert ConsentEvent.objects.values_list("text__version", flat=True).get() == 3


def test_a_candidate_in_the_pool_renews_consent_from_a_consent_link(client, candidate, consent_text):
    # given
    signed_in(Client(), candidate)
    client_one = signed_in(Client(), candidate)
    client_one.post(reverse("candidate-consent"), {"action": "grant", "text": consent_text.pk})
    _link, token = link_for(candidate)
    page = open_link(client, token)

    # when
    client.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk})

    # then
    with translation.override("da"):
        assert gettext("Renew my consent") in page.content.decode()
    assert list(ConsentEvent.objects.order_by("created_at", "id").values_list("kind", flat=True)) == [
        "GRANTED",
        "RENEWED",
    ]


@pytest.mark.usefixtures("search_engine")
def test_withdrawing_consent_on_the_page_removes_the_candidate_from_search_at_once(
    client, candidate, consent_text, organization, django_capture_on_commit_callbacks
):
    # given
    signed_in(client, candidate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidate-consent"), {"action": "grant", "text": consent_text.pk})
    candidate_index.refresh()
    found = candidate_search(organization_id=organization.pk, query=CandidateQuery())
    assert [hit.candidate_id for hit in found.hits] == [candidate.pk]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidate-consent"), {"action": "withdraw"})

    # then
    assert response.status_code == 302
    candidate_index.refresh()
    assert candidate_search(organization_id=organization.pk, query=CandidateQuery()).total == 0
    assert candidate_index.client.count(index=candidate_index.read_alias)["count"] == 0
    candidate.refresh_from_db()
    assert not candidate.is_in_pool()


def test_a_consent_link_lets_a_candidate_in_the_pool_withdraw(client, candidate, consent_text):
    # given
    signed_in(Client(), candidate).post(
        reverse("candidate-consent"), {"action": "grant", "text": consent_text.pk}
    )
    _link, token = link_for(candidate)
    open_link(client, token)

    # when
    response = client.post(reverse("candidate-link-confirm"), {"intent": "withdraw"})

    # then
    assert response["Location"] == reverse("candidate-consent")
    assert ConsentEvent.objects.latest().kind == "WITHDRAWN"


def test_the_consent_page_says_when_no_text_is_published(client, candidate):
    # given
    _link, token = link_for(candidate)

    # when
    response = open_link(client, token)

    # then
    assert response.status_code == 200
    assert 'name="intent" value="consent"' not in response.content.decode()


# Signing in and the session ------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_the_candidates_pages_need_a_used_link(client, name):
    # when
    response = client.get(reverse(name))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate-new-link-ended")


@pytest.mark.parametrize("name", PAGES)
def test_every_candidate_page_renders_in_danish_with_landmarks_and_no_referrer_to_others(
    client, candidate, name
):
    # given
    signed_in(client, candidate)

    # when
    response = client.get(reverse(name))

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert lang_of(response) == "da"
    assert response["Content-Language"] == "da"
    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert "no-store" in response["Cache-Control"]
    for landmark in (
        'class="skip-link" href="#main"',
        '<main id="main"',
        'role="banner"',
        'role="contentinfo"',
    ):
        assert landmark in page


def test_a_session_ends_after_the_configured_minutes(client, candidate, settings):
    # given
    settings.CANDIDATE_SESSION_MINUTES = 30
    signed_in(client, candidate)

    # when
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get(reverse("candidate-profile"))

    # then
    assert response["Location"] == reverse("candidate-new-link-ended")


def test_signing_in_gives_the_browser_a_new_session_id(client, candidate):
    # given
    _link, token = link_for(candidate, MagicLink.Scope.PROFILE)
    open_link(client, token)
    before = client.session.session_key

    # when
    client.post(reverse("candidate-link-confirm"), {"intent": "sign_in"})

    # then
    assert client.session.session_key != before


def test_signing_out_ends_the_session(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    client.post(reverse("candidate-sign-out"))

    # then
    assert client.get(reverse("candidate-home")).status_code == 302


def test_the_language_switcher_changes_the_page_language(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(
        reverse("candidate-language"), {"language": "sv", "next": reverse("candidate-profile")}, follow=True
    )

    # then
    assert lang_of(response) == "sv"
    assert response.redirect_chain[-1][0] == reverse("candidate-profile")


def test_the_language_switcher_does_not_redirect_to_other_sites(client):
    # when
    response = client.post(reverse("candidate-language"), {"language": "en", "next": "https://evil.example/"})

    # then
    assert response["Location"] == reverse("candidate-home")


# Profile -------------------------------------------------------------------------------------


def test_updating_the_profile_goes_through_candidate_update(client, candidate):
    # given
    signed_in(client, candidate)
    candidate.latitude, candidate.longitude, candidate.location = 56.16, 10.20, "Aarhus"
    candidate.save()

    # when
    response = client.post(
        reverse("candidate-profile"),
        {
            "headline": "Projektleder i det offentlige",
            "skills": ["Project management"],
            "new_skill_1": "Scrum",
            "new_skill_2": "Videoredigering",
            "languages": ["da", "en"],
            "location": "Odense",
            "availability": "Fra 1. marts",
            "language": "en",
        },
    )

    # then
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.headline == "Projektleder i det offentlige"
    assert candidate.skills == ["Project management", "Scrum", "Videoredigering"]  # as typed
    assert candidate.languages == ["da", "en"]
    assert (candidate.location, candidate.latitude, candidate.longitude) == ("Odense", None, None)
    assert (candidate.availability, candidate.language) == ("Fra 1. marts", "en")
    event = AuditEvent.objects.get(action="candidate.updated")
    assert event.actor_type == "CANDIDATE"
    assert "skills" in event.changes


def test_the_profile_page_offers_skill_suggestions_in_the_page_language(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    page = client.get(reverse("candidate-profile")).content.decode()

    # then
    assert '<datalist id="skill-suggestions">' in page
    assert 'list="skill-suggestions"' in page
    assert '<option value="Projektledelse">' in page or "Projektled" in page


def test_every_profile_field_has_a_label(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    page = client.get(reverse("candidate-profile")).content.decode()

    # then
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page)
    assert ids
    for element_id in ids:
        if element_id in ("language-select",):
            continue
        assert f'for="{element_id}"' in page, element_id


def test_a_too_long_headline_is_refused_with_a_message(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-profile"), {"headline": "x" * 201, "language": "da"})

    # then
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


# Feedback requests ---------------------------------------------------------------------------


def test_a_feedback_link_asks_for_feedback_on_an_opening_the_candidate_was_runner_up_for(client, candidate):
    # given
    runner_up = RunnerUpFactory(candidate=candidate, organization=candidate.organization)
    _link, token = link_for(candidate, MagicLink.Scope.FEEDBACK_REQUEST)
    page = open_link(client, token)

    # when
    response = client.post(
        reverse("candidate-link-confirm"),
        {"intent": "feedback", "runner_up": runner_up.pk, "question": "Hvad manglede jeg?"},
    )

    # then
    assert runner_up.opening.title in page.content.decode()
    assert response["Location"] == reverse("candidate-feedback")
    request = FeedbackRequest.objects.get()
    assert (request.candidate_id, request.runner_up_id, request.question) == (
        candidate.pk,
        runner_up.pk,
        "Hvad manglede jeg?",
    )
    assert request.due_at > timezone.now()


def test_a_candidate_cannot_ask_for_feedback_on_someone_elses_application(client, candidate, organization):
    # given
    other = RunnerUpFactory(organization=organization)
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-feedback"), {"runner_up": other.pk})

    # then
    assert response.status_code == 400
    assert not FeedbackRequest.objects.exists()


def test_asking_for_feedback_twice_keeps_one_open_request(client, candidate):
    # given
    runner_up = RunnerUpFactory(candidate=candidate, organization=candidate.organization)
    signed_in(client, candidate)
    client.post(reverse("candidate-feedback"), {"runner_up": runner_up.pk})

    # when
    client.post(reverse("candidate-feedback"), {"runner_up": runner_up.pk})

    # then
    assert FeedbackRequest.objects.count() == 1


# Export and erasure --------------------------------------------------------------------------


def test_the_export_cannot_be_fetched_with_get(client, candidate):
    signed_in(client, candidate)
    assert client.get(reverse("candidate-data-export")).status_code == 405


def test_erasing_needs_the_confirmation_box(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-data-erase"), {})

    # then
    assert response.status_code == 400
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_erasing_on_the_page_erases_the_candidate_and_ends_the_session(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-data-erase"), {"confirm": "on"}, follow=True)

    # then
    assert response.redirect_chain[-1][0] == reverse("candidate-erased")
    assert lang_of(response) == "da"
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert client.get(reverse("candidate-home")).status_code == 302
    event = AuditEvent.objects.get(action="candidate.erased")
    assert (event.actor_type, event.context) == ("CANDIDATE", {"reason": "request"})


@pytest.mark.parametrize(
    "name", [*PAGES, "candidate-new-link", "candidate-link-unusable", "candidate-erased"]
)
def test_every_candidate_page_forbids_scripts_and_has_none_inline(client, candidate, name):
    # given
    signed_in(client, candidate)

    # when
    response = client.get(reverse(name))

    # then
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    page = response.content.decode().lower()
    assert "<script" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert " on" + "click=" not in page


def test_erasing_twice_shows_the_done_page_again(client, candidate):
    # given: the first click erased them
    signed_in(client, candidate)
    client.post(reverse("candidate-data-erase"), {"confirm": "on"})

    # when the second click arrives
    response = client.post(reverse("candidate-data-erase"), {"confirm": "on"}, follow=True)

    # then
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("candidate-erased")
    assert lang_of(response) == "da"


# New links by email --------------------------------------------------------------------------


def test_asking_for_a_new_link_answers_the_same_for_known_and_unknown_addresses(client, candidate):
    # when
    known = client.post(reverse("candidate-new-link"), {"email": candidate.email.upper()})
    unknown = Client().post(reverse("candidate-new-link"), {"email": "nobody@example.dk"})

    # then
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf(Client().get(known["Location"])) == without_csrf(Client().get(unknown["Location"]))


def test_a_new_link_is_emailed_to_a_known_address_and_works(
    client, candidate, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidate-new-link"), {"email": candidate.email})

    # then
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [candidate.email]
    token = token_in(email.body)
    assert open_link(Client(), token).status_code == 200
    assert MagicLink.objects.get().scope == MagicLink.Scope.PROFILE


def test_no_email_is_sent_for_an_unknown_address(client, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidate-new-link"), {"email": "nobody@example.dk"})

    # then
    assert mail.outbox == []
    assert not MagicLink.objects.exists()


def test_asking_for_new_links_too_often_is_refused_for_a_while(client, candidate):
    # given
    for _ in range(3):
        assert client.post(reverse("candidate-new-link"), {"email": candidate.email}).status_code == 302

    # when
    response = client.post(reverse("candidate-new-link"), {"email": candidate.email})

    # then
    assert response.status_code == 429
    assert 'id="too-many"' in response.content.decode()


def test_many_addresses_from_one_ip_address_are_refused_for_a_while(client):
    # given
    for number in range(20):
        client.post(reverse("candidate-new-link"), {"email": f"person{number}@example.dk"})

    # when
    response = client.post(reverse("candidate-new-link"), {"email": "one.more@example.dk"})

    # then
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_limit_and_cannot_choose_its_address(client, settings):
    # given: one reverse proxy in front; twenty requests from one client, each with a made-up
    # address of its own choosing in front of the one the proxy saw
    settings.TRUSTED_PROXIES = 1
    for number in range(20):
        forwarded = f"10.0.0.{number}, 203.0.113.7"
        client.post(
            reverse("candidate-new-link"),
            {"email": f"person{number}@example.dk"},
            HTTP_X_FORWARDED_FOR=forwarded,
            REMOTE_ADDR="172.18.0.2",
        )

    # when: the same client once more, and another client behind the same proxy
    same = client.post(
        reverse("candidate-new-link"),
        {"email": "one.more@example.dk"},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
        REMOTE_ADDR="172.18.0.2",
    )
    other = client.post(
        reverse("candidate-new-link"),
        {"email": "someone@example.dk"},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        REMOTE_ADDR="172.18.0.2",
    )

    # then
    assert same.status_code == 429
    assert other.status_code == 302


def test_a_candidate_in_two_organizations_gets_a_link_from_each(
    client, candidate, other_organization, django_capture_on_commit_callbacks
):
    # given
    CandidateFactory(organization=other_organization, email=candidate.email, language="sv")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidate-new-link"), {"email": candidate.email})

    # then
    assert len(mail.outbox) == 2
