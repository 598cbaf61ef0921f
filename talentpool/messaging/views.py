"""The one-click way to stop keep-warm mail, linked from every such email and its List-Unsubscribe.

GET shows a confirmation and changes nothing (mail scanners open links). POST stops: from the
page's button, or straight from a mail client's unsubscribe button (RFC 8058 one-click). The
signed token in the URL is the credential, so the POST needs no CSRF token: another site cannot
forge a request for a link it does not know.
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import Language
from talentpool.messaging.content import stop_token_candidate_id
from talentpool.messaging.experience import (
    RATINGS,
    ExperienceLinkInvalid,
    experience_response_record,
    experience_token_read,
)
from talentpool.messaging.keep_warm import keep_warm_stop
from talentpool.messaging.models import ExperienceResponse
from talentpool.openings.models import Opening


def _link_unknown(request: HttpRequest) -> HttpResponse:
    """A friendly page for a damaged link, in the browser's language (we no longer know theirs)."""
    return render(request, "messaging/link_unknown.html", status=404)


def _candidate(token: str) -> Candidate | None:
    """Whose link this is; None for a damaged link, or a person since erased."""
    try:
        candidate_id = stop_token_candidate_id(token)
    except signing.BadSignature:
        return None
    return Candidate.objects.select_related("organization").filter(pk=candidate_id).first()


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def keep_warm_stop_view(request: HttpRequest, token: str) -> HttpResponse:
    candidate = _candidate(token)
    if candidate is None:
        return _link_unknown(request)
    translation.activate(candidate.language)
    if request.method == "POST":
        keep_warm_stop(candidate=candidate, actor=Actor.candidate(), opt_out=True)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Stopped.", content_type="text/plain; charset=utf-8")
        # Off the page with the token in its URL, so it stays out of history and referrers.
        return HttpResponseRedirect(reverse("keep-warm-stopped") + f"?lang={candidate.language}")
    return render(request, "messaging/stop_confirm.html", {"organization": candidate.organization.name})


@never_cache
@require_http_methods(["GET", "HEAD"])
def keep_warm_stopped(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("lang", "")
    if language in Language.values:
        translation.activate(language)
    return render(request, "messaging/stop_done.html")


# The candidate-experience question -------------------------------------------------------------


def _experience_subject(token: str) -> tuple[Candidate, Opening] | None:
    """Whose answer and about what; None for a damaged link, or a person since erased."""
    try:
        candidate_id, opening_id = experience_token_read(token)
    except ExperienceLinkInvalid:
        return None
    candidate = Candidate.objects.select_related("organization").filter(pk=candidate_id).first()
    if candidate is None:
        return None
    opening = Opening.objects.filter(pk=opening_id, organization_id=candidate.organization_id).first()
    return None if opening is None else (candidate, opening)


def _rating(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) in RATINGS else None


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def experience_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the question with the clicked rating chosen; only POST records an answer.

    The signed token is the credential (as for the stop link), so the form needs no CSRF token.
    """
    subject = _experience_subject(token)
    if subject is None:
        return _link_unknown(request)
    candidate, opening = subject
    translation.activate(candidate.language)
    rating = _rating(request.POST.get("rating") if request.method == "POST" else request.GET.get("rating"))
    if request.method == "POST" and rating is not None:
        experience_response_record(
            candidate=candidate,
            opening=opening,
            rating=rating,
            comment=request.POST.get("comment", ""),
            now=timezone.now(),
        )
        return HttpResponseRedirect(reverse("experience-thanks") + f"?lang={candidate.language}")
    existing = ExperienceResponse.objects.filter(candidate=candidate, opening=opening).first()
    context = {
        "organization": candidate.organization.name,
        "opening_title": opening.title,
        "ratings": RATINGS,
        "chosen": rating or (existing.rating if existing else None),
        "comment": existing.comment if existing else "",
        "missing_rating": request.method == "POST",
    }
    return render(
        request, "messaging/experience.html", context, status=400 if request.method == "POST" else 200
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def experience_thanks(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("lang", "")
    if language in Language.values:
        translation.activate(language)
    return render(request, "messaging/experience_thanks.html")
