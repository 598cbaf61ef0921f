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
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import Language
from talentpool.messaging.content import stop_token_candidate_id
from talentpool.messaging.keep_warm import keep_warm_stop


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
        # In the browser's language (LocaleMiddleware), as we no longer know the person's.
        return render(request, "messaging/stop_unknown.html", status=404)
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
