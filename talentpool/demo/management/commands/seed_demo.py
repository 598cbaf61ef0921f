"""``manage.py seed_demo``: fill the database with realistic demo data, once."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from talentpool.demo.seed import DEFAULT_SEED, seed_demo


def _moment(value: str) -> dt.datetime:
    """An ISO date (midnight UTC) or datetime (UTC unless it has an offset)."""
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = dt.datetime.combine(day, dt.time())
    except ValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {value!r}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


class Command(BaseCommand):
    help = (
        "Create two demo employers with recruiters, openings, candidates, runner-ups, consent and "
        "messages. Does nothing where the demo data is already present; --reset starts again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--now",
            type=_moment,
            default=None,
            help="ISO date or datetime the demo's dates are relative to (default: today, 00:00 UTC)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo organizations and their users first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        summary = seed_demo(
            seed=options["seed"], now=options["now"], reset=options["reset"], progress=self.stdout.write
        )
        if not summary.seeded:
            self.stdout.write("demo data already present (run with --reset to start again)")
        self.stdout.write(
            f"organizations: {summary.organizations}, users: {summary.users}, openings: {summary.openings}, "
            f"candidates: {summary.candidates}, runner-ups: {summary.runner_ups}, in pool: {summary.in_pool}"
        )
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f} s"))
