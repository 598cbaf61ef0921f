"""Send one email through Django's email backend (SMTP, Anymail, file, console).

Errors come back as ``DeliveryError``, which says whether trying again later can help: a server
that is down or busy (4xx, a dropped connection, a timeout) can; a refused address or a
rejected message (5xx) cannot. It also says whether the email may have been delivered all the
same: the connection dropped after the message itself was handed over (SMTP ``DATA``), before
the server said it took it.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import random
import re
import smtplib
from collections.abc import Callable
from email.header import Header
from email.utils import formatdate, getaddresses, make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address


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
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    headers = {"Message-ID": message_id, **(headers or {})}
    connection = _opened(get_connection() if own else connection)
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
    message: EmailMultiAlternatives | None = None
    try:
        if isinstance(smtp, smtplib.SMTP):
            # SMTP: the MIME bytes are made here (a fraction of what Django's EmailMessage
            # costs), and the hand-over is recorded just before DATA.
            data = mime_bytes(
                to=to,
                subject=subject,
                text=text,
                html=html,
                from_email=from_email,
                reply_to=reply_to,
                headers=headers,
            )
            envelope_from, envelope_to = _envelope_address(from_email), _envelope_address(to)
            original_data = smtp.data

            def data_after_handover(msg: Any) -> tuple[int, bytes]:
                handover()
                return original_data(msg)

            smtp.data = data_after_handover  # type: ignore[method-assign]
            smtp.sendmail(envelope_from, [envelope_to], data)
        else:
            message = EmailMultiAlternatives(
                subject=subject,
                body=text,
                from_email=from_email,
                to=[to],
                reply_to=[reply_to] if reply_to else None,
                headers=headers,
                connection=connection,
            )
            if html:
                message.attach_alternative(html, "text/html")
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


# MIME, as Django's EmailMultiAlternatives makes it (same headers, same order, same encodings)
# without its per-message objects and generator.
CRLF = "\r\n"
LINE_LIMIT = 998  # RFC 5322: longer lines go quoted-printable.
FOLD_AT = 78
UNIQUE_HEADERS = {"to", "date", "message-id"}  # Different in each email: not worth caching.
ADDRESS_HEADERS = {"from", "to", "cc", "reply-to", "sender", "bcc"}
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def mime_bytes(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    from_email: str,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """The email as the bytes an SMTP server is handed: a text part and, if given, HTML.

    ``headers`` go after the standard ones; a ``Date`` or ``Message-ID`` among them is used
    instead of a new one. Raises ``ValueError`` for an address that cannot be written and
    ``BadHeaderError`` for a header value with a line break, as Django does.
    """
    extra = headers or {}
    names = {name.lower() for name in extra}
    lines = [
        _header("Subject", subject),
        _header("From", extra.get("From", from_email)),
        _header("To", to),
    ]
    if reply_to:
        lines.append(_header("Reply-To", reply_to))
    if "date" not in names:
        lines.append(_header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        lines.append(_header("Message-ID", make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)))
    lines += [
        _header(name, value)
        for name, value in extra.items()
        if name.lower() not in {"from", "to", "cc", "reply-to"}
    ]
    text_part = _text_part(text, "plain")
    if not html:
        return text_part[0] + "".join(lines).encode("ascii") + b"\r\n" + text_part[1]
    html_part = _text_part(html, "html")
    boundary = _boundary(text_part[1], html_part[1])
    delimiter = b"--" + boundary
    return b"".join(
        [
            b'Content-Type: multipart/alternative;\r\n boundary="' + boundary + b'"\r\n',
            b"MIME-Version: 1.0\r\n",
            "".join(lines).encode("ascii"),
            b"\r\n",
            delimiter + b"\r\n" + text_part[0] + b"\r\n" + text_part[1],
            b"\r\n" + delimiter + b"\r\n" + html_part[0] + b"\r\n" + html_part[1],
            b"\r\n" + delimiter + b"--\r\n",
        ]
    )


def _text_part(body: str, subtype: str) -> tuple[bytes, bytes]:
    """A text part's headers and its encoded body (8bit, or quoted-printable for long lines)."""
    lines = _NEWLINES.sub(CRLF, body).encode("utf-8", errors="surrogateescape")
    if max(map(len, lines.split(b"\r\n"))) > LINE_LIMIT:
        # Soft line breaks come as LF when the text has no line break of its own: SMTP wants CRLF.
        encoded = binascii.b2a_qp(lines, istext=True).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        encoding, payload = "quoted-printable", encoded
    else:
        encoding, payload = ("7bit" if lines.isascii() else "8bit"), lines
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"MIME-Version: 1.0\r\nContent-Transfer-Encoding: {encoding}\r\n"
    ).encode("ascii")
    return head, payload


def _boundary(*parts: bytes) -> bytes:
    while True:
        boundary = b"===============%019d==" % random.randrange(10**19)
        if not any(boundary in part for part in parts):
            return boundary


def _header(name: str, value: str) -> str:
    """``Name: value`` and its line break, encoded (RFC 2047) and folded as Django's would be."""
    value = str(value)
    if name.lower() in UNIQUE_HEADERS:
        return _header_line(name, value)
    return _cached_header_line(name, value)


def _header_line(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for header {name!r})")
    if not value.isascii():
        if name.lower() in ADDRESS_HEADERS:
            value = ", ".join(_sanitized(address) for address in getaddresses((value,)))
        else:
            return f"{name}: {Header(value, 'utf-8', header_name=name).encode(linesep=CRLF)}\r\n"
    if name.lower() == "subject" or len(name) + 2 + len(value) > FOLD_AT:
        value = Header(value, header_name=name).encode(linesep=CRLF)
    return f"{name}: {value}\r\n"


def _envelope_address(value: str) -> str:
    """The address for MAIL FROM or RCPT TO, as Django's SMTP backend gives it."""
    return value if _PLAIN_ADDRESS.fullmatch(value) else _sanitized(value)


# Subjects, senders and the like repeat from message to message, and encoding them is slow.
_cached_header_line = functools.lru_cache(maxsize=512)(_header_line)


@functools.lru_cache(maxsize=256)  # Senders and Reply-To addresses repeat from message to message.
def _sanitized(address: str | tuple[str, str]) -> str:
    return str(sanitize_address(address, "utf-8"))


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
