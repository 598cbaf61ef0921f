"""The MIME bytes handed to an SMTP server read as Django's EmailMultiAlternatives would make them."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from integrations.email.sending import mime_bytes

LONG_LINE_HTML = "<p>" + "Tak for din tid, Sofie Ærø. " * 60 + "</p>\n<p>Venlig hilsen</p>\n"


def django_bytes(fields: dict[str, Any]) -> bytes:
    message = EmailMultiAlternatives(
        subject=fields["subject"],
        body=fields["text"],
        from_email=fields["from_email"],
        to=[fields["to"]],
        reply_to=[fields["reply_to"]] if fields.get("reply_to") else None,
        headers=fields.get("headers") or {},
    )
    if fields.get("html"):
        message.attach_alternative(fields["html"], "text/html")
    raw: bytes = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    return raw


def read(raw: bytes) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    parsed: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {
        name: str(value).strip() for name, value in parsed.items() if name not in ("Date", "Content-Type")
    }
    parts = [
        (part.get_content_type(), str(part["Content-Transfer-Encoding"]), part.get_content())
        for part in parsed.walk()
        if not part.is_multipart()
    ]
    return headers, parts


@pytest.mark.parametrize(
    "fields",
    [
        {  # A Danish warm rejection with a keep-warm header and a long line in the HTML.
            "to": "sofie@example.dk",
            "subject": "Tak for din tid hos Kystlys A/S – IT-projektleder i Aarhus, og en lang emnelinje",
            "text": "Hej Sofie\n\nTak for samtalen.\n--\nMette Højgaard, Talentchef\n",
            "html": LONG_LINE_HTML,
            "from_email": "Mette Højgaard via Kystlys A/S <job@kystlys.example>",
            "reply_to": "Mette Højgaard <mette@kystlys.example>",
            "headers": {
                "Message-ID": "<1@talentpool.localhost>",
                "List-Unsubscribe": "<https://talentpool.example/me/stop/" + "x" * 80 + ">",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        },
        {  # English, ASCII only, text alone, to an address with a name and an international domain.
            "to": "Sofie <sofie@exämple.se>",
            "subject": "Your link",
            "text": "Hello\r\n.\nA line with trailing space \n=",
            "html": "",
            "from_email": '"Kystlys A/S" <job@kystlys.example>',
            "reply_to": None,
            "headers": {"Message-ID": "<2@talentpool.localhost>", "Auto-Submitted": "auto-generated"},
        },
    ],
)
def test_the_smtp_bytes_read_as_djangos_message_would(fields: dict[str, Any]) -> None:
    # when
    ours, django = read(mime_bytes(**fields)), read(django_bytes(fields))

    # then: the same headers (the boundary and the date aside), parts, encodings and text
    assert ours == django


def test_every_line_of_the_smtp_bytes_is_within_the_rfc_limit():
    raw = mime_bytes(
        to="sofie@example.dk",
        subject="Hej",
        text="x" * 3000,
        html=LONG_LINE_HTML,
        from_email="job@kystlys.example",
    )
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_a_header_with_a_line_break_is_refused():
    with pytest.raises(BadHeaderError):
        mime_bytes(
            to="sofie@example.dk", subject="Hej\nBcc: x@example.com", text="Hej", from_email="job@x.dk"
        )
