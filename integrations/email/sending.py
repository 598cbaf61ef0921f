"""Send one email through Django's email backend (SMTP, Anymail, file, console).

Errors come back as ``DeliveryError``, which says whether trying again later can help: a server
that is down or busy (4xx, a dropped connection, a timeout) can; a refused address or a
rejected message (5xx) cannot. It also says whether the email may have been delivered all the
same: the connection dropped after the message itself was handed over (SMTP ``DATA``), before
the server said it took it.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


class DeliveryError(Exception):
    """Sending failed; ``retryable`` says whether a later attempt may succeed.

    ``maybe_delivered``: the server was handed the message and gave no answer, so it may have
    delivered it. Sending it again could send it twice.
    """

    def __init__(self, message: str, *, retryable: bool, maybe_delivered: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.maybe_delivered = maybe_delivered


class HandoverNotRecorded(Exception):
    """``on_handover`` failed, so nothing was handed over; ``__cause__`` is its error."""


def open_connection() -> Any:
    """An open connection to the configured backend, for sending several emails over it.

    ``DeliveryError`` if the server cannot be reached.
    """
    return _opened(get_connection())


def _opened(connection: Any) -> Any:
    try:
        connection.open()  # SMTP: connect, EHLO, STARTTLS, login. Already open: nothing.
    except Exception as error:
        _close(connection)
        raise DeliveryError(describe(error), retryable=is_retryable(error)) from error
    return connection


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
    on_handover: Callable[[], None] | None = None,
) -> str:
    """Deliver one email with a text part and, if given, an HTML alternative.

    Return the provider's id for it (an Anymail provider's message id, else the Message-ID).
    ``on_handover`` runs once the server has been reached, just before the message itself goes
    (before SMTP ``DATA``; just before the call for other backends). If it raises, nothing is
    sent and ``HandoverNotRecorded`` is raised from its error. A connection passed in stays open
    (unless it broke); one made here is closed.
    """
    message_id = message_id or make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    own = connection is None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": message_id, **(headers or {})},
    )
    if html:
        message.attach_alternative(html, "text/html")
    connection = _opened(get_connection() if own else connection)
    message.connection = connection
    handed_over = False

    def handover() -> None:
        nonlocal handed_over
        if on_handover is not None:
            try:
                on_handover()
            except Exception as error:
                raise HandoverNotRecorded() from error
        handed_over = True

    smtp = getattr(connection, "connection", None)
    try:
        if isinstance(smtp, smtplib.SMTP):
            original_data = smtp.data

            def data(msg: Any) -> tuple[int, bytes]:
                handover()
                return original_data(msg)

            smtp.data = data  # type: ignore[method-assign]
        else:
            handover()
        message.send()
    except HandoverNotRecorded as error:
        _close(connection)
        raise error.__cause__ or error from None
    except Exception as error:
        maybe = handed_over and not _answered(error)
        if maybe or not isinstance(error, smtplib.SMTPRecipientsRefused):
            _close(connection)  # The session's state is unknown: start the next one afresh.
        raise DeliveryError(describe(error), retryable=is_retryable(error), maybe_delivered=maybe) from error
    finally:
        if isinstance(smtp, smtplib.SMTP):
            vars(smtp).pop("data", None)
        if own:
            _close(connection)
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    return str(provider_id) if provider_id else message_id


def _close(connection: Any) -> None:
    with contextlib.suppress(Exception):  # A connection that breaks while closing is closed.
        connection.close()


def _answered(error: BaseException) -> bool:
    """Whether the server (or provider) answered, so that the email was certainly not taken."""
    return isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused) or isinstance(
        getattr(error, "status_code", None), int
    )


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
