"""The candidate's pages (/me/...): each view reads the request, makes one domain call, answers.

A link from an email (``link_open``) changes nothing: it remembers the link in the browser's
session and redirects, with ``Referrer-Policy: no-referrer``, to a page without the token. That
page shows what the link is for; its form (a POST with a CSRF token) uses the link, does the
action and signs the browser in for a short while.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from integrations.cv.checks import CvRejected, too_large_message
from talentpool.candidates.models import Candidate, CvFile, PendingCv
from talentpool.consent.links import (
    LinkError,
    magic_link_consume_by_id,
    magic_link_find,
    magic_link_find_by_id,
)
from talentpool.consent.models import ConsentText, MagicLink
from talentpool.consent.selectors import consent_state, consent_text_current
from talentpool.core.actors import Actor
from talentpool.core.clients import client_address
from talentpool.flows.consent import pool_join, pool_leave
from talentpool.flows.profile import (
    candidate_change,
    cv_pending_drop,
    cv_pending_find,
    cv_pending_keep,
    cv_upload,
)
from talentpool.flows.rights import candidate_erase, candidate_export_archive_download
from talentpool.messaging.feedback_requests import feedback_request_create
from talentpool.messaging.link_emails import link_request_create
from talentpool.messaging.models import FeedbackRequest
from talentpool.openings.models import RunnerUp
from talentpool.portal.forms import CvForm, EraseForm, FeedbackRequestForm, NewLinkForm, ProfileForm
from talentpool.portal.pages import (
    LANGUAGE_KEY,
    PENDING_LINK_KEY,
    SESSION_KEY,
    anonymous_page,
    candidate_required,
    candidate_sign_in,
    candidate_sign_out,
    client_hash,
    page_language,
    protect,
    rate_limited,
    render_page,
    signed_in_candidate,
    signed_in_candidate_gone,
)
from talentpool.skills.labels import curated_skill_labels

logger = logging.getLogger(__name__)

CANDIDATE = Actor.candidate()
# What a link's form asks to do, and the scope of link that may do it.
ERASED_KEY = "candidate_erased"  # in the session once the person erased themselves
INTENT_SCOPES = {
    "consent": MagicLink.Scope.CONSENT,
    "withdraw": MagicLink.Scope.CONSENT,
    "sign_in": MagicLink.Scope.PROFILE,
    "feedback": MagicLink.Scope.FEEDBACK_REQUEST,
}
LINK_TEMPLATES: dict[str, str] = {
    MagicLink.Scope.CONSENT: "candidate/link_consent.html",
    MagicLink.Scope.PROFILE: "candidate/link_profile.html",
    MagicLink.Scope.FEEDBACK_REQUEST: "candidate/link_feedback.html",
}
UNUSABLE_STATUS = {"unknown": 404, "expired": 410, "used": 410, "wrong_scope": 400}
NEW_LINKS_PER_EMAIL = 3  # an hour
NEW_LINKS_PER_IP = 20  # an hour


# Links ----------------------------------------------------------------------------------------


def _unusable(request: HttpRequest, reason: str) -> HttpResponseBase:
    if reason == "used" and signed_in_candidate(request) is not None:
        return redirect("candidate-home")
    return redirect(f"{reverse('candidate-link-unusable')}?reason={reason}")


@require_http_methods(["GET", "HEAD"])
def link_open(request: HttpRequest, token: str) -> HttpResponseBase:
    """A link from an email: nothing is used here, whoever (or whatever) opens it."""
    try:
        link = magic_link_find(token=token)
    except LinkError as error:
        response = _unusable(request, error.reason)
    else:
        request.session[PENDING_LINK_KEY] = link.pk
        response = redirect("candidate-link-confirm")
    # The token is in this URL: the next request, and any page after, must not learn it.
    return protect(response, referrer_policy="no-referrer")


@require_http_methods(["GET", "HEAD", "POST"])
def link_confirm(request: HttpRequest) -> HttpResponseBase:
    """What the link is for (GET), and doing it (POST)."""
    try:
        link = magic_link_find_by_id(link_id=int(request.session.get(PENDING_LINK_KEY) or 0))
    except (LinkError, TypeError, ValueError) as error:
        return protect(_unusable(request, getattr(error, "reason", "unknown")))
    with translation.override(page_language(request, link.candidate)):
        if request.method == "POST":
            return protect(_link_action(request, link))
        return protect(_link_page(request, link))


def _link_page(
    request: HttpRequest, link: MagicLink, *, form: Any = None, error: str = "", status: int = 200
) -> HttpResponse:
    candidate = link.candidate
    context: dict[str, Any] = {"link": link, "error": error}
    if link.scope == MagicLink.Scope.CONSENT:
        context["text"] = consent_text_current(
            organization_id=candidate.organization_id, language=translation.get_language()
        )
        context["state"] = consent_state(candidate=candidate)
    elif link.scope == MagicLink.Scope.FEEDBACK_REQUEST:
        context["form"] = form or FeedbackRequestForm(runner_ups=_runner_ups_to_ask(candidate))
    return render_page(request, LINK_TEMPLATES[link.scope], context, candidate=candidate, status=status)


def _link_action(request: HttpRequest, link: MagicLink) -> HttpResponseBase:
    intent = request.POST.get("intent", "")
    scope = INTENT_SCOPES.get(intent)
    if scope is None:
        return _link_page(request, link, error=_("Choose one of the buttons on this page."), status=400)
    candidate = link.candidate
    form: FeedbackRequestForm | None = None
    text: ConsentText | None = None
    if intent == "consent":
        text = ConsentText.objects.filter(
            pk=_int(request.POST.get("text")), organization_id=candidate.organization_id
        ).first()
        if text is None:
            return _link_page(
                request, link, error=_("The consent text has changed. Read it again."), status=400
            )
    elif intent == "feedback" and scope == link.scope:
        form = FeedbackRequestForm(request.POST, runner_ups=_runner_ups_to_ask(candidate))
        if not form.is_valid():
            return _link_page(request, link, form=form, status=400)
    try:
        with transaction.atomic():
            used = magic_link_consume_by_id(link_id=link.pk, scope=scope)
            if intent == "consent" and text is not None:
                pool_join(candidate=candidate, text=text, actor=CANDIDATE, client_hash=client_hash(request))
                messages.success(request, _("Thank you. You are in our talent pool."))
                target = "candidate-home"
            elif intent == "withdraw":
                pool_leave(candidate=candidate, actor=CANDIDATE, client_hash=client_hash(request))
                messages.success(
                    request, _("Your consent is withdrawn. We will not contact you about new jobs.")
                )
                target = "candidate-consent"
            elif intent == "feedback" and form is not None:
                feedback_request_create(
                    candidate=candidate,
                    runner_up=form.cleaned_data["runner_up"],
                    question=form.cleaned_data["question"],
                    actor=CANDIDATE,
                )
                messages.success(request, _("Thank you. We have your request and will answer you."))
                target = "candidate-feedback"
            else:
                target = "candidate-profile"
    except LinkError as error:
        if error.reason == "wrong_scope":
            return _link_page(request, link, error=_("This link cannot be used for that."), status=400)
        return _unusable(request, error.reason)
    candidate_sign_in(request, used)
    return redirect(target)


@anonymous_page
def link_unusable(request: HttpRequest) -> HttpResponse:
    reason = request.GET.get("reason", "unknown")
    if reason not in UNUSABLE_STATUS:
        reason = "unknown"
    return render_page(
        request,
        "candidate/link_unusable.html",
        {"reason": reason, "form": NewLinkForm()},
        status=UNUSABLE_STATUS[reason],
    )


# New links by email ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@anonymous_page
def new_link(request: HttpRequest, *, ended: bool = False) -> HttpResponse:
    """Ask for a new link. Known or not, every address gets the same answer at the same speed."""
    form = NewLinkForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        ip = client_address(request)
        over_email = rate_limited(f"new-link:email:{email}", limit=NEW_LINKS_PER_EMAIL)
        over_ip = rate_limited(f"new-link:ip:{ip}", limit=NEW_LINKS_PER_IP)
        if over_email or over_ip:
            return render_page(
                request,
                "candidate/new_link.html",
                {"form": form, "too_many": True},
                status=429,
            )
        # Only the address is kept here; the lookup and the email happen after the answer, so it
        # takes as long for a known address as for an unknown one.
        link_request_create(email=email)
        return redirect("candidate-new-link-sent")
    return render_page(
        request, "candidate/new_link.html", {"form": form, "ended": ended}, status=400 if form.errors else 200
    )


@anonymous_page
def new_link_sent(request: HttpRequest) -> HttpResponse:
    return render_page(request, "candidate/new_link_sent.html")


# The signed-in candidate's pages --------------------------------------------------------------


@candidate_required
def home(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    return render_page(
        request, "candidate/home.html", {"state": consent_state(candidate=candidate)}, candidate=candidate
    )


@require_http_methods(["GET", "HEAD", "POST"])
@candidate_required
def consent_page(request: HttpRequest, candidate: Candidate) -> HttpResponseBase:
    text = consent_text_current(
        organization_id=candidate.organization_id, language=translation.get_language()
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "withdraw":
            pool_leave(candidate=candidate, actor=CANDIDATE, client_hash=client_hash(request))
            messages.success(request, _("Your consent is withdrawn. We will not contact you about new jobs."))
            return redirect("candidate-consent")
        agreed = ConsentText.objects.filter(
            pk=_int(request.POST.get("text")), organization_id=candidate.organization_id
        ).first()
        if action == "grant" and agreed is not None:
            pool_join(candidate=candidate, text=agreed, actor=CANDIDATE, client_hash=client_hash(request))
            messages.success(request, _("Thank you. You are in our talent pool."))
            return redirect("candidate-consent")
        messages.error(request, _("The consent text has changed. Read it again."))
        return redirect("candidate-consent")
    state = consent_state(candidate=candidate)
    return render_page(request, "candidate/consent.html", {"text": text, "state": state}, candidate=candidate)


@require_http_methods(["GET", "HEAD", "POST"])
@candidate_required
def profile_page(request: HttpRequest, candidate: Candidate) -> HttpResponseBase:
    language = translation.get_language()
    form = ProfileForm(_posted(request), candidate=candidate, page_language=language)
    if request.method == "POST" and form.is_valid():
        data = form.profile_data()
        if data["location"] != candidate.location:
            # The old coordinates belong to the old place; matching falls back to the place name.
            data.update(latitude=None, longitude=None)
        try:
            candidate_change(candidate=candidate, actor=CANDIDATE, data=data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Your profile is saved."))
            if data["language"] != language:
                request.session[LANGUAGE_KEY] = data["language"]
            return redirect("candidate-profile")
    suggestions = curated_skill_labels(language)
    return render_page(
        request,
        "candidate/profile.html",
        {"form": form, "skill_suggestions": suggestions},
        candidate=candidate,
        status=400 if form.errors else 200,
    )


class CvSizeLimit(FileUploadHandler):
    """Stops reading an upload once it is larger than a CV may be (before it fills a disk)."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # The CSRF check follows (csrf_protect), once the size limit is in place.
def cv_page(request: HttpRequest) -> HttpResponseBase:
    limit = CvSizeLimit(request, limit=settings.CV_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _cv_page(request, limit=limit)


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@candidate_required
def _cv_page(request: HttpRequest, candidate: Candidate, *, limit: CvSizeLimit) -> HttpResponseBase:
    form = CvForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        if limit.exceeded:
            form.errors.pop("cv", None)
            form.add_error("cv", too_large_message(settings.CV_MAX_BYTES))
        elif form.is_valid():
            upload = form.cleaned_data["cv"]
            try:
                if upload.size > settings.CV_MAX_BYTES:
                    raise CvRejected("too_large", too_large_message(settings.CV_MAX_BYTES))
                kept = cv_upload(candidate=candidate, data=upload.read(), actor=CANDIDATE)
            except CvRejected as rejected:
                form.add_error("cv", str(rejected.message))
            else:
                if isinstance(kept, PendingCv):
                    return redirect("candidate-cv-confirm")
                messages.success(request, _("Thank you. Your new CV has replaced the old one."))
                return redirect("candidate-cv")
    cv = CvFile.objects.filter(candidate=candidate).first()
    return render_page(
        request,
        "candidate/cv.html",
        {
            "form": form,
            "cv": cv,
            "searchable": bool(candidate.cv_text),
            "pending": cv_pending_find(candidate=candidate),
        },
        candidate=candidate,
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@candidate_required
def cv_confirm_page(request: HttpRequest, candidate: Candidate) -> HttpResponseBase:
    """A CV without readable text: the candidate keeps it anyway, or not. Only a POST decides."""
    if request.method == "POST":
        key = request.POST.get("key", "")
        if request.POST.get("action") == "keep":
            kept = cv_pending_keep(candidate=candidate, key=key, actor=CANDIDATE)
            # A double click: the first request kept it, the second finds nothing left to keep.
            already = CvFile.objects.filter(candidate=candidate, sha256=request.POST.get("sha256", "-"))
            if kept is None and not already.exists():
                messages.error(request, _("That file is no longer waiting. Upload it again."))
            else:
                messages.success(
                    request,
                    _("Thank you. Your new CV has replaced the old one; its text could not be read."),
                )
        else:
            cv_pending_drop(candidate=candidate, key=key)
            messages.info(request, _("The file was not kept. Your CV is as it was."))
        return redirect("candidate-cv")
    pending = cv_pending_find(candidate=candidate)
    if pending is None:
        return redirect("candidate-cv")
    return render_page(request, "candidate/cv_confirm.html", {"pending": pending}, candidate=candidate)


def _runner_ups_to_ask(candidate: Candidate) -> Any:
    """The candidate's applications without an open feedback request."""
    open_requests = FeedbackRequest.objects.filter(candidate=candidate, status=FeedbackRequest.Status.OPEN)
    return (
        RunnerUp.objects.filter(candidate=candidate)
        .exclude(pk__in=open_requests.values("runner_up_id"))
        .select_related("opening")
        .order_by("-decided_at", "-id")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@candidate_required
def feedback_page(request: HttpRequest, candidate: Candidate) -> HttpResponseBase:
    form = FeedbackRequestForm(_posted(request), runner_ups=_runner_ups_to_ask(candidate))
    if request.method == "POST" and form.is_valid():
        feedback_request_create(
            candidate=candidate,
            runner_up=form.cleaned_data["runner_up"],
            question=form.cleaned_data["question"],
            actor=CANDIDATE,
        )
        messages.success(request, _("Thank you. We have your request and will answer you."))
        return redirect("candidate-feedback")
    requests = (
        FeedbackRequest.objects.filter(candidate=candidate)
        .select_related("runner_up__opening")
        .order_by("-created_at", "-id")
    )
    return render_page(
        request,
        "candidate/feedback.html",
        {"form": form, "requests": requests, "can_ask": form.fields["runner_up"].queryset.exists()},  # type: ignore[attr-defined]
        candidate=candidate,
        status=400 if form.errors else 200,
    )


@candidate_required
def data_page(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    return render_page(request, "candidate/data.html", {"erase_form": EraseForm()}, candidate=candidate)


@require_POST
@candidate_required
def data_export(request: HttpRequest, candidate: Candidate) -> HttpResponseBase:
    archive = candidate_export_archive_download(candidate=candidate, actor=CANDIDATE)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-data.zip"'
    return response


@require_POST
def data_erase(request: HttpRequest) -> HttpResponseBase:
    # A second click (a double click, or one racing the first) sees the same page.
    if request.session.get(ERASED_KEY) or signed_in_candidate_gone(request):
        return protect(redirect("candidate-erased"))
    return _data_erase(request)


@candidate_required
def _data_erase(request: HttpRequest, candidate: Candidate) -> HttpResponseBase:
    form = EraseForm(request.POST)
    if not form.is_valid():
        return render_page(
            request, "candidate/data.html", {"erase_form": form}, candidate=candidate, status=400
        )
    request.session[LANGUAGE_KEY] = translation.get_language()
    candidate_erase(candidate=candidate, actor=CANDIDATE, reason="request")
    # Signed out, but the session stays (not flushed): a second click racing this one loads it
    # and finds the same answer.
    request.session.pop(SESSION_KEY, None)
    request.session[ERASED_KEY] = True
    return redirect("candidate-erased")


@anonymous_page
def erased(request: HttpRequest) -> HttpResponse:
    return render_page(request, "candidate/erased.html")


# Language and signing out ---------------------------------------------------------------------


@require_POST
def language_set(request: HttpRequest) -> HttpResponseBase:
    code = request.POST.get("language", "")
    if code in {code for code, _name in settings.LANGUAGES}:
        request.session[LANGUAGE_KEY] = code
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("candidate-home")
    return protect(redirect(target))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    candidate_sign_out(request)
    return protect(redirect("candidate-new-link"))


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (a bound form, even when empty); None for other methods."""
    return request.POST if request.method == "POST" else None


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
