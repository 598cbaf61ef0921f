from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from talentpool.consent.models import MagicLink
from talentpool.consent.selectors import consent_state, consent_text_current
from talentpool.consent.services import consent_expire, consent_grant, consent_withdraw
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.messaging.link_emails import consent_request_send
from tests.factories import ConsentTextFactory
from tests.links import open_link, token_in
from tests.messaging.conftest import TUESDAY_10

pytestmark = pytest.mark.django_db


def test_pool_membership_follows_the_latest_event_and_its_expiry(candidate, consent_text):
    # given
    now = timezone.now()
    consent_grant(candidate=candidate, text=consent_text, actor=Actor.candidate(), now=now)

    # then
    assert consent_state(candidate=candidate, now=now).in_pool
    assert not consent_state(candidate=candidate, now=now + dt.timedelta(days=366)).in_pool
    consent_withdraw(candidate=candidate, actor=Actor.candidate())
    state = consent_state(candidate=candidate)
    assert (state.in_pool, state.latest and state.latest.kind) == (False, "WITHDRAWN")
    assert state.in_pool == candidate.is_in_pool()


def test_expiring_consent_that_has_not_run_out_changes_nothing(candidate, consent_text):
    # given
    consent_grant(candidate=candidate, text=consent_text, actor=Actor.candidate())

    # when / then
    assert consent_expire(candidate=candidate) is None
    assert candidate.is_in_pool()


def test_the_consent_text_falls_back_to_the_organizations_language(organization):
    # given: the organization speaks Danish and has no Swedish text
    ConsentTextFactory(organization=organization, language="da", version=2, title="Dansk")
    ConsentTextFactory(organization=organization, language="en", version=5, title="English")

    # when / then
    swedish = consent_text_current(organization_id=organization.pk, language="sv")
    english = consent_text_current(organization_id=organization.pk, language="en")
    assert (swedish and swedish.title, english and english.title) == ("Dansk", "English")


@pytest.mark.clock(TUESDAY_10)
def test_a_consent_request_emails_a_working_consent_link(
    candidate, consent_text, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        link = consent_request_send(candidate=candidate, actor=Actor.system())

    # then
    assert link.scope == MagicLink.Scope.CONSENT
    email = mail.outbox[0]
    assert email.to == [candidate.email]
    assert getattr(email, "alternatives", None)
    assert "Kystlys" in email.body
    token = token_in(email.body)
    page = open_link(Client(), token)
    assert 'name="intent" value="consent"' in page.content.decode()
    assert AuditEvent.objects.filter(action="consent.requested").exists()


@pytest.mark.clock(TUESDAY_10)
def test_the_link_email_comes_from_the_organizations_sender(
    candidate, organization, consent_text, django_capture_on_commit_callbacks
):
    # given
    organization.sender_name, organization.sender_email = "Mette Holm", "mette@kystlys.example"
    organization.save()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        consent_request_send(candidate=candidate, actor=Actor.system())

    # then
    email = mail.outbox[0]
    assert email.from_email == '"Mette Holm, Kystlys A/S" <mette@kystlys.example>'
    assert email.reply_to == ["mette@kystlys.example"]


def test_a_consent_request_is_refused_while_the_organization_has_no_consent_text(candidate):
    # when / then
    with pytest.raises(ValidationError):
        consent_request_send(candidate=candidate, actor=Actor.system())
    assert not MagicLink.objects.exists()
    assert mail.outbox == []
