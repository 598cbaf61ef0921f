from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from talentpool.consent.models import AppendOnlyError, ConsentEvent
from tests.factories import CandidateFactory, ConsentEventFactory

pytestmark = pytest.mark.django_db


def test_saving_an_existing_consent_event_raises():
    # given
    event = ConsentEventFactory.create()
    event.channel = ConsentEvent.Channel.ADMIN

    # when / then
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_a_consent_event_raises():
    # given
    event = ConsentEventFactory.create()

    # when / then
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert ConsentEvent.objects.filter(pk=event.pk).exists()


def test_updating_consent_events_through_a_queryset_raises():
    # given
    event = ConsentEventFactory.create()

    # when / then
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(kind=ConsentEvent.Kind.WITHDRAWN)


def test_deleting_consent_events_through_a_queryset_raises():
    # given
    event = ConsentEventFactory.create()

    # when / then
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).delete()
    assert ConsentEvent.objects.filter(pk=event.pk).exists()


def test_a_granted_event_without_text_and_expiry_is_refused_by_the_database():
    # given
    candidate = CandidateFactory.create()

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentEvent.objects.create(
            organization=candidate.organization,
            candidate=candidate,
            kind=ConsentEvent.Kind.GRANTED,
            channel=ConsentEvent.Channel.MAGIC_LINK,
        )


def test_erasing_a_candidate_removes_their_consent_events():
    # given
    event = ConsentEventFactory.create()
    other = ConsentEventFactory.create()

    # when
    event.candidate.delete()

    # then
    assert list(ConsentEvent.objects.values_list("pk", flat=True)) == [other.pk]
