"""Humane sending times: on working days only, never in the organization's quiet hours.

A working day is a weekday that is not a public holiday in the organization's country (from the
maintained ``holidays`` package, not a list of our own) and not Christmas Eve. Mail that cannot go
at once waits for the next working day's morning window, which opens at 09:00 local time; a batch
is spread over the window (by a key such as the message's id), so thirty rejections approved on a
Friday evening do not all land in inboxes at 09:00 sharp on Monday.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from talentpool.core.models import Organization

SATURDAY = 5
WINDOW_OPENS = dt.time(9, 0)
WINDOW_MINUTES = 150  # 09:00 to 11:30
# The holiday categories that mean a day off where the package knows them (Denmark's and
# Sweden's Christmas Eve and New Year's Eve are "optional" and "de facto" days there).
DAY_OFF_CATEGORIES = ("public", "optional", "de_facto")


def organization_zone(organization: Organization) -> ZoneInfo:
    try:
        return ZoneInfo(organization.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@functools.lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    try:
        calendar = holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:  # A country the package does not know: weekends only.
        return frozenset()
    categories = [c for c in DAY_OFF_CATEGORIES if c in calendar.supported_categories]
    calendar = holidays.country_holidays(country.upper(), years=year, categories=categories)
    return frozenset(calendar.keys())


def is_holiday(day: dt.date, *, country: str) -> bool:
    """A public holiday in ``country``, or Christmas Eve (nobody wants a rejection then)."""
    return (day.month, day.day) == (12, 24) or day in _holidays(country or "DK", day.year)


def is_working_day(day: dt.date, *, organization: Organization) -> bool:
    return day.weekday() < SATURDAY and not is_holiday(day, country=organization.country)


def is_quiet(moment: dt.time, *, start: dt.time, end: dt.time) -> bool:
    """Whether a local time of day is inside quiet hours; equal start and end mean none."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # Quiet hours across midnight (19:00 to 08:00).


def spread_minutes(key: int | None) -> int:
    """A fixed place in the morning window for ``key``: the same key always gets the same minute."""
    if key is None:
        return 0
    return (key * 37) % (WINDOW_MINUTES + 1)


def _window_opens(day: dt.date, *, organization: Organization, zone: ZoneInfo) -> dt.datetime:
    start, end = organization.quiet_hours_start, organization.quiet_hours_end
    opens = WINDOW_OPENS
    if start > end and end > opens:  # Quiet until later than 09:00: the window opens then.
        opens = end
    return dt.datetime.combine(day, opens, tzinfo=zone)


def next_send_time(
    *, earliest: dt.datetime, organization: Organization, spread_key: int | None = None
) -> dt.datetime:
    """The first humane moment at or after ``earliest``.

    During a working day's sending hours that is ``earliest`` itself; otherwise the next working
    day's morning window, at the minute ``spread_key`` (a message or candidate id) is given in it.
    """
    zone = organization_zone(organization)
    start, end = organization.quiet_hours_start, organization.quiet_hours_end
    local = earliest.astimezone(zone)
    for _ in range(40):
        day = local.date()
        opens = _window_opens(day, organization=organization, zone=zone)
        if not is_working_day(day, organization=organization):
            local = _window_opens(day + dt.timedelta(days=1), organization=organization, zone=zone)
            local += dt.timedelta(minutes=spread_minutes(spread_key))
            continue
        if local < opens:
            local = opens + dt.timedelta(minutes=spread_minutes(spread_key))
            continue
        if is_quiet(local.time(), start=start, end=end):
            if start > end:  # Evening: the next working day's window.
                local = _window_opens(day + dt.timedelta(days=1), organization=organization, zone=zone)
                local += dt.timedelta(minutes=spread_minutes(spread_key))
            else:  # Quiet hours within the day (over lunch): when they end.
                local = dt.datetime.combine(day, end, tzinfo=zone)
            continue
        return local.astimezone(dt.UTC)
    raise AssertionError("no sending time found within forty days")  # pragma: no cover


def is_send_time(moment: dt.datetime, *, organization: Organization) -> bool:
    return next_send_time(earliest=moment, organization=organization) == moment
