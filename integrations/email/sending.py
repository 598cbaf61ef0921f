"""Send one email through Django's email backend (SMTP, Anymail, file, console)."""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def deliver(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    from_email: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """Deliver one email with a text part and, if given, an HTML alternative; return its Message-ID."""
    message_id = make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
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
    message.send()
    return message_id
