"""Email backends for tests: one that fails as told, one that is slow (to widen race windows)."""

from __future__ import annotations

import smtplib
import threading
import time
from typing import Any, ClassVar

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(BaseEmailBackend):
    """A server that cannot be reached (fails on connecting) or that refuses the message."""

    error: ClassVar[Exception] = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def open(self) -> bool:
        if not isinstance(self.error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
            raise self.error
        return True

    def send_messages(self, email_messages: Any) -> int:
        raise self.error


class SlowBackend(BaseEmailBackend):
    """Counts what it sends, across threads, and takes a moment over each message."""

    sent: ClassVar[list[str]] = []
    lock = threading.Lock()

    def send_messages(self, email_messages: Any) -> int:
        time.sleep(0.2)
        with self.lock:
            self.sent.extend(m.to[0] for m in email_messages)
        return len(email_messages)


__all__ = ["FailingBackend", "LocmemBackend", "SlowBackend"]
