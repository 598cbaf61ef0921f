"""Messages benchmark: render and send warm rejections to a local SMTP server.

    .venv/bin/python bench/messages.py                 # 1,000 messages
    .venv/bin/python bench/messages.py --count 200     # a smoke run

Runs with no environment: SQLite in a fresh temporary VAR_DIR, and an aiosmtpd server on a free
local port that accepts and keeps every message. With DATABASE_URL it uses that database as it
is (run it against a scratch database).

What is measured, per message, through the real code:
  render   drafting a warm rejection: the context (feedback as sentences, a consent magic link),
           the per-language templates, the stored row and its audit event;
  send     ``message_deliver`` (the flow a task per message runs: ``message_send`` and the
           message.sent webhook event): claiming the row, making its links' tokens, recording
           the hand-over, building the MIME bytes, SMTP, marking it sent; with one connection
           for all messages, ``message_deliver_many`` (what the sweeper's tasks run): the same in
           batches of 100, two commits per batch (the claim with the hand-over mark, the
           outcomes).
The baseline sends the very bytes the server received, with smtplib alone. Both sides are
compared like with like: one SMTP connection per message (what a Celery task per message does),
and, separately, one connection for all messages. Figures go to stdout.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import shutil
import smtplib
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SMTP_PORT = _free_port()
# The environment is set before Django reads its settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("REDIS_URL", None)  # tasks run in-process; nothing reaches a real broker
if not os.environ.get("DATABASE_URL"):
    _var_dir = tempfile.mkdtemp(prefix="talentpool-bench-messages-")
    os.environ["VAR_DIR"] = _var_dir
    atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from talentpool.candidates.models import Candidate  # noqa: E402
from talentpool.core.actors import Actor  # noqa: E402
from talentpool.core.models import Membership, Organization  # noqa: E402
from talentpool.flows.sending import message_deliver, message_deliver_many  # noqa: E402
from talentpool.messaging import sending  # noqa: E402
from talentpool.messaging.drafting import warm_rejection_draft  # noqa: E402
from talentpool.messaging.models import Message  # noqa: E402
from talentpool.messaging.sending import SendOutcome  # noqa: E402
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp  # noqa: E402

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command

# A Tuesday at 10:00 in Copenhagen: inside sending hours, whatever day the bench runs on.
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
LANGUAGES = ("da", "sv", "en")
STRENGTHS = {
    "da": ("Din præsentation af caseopgaven var den klareste, vi så.", "dine skarpe spørgsmål om kunderne"),
    "sv": ("Din presentation av caseuppgiften var den tydligaste vi såg.", "dina skarpa frågor om kunderna"),
    "en": ("Your presentation of the case assignment was the clearest we saw.", "your sharp questions"),
}
GAP = {
    "da": "flere års erfaring med vores analyseplatform",
    "sv": "flera års erfarenhet av vår analysplattform",
    "en": "several years with our analytics platform",
}


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def setup(count: int) -> list[RunnerUp]:
    call_command("migrate", verbosity=0, interactive=False)
    organization = Organization.objects.create(
        name="Kystlys A/S",
        slug=f"bench-{int(time.time())}",
        language="da",
        sender_email="job@kystlys.example",
        time_zone="Europe/Copenhagen",
    )
    recruiter = User.objects.create(
        username=f"bench-{organization.pk}",
        first_name="Mette",
        last_name="Højgaard",
        email="mette@kystlys.example",
    )
    Membership.objects.create(user=recruiter, organization=organization, title="Talentchef")
    openings = Opening.objects.bulk_create(
        Opening(organization=organization, title=f"IT-projektleder {i}") for i in range(20)
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organization=organization,
            first_name=f"Sofie{i}",
            last_name="Ærø",
            email=f"candidate{i}@example.com",
            language=LANGUAGES[i % 3],
        )
        for i in range(count)
    )
    runner_ups = RunnerUp.objects.bulk_create(
        RunnerUp(
            organization=organization,
            candidate=candidate,
            opening=openings[i % len(openings)],
            stage=RunnerUp.Stage.FINAL_INTERVIEW,
            decided_at=NOW - dt.timedelta(days=3),
            decided_by=recruiter,
        )
        for i, candidate in enumerate(candidates)
    )
    feedback = Feedback.objects.bulk_create(
        Feedback(organization=organization, runner_up=r, status=Feedback.Status.APPROVED) for r in runner_ups
    )
    items = []
    for record, runner_up in zip(feedback, runner_ups, strict=True):
        language = runner_up.candidate.language
        kind = FeedbackItem.Kind
        items += [FeedbackItem(feedback=record, kind=kind.STRENGTH, text=t) for t in STRENGTHS[language]]
        items.append(
            FeedbackItem(
                feedback=record,
                kind=kind.DEVELOPMENT_AREA,
                category=FeedbackItem.Category.EXPERIENCE,
                text=GAP[language],
            )
        )
    FeedbackItem.objects.bulk_create(items)
    return runner_ups


def render_all(runner_ups: list[RunnerUp]) -> tuple[float, list[int]]:
    actor = Actor.system()
    started = time.perf_counter()
    ids = [warm_rejection_draft(runner_up=r, actor=actor, now=NOW).pk for r in runner_ups]
    return time.perf_counter() - started, ids


def schedule(ids: list[int]) -> None:
    Message.objects.filter(pk__in=ids).update(status=Message.Status.SCHEDULED, scheduled_at=NOW)


class DeliverTimer:
    """Wraps ``deliver`` to tell the email's share of sending (MIME and SMTP) from the database's."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.deliver = sending.deliver

    def __call__(self, **kwargs: Any) -> str:
        started = time.perf_counter()
        try:
            return self.deliver(**kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def send_all(ids: list[int], *, shared_connection: bool) -> float:
    """Send as a task per message does (``message_deliver``), or as the sweeper's tasks do."""
    started = time.perf_counter()
    if shared_connection:
        results = message_deliver_many(message_ids=ids, now=NOW)
    else:
        results = {message_id: message_deliver(message_id=message_id, now=NOW) for message_id in ids}
    for message_id, result in results.items():
        if result.outcome != SendOutcome.SENT:
            raise SystemExit(f"message {message_id} was not sent: {result.outcome}")
    return time.perf_counter() - started


def smtplib_all(raw: list[tuple[str, list[str], bytes]], *, shared_connection: bool) -> float:
    started = time.perf_counter()
    if shared_connection:
        with smtplib.SMTP("127.0.0.1", SMTP_PORT, timeout=30) as smtp:
            for mail_from, rcpt_tos, data in raw:
                smtp.sendmail(mail_from, rcpt_tos, data)
    else:
        for mail_from, rcpt_tos, data in raw:
            with smtplib.SMTP("127.0.0.1", SMTP_PORT, timeout=30) as smtp:
                smtp.sendmail(mail_from, rcpt_tos, data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        runner_ups = setup(count)
        print(f"messages: {count} warm rejections with feedback, in Danish, Swedish and English")
        print("smtp: aiosmtpd on 127.0.0.1 (in this process); database:", django.db.connection.vendor)

        rows = []
        for shared in (False, True):
            # Each round drafts fresh messages, so both rounds render and send the same work.
            Message.objects.all().delete()
            inbox.received.clear()
            render_seconds, ids = render_all(runner_ups)
            schedule(ids)
            timer = DeliverTimer()
            sending.deliver = timer
            try:
                send_seconds = send_all(ids, shared_connection=shared)
            finally:
                sending.deliver = timer.deliver
            raw = list(inbox.received)
            assert len(raw) == count, f"the server received {len(raw)} of {count}"
            inbox.received.clear()
            baseline = smtplib_all(raw, shared_connection=shared)
            size = sum(len(r[2]) for r in raw) / count
            rows.append((shared, render_seconds, send_seconds, timer.seconds, baseline, size))

        for shared, render_seconds, send_seconds, deliver_seconds, baseline, size in rows:
            label = "one connection for all messages" if shared else "one SMTP connection per message"
            total = render_seconds + send_seconds
            print(f"\n== {label}")
            print(f"  average message size          {size / 1024:8.1f} KiB")
            print(f"  render (draft and store)      {count / render_seconds:8.0f} messages/s")
            print(f"  send                          {count / send_seconds:8.0f} messages/s")
            print(f"    of which the email (MIME, SMTP) {deliver_seconds / send_seconds:6.0%} of the time")
            print(f"  render and send               {count / total:8.0f} messages/s")
            print(f"  smtplib, same bytes           {count / baseline:8.0f} messages/s")
            print(f"  send vs smtplib               {baseline / send_seconds:8.2f} (of smtplib's rate)")
            print(f"  render and send vs smtplib    {baseline / total:8.2f} (of smtplib's rate)")
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
