"""Send one email through Django's email backend (SMTP, Anymail, file, console).

Errors come back as ``DeliveryError``, which says whether trying again later can help: a server
that is down or busy (4xx, a dropped connection, a timeout) can; a refused address or a
rejected message (5xx) cannot.
"""

from __future__ import annotations

import smtplib
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


class DeliveryError(Exception):
    """Sending failed; ``retryable`` says whether a later attempt may succeed."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def deliver(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    from_email: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
    connection: Any = None,
) -> str:
    """Deliver one email with a text part and, if given, an HTML alternative.

    Return the provider's id for it (an Anymail provider's message id, else the Message-ID).
    """
    message_id = message_id or make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": message_id, **(headers or {})},
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:
        raise DeliveryError(describe(error), retryable=is_retryable(error)) from error
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    return str(provider_id) if provider_id else message_id


def is_retryable(error: BaseException) -> bool:
    """Whether the same email may go through later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # Wrong credentials: an operator must fix the configuration.
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # Anymail's API errors carry the provider's HTTP status.
    status_code = getattr(error, "status_code", None)
    if isinstance(status_code, int):
        return status_code == 429 or status_code >= 500
    return isinstance(error, OSError)  # Refused or dropped connections, timeouts, DNS.


def describe(error: BaseException) -> str:
    """A one-line description of a failure for the message's error field (no credentials)."""
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else ""
        return f"The mail server answered {error.smtp_code}: {detail}".strip()[:1000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(str(code) for code, _ in error.recipients.values())
        return f"The mail server refused the recipient ({codes})."
    return f"{type(error).__name__}: {error}"[:1000]
