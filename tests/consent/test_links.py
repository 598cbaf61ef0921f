from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpool.consent import links
from talentpool.consent.links import LinkError, magic_link_consume, magic_link_create, token_hash
from talentpool.consent.models import ConsentEvent, MagicLink
from talentpool.core.models import AuditEvent
from talentpool.portal.pages import PENDING_LINK_KEY
from tests.factories import CandidateFactory, ConsentTextFactory, OrganizationFactory
from tests.links import link_for, open_link

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash(candidate):
    # when
    link, token = link_for(candidate)

    # then
    stored = MagicLink.objects.values().get(pk=link.pk)
    assert token not in str(stored)
    assert stored["token_hash"] == token_hash(token)
    assert len(token) >= 40


def test_two_links_never_share_a_token(candidate):
    tokens = {link_for(candidate)[1] for _ in range(50)}
    assert len(tokens) == 50


def test_a_link_expires_after_the_configured_days(candidate, settings):
    # given
    settings.MAGIC_LINK_DAYS = 3
    now = timezone.now()

    # when
    link, _token = link_for(candidate, now=now)

    # then
    assert link.expires_at == now + dt.timedelta(days=3)


def test_opening_a_link_with_get_uses_nothing_and_records_nothing(client, candidate, consent_text):
    # given
    link, token = link_for(candidate)

    # when
    response = open_link(client, token)

    # then
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.used_at is None
    assert not ConsentEvent.objects.exists()
    assert not AuditEvent.objects.exists()


def test_opening_a_link_with_head_uses_nothing(client, candidate, consent_text):
    # given
    link, token = link_for(candidate)

    # when
    first = client.head(reverse("candidate-link", args=[token]))
    second = client.head(first["Location"])

    # then
    assert (first.status_code, second.status_code) == (302, 200)
    link.refresh_from_db()
    assert link.used_at is None
    assert not ConsentEvent.objects.exists()


def test_an_email_scanner_opening_a_link_leaves_it_usable_for_the_candidate(client, candidate, consent_text):
    # given: a scanner opens the link first, in its own session
    _link, token = link_for(candidate)
    open_link(Client(), token)

    # when
    open_link(client, token)
    response = client.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk})

    # then
    assert response.status_code == 302
    assert ConsentEvent.objects.get().kind == ConsentEvent.Kind.GRANTED


def test_the_token_url_redirects_to_a_url_without_the_token_and_sends_no_referrer(client, candidate):
    # given
    _link, token = link_for(candidate)

    # when
    response = client.get(reverse("candidate-link", args=[token]))

    # then
    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_after_use_the_browser_is_sent_to_a_page_without_the_token(client, candidate, consent_text):
    # given
    _link, token = link_for(candidate)
    open_link(client, token)

    # when
    response = client.post(
        reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk}, follow=True
    )

    # then
    assert [url for url, _status in response.redirect_chain] == [reverse("candidate-home")]
    assert token not in response.content.decode()
    assert response.status_code == 200


def test_a_tampered_token_is_refused(client, candidate):
    # given
    link, token = link_for(candidate)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    # when
    response = client.get(reverse("candidate-link", args=[tampered]), follow=True)

    # then
    assert response.status_code == 404
    assert 'data-reason="unknown"' in response.content.decode()
    assert PENDING_LINK_KEY not in client.session
    link.refresh_from_db()
    assert link.used_at is None


def test_an_expired_token_is_refused(client, candidate):
    # given
    _link, token = link_for(candidate, now=timezone.now() - dt.timedelta(days=15))

    # when
    response = client.get(reverse("candidate-link", args=[token]), follow=True)

    # then
    assert response.status_code == 410
    assert 'data-reason="expired"' in response.content.decode()


def test_a_link_that_expires_while_its_page_is_open_cannot_be_used(client, candidate, consent_text):
    # given
    link, token = link_for(candidate, valid_days=1)
    open_link(client, token)

    # when
    with time_machine.travel(link.expires_at + dt.timedelta(seconds=1)):
        response = client.post(
            reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk}, follow=True
        )

    # then
    assert response.status_code == 410
    assert not ConsentEvent.objects.exists()


def test_a_used_token_is_refused(client, candidate, consent_text):
    # given
    _link, token = link_for(candidate)
    open_link(client, token)
    client.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk})

    # when
    response = Client().get(reverse("candidate-link", args=[token]), follow=True)

    # then
    assert response.status_code == 410
    assert 'data-reason="used"' in response.content.decode()


def test_a_profile_link_cannot_give_consent(client, candidate, consent_text):
    # given
    link, token = link_for(candidate, MagicLink.Scope.PROFILE)
    open_link(client, token)

    # when
    response = client.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk})

    # then
    assert response.status_code == 400
    assert not ConsentEvent.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_consuming_a_link_for_the_wrong_scope_raises(candidate):
    # given
    _link, token = link_for(candidate, MagicLink.Scope.FEEDBACK_REQUEST)

    # when / then
    with pytest.raises(LinkError) as error:
        magic_link_consume(token=token, scope=MagicLink.Scope.CONSENT)
    assert error.value.reason == "wrong_scope"


def test_a_single_use_link_is_redeemed_once_when_used_twice(candidate):
    # given
    _link, token = link_for(candidate)
    magic_link_consume(token=token, scope=MagicLink.Scope.CONSENT)

    # when / then
    with pytest.raises(LinkError) as error:
        magic_link_consume(token=token, scope=MagicLink.Scope.CONSENT)
    assert error.value.reason == "used"


def test_a_request_that_read_the_link_before_another_used_it_cannot_use_it_again(candidate, monkeypatch):
    # given: two requests read the unused link; the first uses it
    link, token = link_for(candidate)
    stale = MagicLink.objects.get(pk=link.pk)
    magic_link_consume(token=token)
    monkeypatch.setattr(links, "magic_link_find", lambda **kwargs: stale)

    # when / then: the second still holds its unused copy, and the conditional update refuses it
    assert stale.used_at is None
    with pytest.raises(LinkError) as error:
        magic_link_consume(token=token)
    assert error.value.reason == "used"


def test_posting_to_a_link_page_without_a_csrf_token_is_refused(candidate, consent_text):
    # given
    browser = Client(enforce_csrf_checks=True)
    _link, token = link_for(candidate)
    open_link(browser, token)

    # when
    response = browser.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": consent_text.pk})

    # then
    assert response.status_code == 403
    assert not ConsentEvent.objects.exists()


def test_a_link_of_another_organization_cannot_use_its_consent_text(client, candidate):
    # given
    foreign_text = ConsentTextFactory(organization=OrganizationFactory(slug="elsewhere"), language="da")
    link, token = link_for(candidate)
    open_link(client, token)

    # when
    response = client.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": foreign_text.pk})

    # then
    assert response.status_code == 400
    assert not ConsentEvent.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_single_use_link_posted_twice_at_the_same_moment_is_redeemed_once(organization):
    # given: two browsers that both opened the same consent link
    candidate = CandidateFactory(organization=organization, language="da")
    text = ConsentTextFactory(organization=organization, language="da")
    link, token = magic_link_create(candidate=candidate, scope=MagicLink.Scope.CONSENT)
    browsers = [Client(), Client()]
    for browser in browsers:
        open_link(browser, token)
    barrier = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def post(browser: Client) -> None:
        try:
            barrier.wait(timeout=10)
            response = browser.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": text.pk})
            statuses.append(response.status_code)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=post, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert len(statuses) == 2
    assert ConsentEvent.objects.filter(candidate=candidate).count() == 1
    link.refresh_from_db()
    assert link.used_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_consuming_one_token_at_once_succeed_once(organization):
    # given
    candidate = CandidateFactory(organization=organization)
    _link, token = magic_link_create(candidate=candidate, scope=MagicLink.Scope.CONSENT)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def consume() -> None:
        try:
            barrier.wait(timeout=10)
            magic_link_consume(token=token, scope=MagicLink.Scope.CONSENT)
            outcomes.append("used it")
        except LinkError as error:
            outcomes.append(error.reason)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=consume) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert sorted(outcomes) == ["used", "used", "used", "used", "used", "used", "used", "used it"]
