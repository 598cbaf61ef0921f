"""An opening's Matches page: the pool ranked for it, with reasons, runner-up history and gaps.

The engine ranks the pool (``opening_rank``); the page shows the best ``MATCHES_SHOWN`` and reads
their rows in a fixed number of queries, so it costs the same for any pool size.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from elasticsearch import ApiError, TransportError

from talentpool.candidates.models import Candidate
from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.matching.models import GapClosure, MatchAlert
from talentpool.matching.scoring import reasons_text
from talentpool.matching.services import (
    match_alert_contact,
    match_alert_dismiss,
    match_alert_ensure,
    opening_rank,
)
from talentpool.messaging.drafting import opening_invitation_draft
from talentpool.messaging.models import Message
from talentpool.openings.models import FeedbackItem, Opening, RunnerUp
from talentpool.skills.labels import skill_label

logger = logging.getLogger(__name__)

MATCHES_SHOWN = 50


@dataclass
class MatchRow:
    candidate: Candidate
    score: float
    reasons: str
    alert: MatchAlert | None
    runner_ups: list[RunnerUp] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # development areas named in their feedback
    closed_gaps: list[str] = field(default_factory=list)  # ... that their profile now shows

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.score)))

    @property
    def was_runner_up(self) -> bool:
        return bool(self.runner_ups)

    def sort_key(self) -> tuple[int, bool, bool, int]:
        # Past runner-ups first among equals (scores rounded as the bar shows them).
        contact_first = any(runner_up.contact_first for runner_up in self.runner_ups)
        return (-self.percent, not self.was_runner_up, not contact_first, self.candidate.pk)


@dataclass
class MatchPage:
    rows: list[MatchRow]
    ranked: bool  # False when the engine could not be asked: the stored alerts only


def opening_match_page(*, opening: Opening, now: dt.datetime, language: str) -> MatchPage:
    """The opening's best matches with everything the page shows, in a fixed number of queries."""
    ranked = True
    try:
        matches = opening_rank(opening, now=now, enough=None)[:MATCHES_SHOWN]
    except (ApiError, TransportError):
        logger.warning("The opening's matches page could not rank the pool; showing its alerts.")
        matches, ranked = [], False
    scored = {match.candidate_id: (match.score, match.reasons) for match in matches}
    alerts = {
        alert.candidate_id: alert
        for alert in MatchAlert.objects.filter(opening=opening).order_by("-score", "id")[:MATCHES_SHOWN]
    }
    alerts.update(
        {
            alert.candidate_id: alert
            for alert in MatchAlert.objects.filter(opening=opening, candidate_id__in=list(scored))
        }
    )
    ids = list(dict.fromkeys([*scored, *alerts]))
    candidates = Candidate.objects.in_bulk(ids)
    runner_ups: dict[int, list[RunnerUp]] = {}
    for runner_up in (
        RunnerUp.objects.filter(candidate_id__in=ids)
        .select_related("opening", "feedback")
        .order_by("-decided_at", "-id")
    ):
        runner_ups.setdefault(runner_up.candidate_id, []).append(runner_up)
    gaps: dict[int, list[str]] = {}
    for item in FeedbackItem.objects.filter(
        feedback__runner_up__candidate_id__in=ids, kind=FeedbackItem.Kind.DEVELOPMENT_AREA
    ).values("feedback__runner_up__candidate_id", "text"):
        gaps.setdefault(item["feedback__runner_up__candidate_id"], []).append(item["text"])
    closed: dict[int, list[str]] = {}
    for closure in GapClosure.objects.filter(candidate_id__in=ids).values("candidate_id", "concept"):
        closed.setdefault(closure["candidate_id"], []).append(skill_label(closure["concept"], language))
    rows = []
    for candidate_id in ids:
        candidate = candidates.get(candidate_id)
        if candidate is None:
            continue
        alert = alerts.get(candidate_id)
        score, reasons = scored.get(candidate_id) or (
            alert.score if alert else 0.0,
            alert.reasons if alert else [],
        )
        rows.append(
            MatchRow(
                candidate=candidate,
                score=score,
                reasons=reasons_text(reasons if isinstance(reasons, list) else [], language=language),
                alert=alert,
                runner_ups=runner_ups.get(candidate_id, []),
                gaps=list(dict.fromkeys(gaps.get(candidate_id, []))),
                closed_gaps=closed.get(candidate_id, []),
            )
        )
    rows.sort(key=MatchRow.sort_key)
    return MatchPage(rows=rows[:MATCHES_SHOWN], ranked=ranked)


class OpeningMatchesViews(OrganizationScopedAdmin[Opening]):
    """The opening admin's Matches page (``<id>/matches/``) and its actions per person."""

    def _opening_or_404(self, request: HttpRequest, object_id: int, *, change: bool = False) -> Opening:
        opening = self.get_object(request, str(object_id))
        if opening is None or not self.has_view_permission(request, opening):
            raise Http404("No such opening.")
        if change and not self.has_change_permission(request, opening):
            raise PermissionDenied
        return opening

    def matches_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        opening = self._opening_or_404(request, object_id)
        language = (get_language() or "en")[:2]
        page = opening_match_page(opening=opening, now=timezone.now(), language=language)
        invited = set(
            Message.objects.filter(
                opening=opening,
                kind=Message.Kind.OPENING_INVITATION,
                candidate_id__in=[row.candidate.pk for row in page.rows],
            ).values_list("candidate_id", flat=True)
        )
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Matches for %(opening)s") % {"opening": opening.title},
            "opts": self.opts,
            "original": opening,
            "opening": opening,
            "page": page,
            "invited": invited,
            "can_change": self.has_change_permission(request, opening),
            "dismiss_reasons": MatchAlert.DismissReason.choices,
            "statuses": MatchAlert.Status,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/openings/opening/matches.html", context)

    def matches_act_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Invite to apply, mark contacted or dismiss with a reason (POST), then back to the list."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        opening = self._opening_or_404(request, object_id, change=True)
        back = HttpResponseRedirect(
            reverse("admin:openings_opening_matches", args=[opening.pk])
            + f"#candidate-{request.POST.get('candidate', '')}"
        )
        candidate_id = str(request.POST.get("candidate", ""))
        candidate = (
            Candidate.objects.filter(organization_id=opening.organization_id, pk=candidate_id).first()
            if candidate_id.isdigit()
            else None
        )
        if candidate is None:
            raise Http404("No such candidate.")
        actor = self.actor(request)
        action = request.POST.get("action", "")
        try:
            if action == "invite":
                sender = request.user if isinstance(request.user, User) else None
                opening_invitation_draft(candidate=candidate, opening=opening, actor=actor, sender=sender)
                messages.success(
                    request,
                    _("Drafted an invitation to %(name)s; review it under messages.")
                    % {"name": candidate.full_name},
                )
                return back
            alert = match_alert_ensure(opening=opening, candidate_id=candidate.pk, actor=actor)
            if alert is None:
                messages.error(
                    request, _("%(name)s no longer fits this opening.") % {"name": candidate.full_name}
                )
            elif action == "contact":
                match_alert_contact(alert=alert, actor=actor)
                messages.success(request, _("Marked %(name)s as contacted.") % {"name": candidate.full_name})
            elif action == "dismiss":
                match_alert_dismiss(alert=alert, reason=str(request.POST.get("reason", "")), actor=actor)
                messages.success(request, _("Dismissed %(name)s.") % {"name": candidate.full_name})
            else:
                messages.error(request, _("Choose an action."))
        except ValidationError:
            messages.error(
                request,
                _("That could not be done; choose a reason, or check that the person is still in the pool."),
            )
        return back
