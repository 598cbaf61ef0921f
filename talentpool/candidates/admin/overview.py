"""The candidate page: profile, consent badge, runner-up history, timeline, and its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate, CvFile
from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.flows.rights import candidate_export_download
from talentpool.messaging.drafting import FeedbackStillDraft, message_approve, opening_invitation_draft
from talentpool.messaging.models import Message
from talentpool.openings.models import Opening
from talentpool.openings.selectors import opening_list_open
from talentpool.workspace.overview import (
    candidate_consent_badge,
    candidate_runner_up_list,
    candidate_skill_labels,
    candidate_timeline,
)

OPENING_CHOICES = 100  # open openings offered for an invitation on the candidate page


class CandidateOverviewViews(OrganizationScopedAdmin[Candidate]):
    """The candidate admin's overview page (``<id>/overview/``), its actions and the export."""

    def _candidate_or_404(self, request: HttpRequest, object_id: int, *, change: bool = False) -> Candidate:
        """The candidate if the user may see (with ``change``: change) it; another organization's is a 404."""
        candidate = self.get_object(request, str(object_id))
        if candidate is None or not self.has_view_permission(request, candidate):
            raise Http404("No such candidate.")
        if change and not self.has_change_permission(request, candidate):
            raise PermissionDenied
        return candidate

    def overview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The candidate page: profile, consent badge, runner-up history, timeline and actions."""
        candidate = self._candidate_or_404(request, object_id)
        now = timezone.now()
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": candidate.full_name,
            "opts": self.opts,
            "original": candidate,
            "candidate": candidate,
            "badge": candidate_consent_badge(candidate=candidate, now=now),
            "runner_ups": list(candidate_runner_up_list(candidate=candidate)),
            "timeline": candidate_timeline(candidate=candidate),
            "skill_labels": candidate_skill_labels(candidate, (get_language() or "en")[:2]),
            "cv_file": CvFile.objects.filter(candidate=candidate).first(),
            "can_change": self.has_change_permission(request, candidate),
            "openings": list(
                opening_list_open(organization_id=candidate.organization_id).only("id", "title")[
                    :OPENING_CHOICES
                ]
            ),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/candidates/candidate/overview.html", context)

    def overview_approve_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Approve one of the candidate's draft messages (POST), then back to the candidate page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._candidate_or_404(request, object_id, change=True)
        message_id = str(request.POST.get("message", ""))
        message = (
            Message.objects.filter(candidate=candidate, pk=message_id).first()
            if message_id.isdigit()
            else None
        )
        if message is None:
            raise Http404("No such message.")
        try:
            approved = message_approve(message=message, actor=self.actor(request))
        except FeedbackStillDraft:
            messages.warning(
                request,
                _(
                    "Its feedback is still a draft: approve the feedback first, or approve the message "
                    "from the list of messages, which asks you to confirm."
                ),
            )
            return HttpResponseRedirect(reverse("admin:candidates_candidate_overview", args=[candidate.pk]))
        if approved:
            messages.success(
                request,
                _("Approved the message; it goes out at %(when)s")
                % {"when": date_format(timezone.localtime(message.scheduled_at), "DATETIME_FORMAT")},
            )
        else:
            messages.warning(request, _("That message is no longer a draft."))
        return HttpResponseRedirect(reverse("admin:candidates_candidate_overview", args=[candidate.pk]))

    def overview_invite_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Draft an invitation to apply for one of the organization's open openings (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._candidate_or_404(request, object_id, change=True)
        opening_id = str(request.POST.get("opening", ""))
        opening = (
            Opening.objects.filter(organization_id=candidate.organization_id, pk=opening_id).first()
            if opening_id.isdigit()
            else None
        )
        if opening is None:
            messages.error(request, _("Choose one of the organization's openings."))
        else:
            try:
                opening_invitation_draft(
                    candidate=candidate,
                    opening=opening,
                    actor=self.actor(request),
                    sender=request.user if isinstance(request.user, User) else None,
                )
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
            else:
                messages.success(
                    request,
                    _("Drafted an invitation to apply for “%(opening)s”.") % {"opening": opening.title},
                )
        return HttpResponseRedirect(reverse("admin:candidates_candidate_overview", args=[candidate.pk]))

    def export_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Everything held about the candidate, as a JSON download."""
        candidate = self._candidate_or_404(request, object_id)
        data = candidate_export_download(candidate=candidate, actor=self.actor(request))
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.json"'
        return response
