"""update_rows: many rows, each with its own values, in one UPDATE."""

from __future__ import annotations

import datetime as dt

import pytest

from talentpool.core.writes import update_rows
from talentpool.messaging.models import Message
from tests.factories import CandidateFactory, MessageFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def messages(organization, count: int, **fields) -> list[Message]:
    return [
        MessageFactory(
            organization=organization,
            candidate=CandidateFactory(organization=organization, email=f"person{n}@example.dk"),
            **fields,
        )
        for n in range(count)
    ]


def test_each_row_gets_its_own_values_and_all_get_the_common_ones(organization):
    # given
    first, second, untouched = messages(organization, 3, status=Message.Status.SENDING)

    # when
    changed = update_rows(
        Message,
        match=["id"],
        rows=[(first.pk, "<a@x>"), (second.pk, "<b@x>")],
        fields=["provider_id"],
        values={"status": Message.Status.SENT, "sent_at": NOW},
    )

    # then
    assert changed == 2
    rows = {m.pk: (m.status, m.provider_id, m.sent_at) for m in Message.objects.all()}
    assert rows[first.pk] == (Message.Status.SENT, "<a@x>", NOW)
    assert rows[second.pk] == (Message.Status.SENT, "<b@x>", NOW)
    assert rows[untouched.pk] == (Message.Status.SENDING, "", None)


def test_a_row_matches_only_with_every_key_and_condition(organization):
    # given: the second was claimed again since (attempt 2); the third was released
    first, second, third = messages(organization, 3, status=Message.Status.SENDING, attempts=1)
    Message.objects.filter(pk=second.pk).update(attempts=2)
    Message.objects.filter(pk=third.pk).update(status=Message.Status.SCHEDULED)

    # when
    changed = update_rows(
        Message,
        match=["id", "attempts"],
        rows=[(m.pk, 1) for m in (first, second, third)],
        values={"handed_over_at": NOW},
        where={"status": Message.Status.SENDING},
    )

    # then
    assert changed == 1
    marked = set(Message.objects.filter(handed_over_at=NOW).values_list("pk", flat=True))
    assert marked == {first.pk}


def test_no_rows_change_nothing(organization):
    assert update_rows(Message, match=["id"], rows=[], values={"handed_over_at": NOW}) == 0
