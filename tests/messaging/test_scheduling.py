from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from talentpool.core.models import Organization
from talentpool.messaging.scheduling import is_quiet, is_send_time, next_send_time
from tests.messaging.conftest import COPENHAGEN


def org(**fields: Any) -> Organization:
    return Organization(
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
        (local(2026, 3, 10, 3, 0), local(2026, 3, 10, 8, 0)),  # Tuesday night: at 08:00
        (local(2026, 3, 10, 19, 0), local(2026, 3, 11, 8, 0)),  # Tuesday evening: Wednesday 08:00
        (local(2026, 3, 13, 20, 30), local(2026, 3, 16, 8, 0)),  # Friday evening: Monday 08:00
        (local(2026, 3, 14, 12, 0), local(2026, 3, 16, 8, 0)),  # Saturday noon: Monday 08:00
        (local(2026, 3, 15, 23, 59), local(2026, 3, 16, 8, 0)),  # Sunday night: Monday 08:00
        (local(2026, 3, 16, 7, 59), local(2026, 3, 16, 8, 0)),
        (local(2026, 3, 16, 18, 59), local(2026, 3, 16, 18, 59)),
    ],
)
def test_messages_go_out_on_weekdays_outside_quiet_hours(earliest, expected):
    assert next_send_time(earliest=earliest, organization=org()) == expected


def test_the_time_zone_of_the_organization_decides_not_the_servers():
    # given: 06:30 UTC is 07:30 in Copenhagen (quiet) but 08:30 in Helsinki (not quiet)
    moment = dt.datetime(2026, 3, 10, 6, 30, tzinfo=dt.UTC)

    # then
    assert not is_send_time(moment, organization=org())
    assert is_send_time(moment, organization=org(time_zone="Europe/Helsinki"))


def test_quiet_hours_end_at_local_time_across_a_daylight_saving_change():
    # given: summer time starts in Copenhagen on Sunday 29 March 2026
    saturday_night = local(2026, 3, 28, 23, 0)

    # when
    when = next_send_time(earliest=saturday_night, organization=org())

    # then: Monday 08:00 summer time is 06:00 UTC
    assert when == dt.datetime(2026, 3, 30, 6, 0, tzinfo=dt.UTC)


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
