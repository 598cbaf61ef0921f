"""Humane sending times: never in the organization's quiet hours, never on a weekend."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from talentpool.core.models import Organization

SATURDAY = 5


def organization_zone(organization: Organization) -> ZoneInfo:
    try:
        return ZoneInfo(organization.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_quiet(moment: dt.time, *, start: dt.time, end: dt.time) -> bool:
    """Whether a local time of day is inside quiet hours; equal start and end mean none."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # Quiet hours across midnight (19:00 to 08:00).


def next_send_time(*, earliest: dt.datetime, organization: Organization) -> dt.datetime:
    """The first moment at or after ``earliest`` that is on a weekday outside quiet hours."""
    zone = organization_zone(organization)
    start, end = organization.quiet_hours_start, organization.quiet_hours_end
    local = earliest.astimezone(zone)
    for _ in range(16):
        if local.weekday() >= SATURDAY:
            local = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
            continue
        if is_quiet(local.time(), start=start, end=end):
            day = local.date()
            if start > end and local.time() >= start:
                day += dt.timedelta(days=1)  # Evening: the quiet hours end tomorrow morning.
            local = dt.datetime.combine(day, end, tzinfo=zone)
            continue
        return local.astimezone(dt.UTC)
    raise AssertionError("no sending time found within two weeks")  # pragma: no cover


def is_send_time(moment: dt.datetime, *, organization: Organization) -> bool:
    return next_send_time(earliest=moment, organization=organization) == moment
