from __future__ import annotations

import pytest
from django.urls import reverse

from talentpool.core.models import AuditEvent
from talentpool.messaging.content import stop_token, stop_url
from talentpool.messaging.models import Message, TouchpointPlan
from tests.factories import CandidateFactory, MessageFactory
from tests.messaging.conftest import in_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(kystlys):
    return in_pool(CandidateFactory(organization=kystlys, language="da"))


def stop_path(candidate) -> str:
    return reverse("keep-warm-stop", args=[stop_token(candidate.pk)])


def test_opening_the_stop_link_asks_first_and_changes_nothing(client, candidate):
    # when
    response = client.get(stop_path(candidate))
    head = client.head(stop_path(candidate))

    # then
    assert response.status_code == 200
    assert head.status_code == 200
    assert b'method="post"' in response.content
    assert "Kystlys A/S" in response.content.decode()
    assert not TouchpointPlan.objects.filter(candidate=candidate).exists()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_confirming_stops_keep_warm_mail_and_cancels_what_is_pending(client, candidate):
    # given
    pending = MessageFactory(
        candidate=candidate,
        organization=candidate.organization,
        kind=Message.Kind.CHECK_IN,
        status="SCHEDULED",
    )
    rejection = MessageFactory(candidate=candidate, organization=candidate.organization, status="SCHEDULED")

    # when
    response = client.post(stop_path(candidate))

    # then: off the page with the token, to one without it
    assert response.status_code == 302
    assert response["Location"] == reverse("keep-warm-stopped") + "?lang=da"
    plan = TouchpointPlan.objects.get(candidate=candidate)
    assert plan.opted_out_at is not None
    pending.refresh_from_db()
    rejection.refresh_from_db()
    assert pending.status == Message.Status.CANCELLED
    assert rejection.status == Message.Status.SCHEDULED  # An answer to an application still goes.
    assert AuditEvent.objects.filter(action="keep_warm.opted_out", actor_type="CANDIDATE").count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_a_mail_clients_one_click_unsubscribe_works_without_a_csrf_token(candidate):
    # given: RFC 8058, a POST with this body and no cookies
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(stop_path(candidate), {"List-Unsubscribe": "One-Click"})

    # then
    assert response.status_code == 200
    assert TouchpointPlan.objects.get(candidate=candidate).opted_out_at is not None


def test_a_tampered_stop_link_is_not_found(client, candidate):
    # given
    token = stop_token(candidate.pk)
    other = CandidateFactory(organization=candidate.organization)
    forged = token.replace(token.split(":")[0], stop_token(other.pk).split(":")[0])

    # when
    response = client.post(reverse("keep-warm-stop", args=[forged]))

    # then
    assert response.status_code == 404
    assert not TouchpointPlan.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [("da", "Linket virker ikke"), ("sv", "Länken fungerar inte"), ("en", "does not work")],
)
def test_a_damaged_stop_link_gets_a_friendly_page_in_the_browsers_language(
    client, candidate, settings, language, words
):
    # given: a link cut short when it was copied, on a site with DEBUG on
    settings.DEBUG = True
    damaged = stop_path(candidate)[:-12] + "/"

    # when
    response = client.get(damaged, HTTP_ACCEPT_LANGUAGE=language)

    # then
    assert response.status_code == 404
    assert words in response.content.decode()
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_stop_url_is_absolute_and_the_same_every_time(candidate):
    assert stop_url(candidate.pk).startswith("http")
    assert stop_url(candidate.pk) == stop_url(candidate.pk)
