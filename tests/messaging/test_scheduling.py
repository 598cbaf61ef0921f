from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from talentpool.core.models import Organization
from talentpool.messaging.scheduling import (
    WINDOW_MINUTES,
    is_holiday,
    is_quiet,
    is_send_time,
    next_send_time,
    spread_minutes,
)
from tests.messaging.conftest import COPENHAGEN


def org(**fields: Any) -> Organization:
    return Organization(
        country=fields.get("country", "DK"),
        time_zone=fields.get("time_zone", "Europe/Copenhagen"),
        quiet_hours_start=fields.get("start", dt.time(19, 0)),
        quiet_hours_end=fields.get("end", dt.time(8, 0)),
    )


def local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("earliest", "expected"),
    [
        (local(2026, 3, 10, 10, 0), local(2026, 3, 10, 10, 0)),  # Tuesday morning: now
        (local(2026, 3, 10, 3, 0), local(2026, 3, 10, 9, 0)),  # Tuesday night: at 09:00
        (local(2026, 3, 10, 8, 30), local(2026, 3, 10, 9, 0)),  # before the window opens
        (local(2026, 3, 10, 19, 0), local(2026, 3, 11, 9, 0)),  # Tuesday evening: Wednesday 09:00
        (local(2026, 3, 13, 20, 30), local(2026, 3, 16, 9, 0)),  # Friday evening: Monday 09:00
        (local(2026, 3, 14, 12, 0), local(2026, 3, 16, 9, 0)),  # Saturday noon: Monday 09:00
        (local(2026, 3, 15, 23, 59), local(2026, 3, 16, 9, 0)),  # Sunday night: Monday 09:00
        (local(2026, 3, 16, 18, 59), local(2026, 3, 16, 18, 59)),
    ],
)
def test_messages_go_out_on_working_days_from_nine_outside_quiet_hours(earliest, expected):
    assert next_send_time(earliest=earliest, organization=org()) == expected


def test_the_time_zone_of_the_organization_decides_not_the_servers():
    # given: 07:30 UTC is 08:30 in Copenhagen (before the window) but 09:30 in Helsinki
    moment = dt.datetime(2026, 3, 10, 7, 30, tzinfo=dt.UTC)

    # then
    assert not is_send_time(moment, organization=org())
    assert is_send_time(moment, organization=org(time_zone="Europe/Helsinki"))


def test_quiet_hours_end_at_local_time_across_a_daylight_saving_change():
    # given: summer time starts in Copenhagen on Sunday 29 March 2026
    saturday_night = local(2026, 3, 28, 23, 0)

    # when
    when = next_send_time(earliest=saturday_night, organization=org())

    # then: Monday 09:00 summer time is 07:00 UTC
    assert when == dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)


def test_quiet_hours_within_one_day_are_respected():
    # given: quiet over lunch only
    lunch = org(start=dt.time(12, 0), end=dt.time(13, 0))

    # then
    assert next_send_time(earliest=local(2026, 3, 10, 12, 30), organization=lunch) == local(
        2026, 3, 10, 13, 0
    )
    assert next_send_time(earliest=local(2026, 3, 10, 20, 0), organization=lunch) == local(2026, 3, 10, 20, 0)


def test_equal_start_and_end_mean_no_quiet_hours():
    assert not is_quiet(dt.time(3, 0), start=dt.time(8, 0), end=dt.time(8, 0))


def test_an_unknown_time_zone_falls_back_to_utc():
    # given
    broken = org(time_zone="Mars/Olympus")
    tuesday_noon_utc = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

    # then
    assert next_send_time(earliest=tuesday_noon_utc, organization=broken) == tuesday_noon_utc


@pytest.mark.parametrize(
    ("earliest", "expected"),
    [
        # Christmas Eve, Christmas Day and Boxing Day 2026 (Thursday to Saturday): Monday the 28th
        (local(2026, 12, 23, 20, 0), local(2026, 12, 28, 9, 0)),
        (local(2026, 12, 24, 10, 0), local(2026, 12, 28, 9, 0)),
        # Easter 2026: Maundy Thursday to Easter Monday are Danish holidays
        (local(2026, 4, 2, 10, 0), local(2026, 4, 7, 9, 0)),
        # New Year's Eve and Day
        (local(2026, 12, 31, 10, 0), local(2027, 1, 4, 9, 0)),
    ],
)
def test_nothing_goes_out_on_the_organizations_public_holidays_or_christmas_eve(earliest, expected):
    assert next_send_time(earliest=earliest, organization=org()) == expected


def test_holidays_are_those_of_the_organizations_country():
    # given: Sweden's National Day (6 June) is a Saturday in 2026; Midsummer Eve, Friday 19 June,
    # is a day off in Sweden but not in Denmark
    midsummer_eve = local(2026, 6, 19, 10, 0)

    # then
    assert next_send_time(earliest=midsummer_eve, organization=org()) == midsummer_eve
    assert next_send_time(earliest=midsummer_eve, organization=org(country="SE")) == local(2026, 6, 22, 9, 0)


def test_christmas_eve_is_a_day_off_even_where_the_calendar_does_not_say_so():
    assert is_holiday(dt.date(2026, 12, 24), country="GB")
    assert not is_holiday(dt.date(2026, 12, 23), country="GB")


def test_a_batch_decided_on_a_weekend_is_spread_over_mondays_morning_window():
    # given: forty messages decided on Saturday
    saturday = local(2026, 3, 14, 12, 0)

    # when
    times = [next_send_time(earliest=saturday, organization=org(), spread_key=key) for key in range(1, 41)]

    # then: all on Monday between 09:00 and 11:30, not at one minute, the same each time
    monday_nine = local(2026, 3, 16, 9, 0)
    assert all(monday_nine <= when <= monday_nine + dt.timedelta(minutes=WINDOW_MINUTES) for when in times)
    assert len(set(times)) >= 30
    assert times == [
        next_send_time(earliest=saturday, organization=org(), spread_key=key) for key in range(1, 41)
    ]


def test_a_message_approved_during_working_hours_is_not_held_back_by_spreading():
    tuesday_afternoon = local(2026, 3, 10, 14, 5)

    assert (
        next_send_time(earliest=tuesday_afternoon, organization=org(), spread_key=12345) == tuesday_afternoon
    )


def test_spreading_stays_within_the_window():
    assert {spread_minutes(key) for key in range(2000)} <= set(range(WINDOW_MINUTES + 1))
    assert spread_minutes(None) == 0


def test_a_feedback_request_is_due_in_working_days_that_skip_public_holidays():
    from talentpool.messaging.feedback_requests import working_days_after

    # given: asked on Tuesday 31 March 2026; Maundy Thursday to Easter Monday are Danish holidays
    asked = local(2026, 3, 31, 10, 0)

    # when
    due = working_days_after(asked, 5, organization=org())

    # then: Wednesday 1, Tuesday 7, Wednesday 8, Thursday 9, Friday 10 April
    assert due.astimezone(COPENHAGEN).date() == dt.date(2026, 4, 10)
