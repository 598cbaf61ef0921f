"""Who is asking: the client's address, behind as many reverse proxies as the deployment says."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, for rate limits and consent evidence.

    With ``TRUSTED_PROXIES`` = n reverse proxies in front of us, it is the address the outermost
    of them saw: the n-th entry of X-Forwarded-For from the right (entries further left are
    whatever the client chose to send). With none, or a header shorter than that, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
