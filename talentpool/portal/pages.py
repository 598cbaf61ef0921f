"""What the candidate's pages share: who is signed in, in which language, and the headers.

There are no accounts. A used magic link signs the browser in for a short while: the session
holds the candidate's id and the link's id, and ends early if the link (or the person) is gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language_info

from talentpool.candidates.models import Candidate
from talentpool.consent.models import MagicLink
from talentpool.core.clients import client_address

P = ParamSpec("P")

SESSION_KEY = "candidate_session"
PENDING_LINK_KEY = "candidate_link"
LANGUAGE_KEY = "candidate_language"


def candidate_sign_in(request: HttpRequest, link: MagicLink, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    request.session.cycle_key()  # A new session id: nobody could have planted this one.
    request.session.pop(PENDING_LINK_KEY, None)
    until = now + dt.timedelta(minutes=settings.CANDIDATE_SESSION_MINUTES)
    request.session[SESSION_KEY] = {
        "candidate_id": link.candidate_id,
        "link_id": link.pk,
        "until": until.isoformat(),
    }


def candidate_sign_out(request: HttpRequest) -> None:
    language = request.session.get(LANGUAGE_KEY)
    request.session.flush()
    if language:
        request.session[LANGUAGE_KEY] = language


def _sign_in(request: HttpRequest) -> tuple[int, int, dt.datetime] | None:
    """What the session says of its sign-in (candidate id, link id, until), if anything."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        return int(data["candidate_id"]), int(data["link_id"]), dt.datetime.fromisoformat(data["until"])
    except (KeyError, TypeError, ValueError):
        return None


def signed_in_candidate(request: HttpRequest, *, now: dt.datetime | None = None) -> Candidate | None:
    sign_in = _sign_in(request)
    if sign_in is None:
        return None
    candidate_id, link_id, until = sign_in
    if until <= (now or timezone.now()):
        return None
    if not MagicLink.objects.filter(pk=link_id, candidate_id=candidate_id).exists():
        return None
    return Candidate.objects.select_related("organization").filter(pk=candidate_id).first()


def signed_in_candidate_gone(request: HttpRequest) -> bool:
    """Whether the session was signed in for someone who has since been erased."""
    sign_in = _sign_in(request)
    return sign_in is not None and not Candidate.objects.filter(pk=sign_in[0]).exists()


def page_language(request: HttpRequest, candidate: Candidate | None = None) -> str:
    """The language the candidate chose on the page, else their preferred one, else the browser's."""
    codes = {code for code, _name in settings.LANGUAGES}
    chosen = request.session.get(LANGUAGE_KEY)
    if chosen in codes:
        return str(chosen)
    if candidate is not None and candidate.language in codes:
        return candidate.language
    return translation.get_language_from_request(request)


def language_choices() -> list[tuple[str, str]]:
    """The page languages, each named in itself (a reader finds their own language by its name)."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the request's IP address and browser: evidence, not an identifier."""
    details = f"{client_address(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return salted_hmac("talentpool.consent.client", details).hexdigest()


def rate_limited(*keys: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt under each key; True if any key is over ``limit`` in the window."""
    over = False
    for key in keys:
        cache_key = "rate:" + hashlib.sha256(key.encode()).hexdigest()
        cache.add(cache_key, 0, window_seconds)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # Expired between add and incr.
            cache.set(cache_key, 1, window_seconds)
            count = 1
        over = over or count > limit
    return over


def protect(response: HttpResponseBase, *, referrer_policy: str = "same-origin") -> HttpResponseBase:
    """Headers for pages about one person: never cached, never indexed, no referrer to others."""
    add_never_cache_headers(response)
    response.headers["Referrer-Policy"] = referrer_policy
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    candidate: Candidate | None = None,
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language()
    page_context = {
        "candidate": candidate,
        "organization": candidate.organization if candidate is not None else None,
        "signed_in": candidate is not None and request.session.get(SESSION_KEY) is not None,
        "page_languages": language_choices(),
        **(context or {}),
    }
    response = render(request, template, page_context, status=status)
    response.headers["Content-Language"] = language
    return response


CandidateView = Callable[Concatenate[HttpRequest, Candidate, P], HttpResponseBase]


def candidate_required(view: CandidateView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """A page for the signed-in candidate, in their language; others are asked for a new link."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        candidate = signed_in_candidate(request)
        if candidate is None:
            request.session.pop(SESSION_KEY, None)
            return protect(redirect("candidate-new-link-ended"))
        with translation.override(page_language(request, candidate)):
            return protect(view(request, candidate, *args, **kwargs))

    return wrapper


def anonymous_page(view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    """A page anyone may open (a link, a request for a new one), in the chosen language."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        request = args[0]
        assert isinstance(request, HttpRequest)
        with translation.override(page_language(request)):
            return protect(view(*args, **kwargs))

    return wrapper
