"""A decision's review: the structured feedback and the drafted warm rejection side by side.

The recruiter edits either, approves both with one click (or many from the runner-up list), and
sees when the message goes out. Every write is a service call: ``feedback_update``,
``feedback_approve``, ``message_edit`` and ``message_approve``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talentpool.core.actors import Actor
from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.flows.decision import decision_feedback_approve
from talentpool.messaging.drafting import message_approve, message_edit
from talentpool.messaging.models import Message
from talentpool.openings.models import Feedback, FeedbackItem, RunnerUp
from talentpool.openings.services import feedback_update

DECISION_KINDS = [Message.Kind.WARM_REJECTION, Message.Kind.FEEDBACK]


def decision_messages(runner_up: RunnerUp) -> list[Message]:
    """The messages about a decision (warm rejection, feedback), newest first."""
    return list(
        Message.objects.filter(
            candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id, kind__in=DECISION_KINDS
        ).order_by("-created_at", "-id")
    )


def decision_approve(*, runner_up: RunnerUp, actor: Actor) -> list[Message]:
    """Approve the decision's draft feedback, then its draft messages; return the messages approved.

    Feedback goes first, through the decision flow, which drafts the warm rejection again with it:
    that new draft is the one approved. The recruiter read the feedback beside the message on the
    review page, so its language is taken as confirmed.
    """
    feedback = Feedback.objects.filter(runner_up=runner_up).first()
    if feedback is not None and feedback.status == Feedback.Status.DRAFT:
        decision_feedback_approve(feedback=feedback, actor=actor, language_confirmed=True)
    approved = []
    for message in decision_messages(runner_up):
        if message.status == Message.Status.DRAFT and message_approve(message=message, actor=actor):
            approved.append(message)
    return approved


def when_text(message: Message) -> str:
    if message.scheduled_at is None:
        return ""
    return date_format(timezone.localtime(message.scheduled_at), "DATETIME_FORMAT")


class RunnerUpReviewViews(OrganizationScopedAdmin[RunnerUp]):
    """The runner-up admin's review page (``<id>/review/``) and the bulk approval."""

    def review_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        runner_up = self.get_object(request, str(object_id))
        if runner_up is None or not self.has_view_permission(request, runner_up):
            raise Http404("No such decision.")
        can_change = self.has_change_permission(request, runner_up)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            self._review_save(request, runner_up)
            return HttpResponseRedirect(reverse("admin:openings_runnerup_review", args=[runner_up.pk]))
        feedback = Feedback.objects.filter(runner_up=runner_up).first()
        items: dict[str, list[FeedbackItem]] = {kind: [] for kind in FeedbackItem.Kind.values}
        if feedback is not None:
            for item in feedback.items.order_by("position", "id"):
                items[item.kind].append(item)
        found = decision_messages(runner_up)
        draft = next((m for m in found if m.status == Message.Status.DRAFT), None)
        following = (
            self.get_queryset(request)
            .filter(decided_at__lte=runner_up.decided_at, feedback__status=Feedback.Status.DRAFT)
            .exclude(pk=runner_up.pk)
            .order_by("-decided_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("%(name)s, runner-up for %(opening)s")
            % {"name": runner_up.candidate.full_name, "opening": runner_up.opening.title},
            "opts": self.opts,
            "original": runner_up,
            "runner_up": runner_up,
            "feedback": feedback,
            "strengths": items[FeedbackItem.Kind.STRENGTH],
            "development_areas": items[FeedbackItem.Kind.DEVELOPMENT_AREA],
            "next_steps": items[FeedbackItem.Kind.NEXT_STEP],
            "draft": draft,
            "others": [m for m in found if m is not draft],
            "can_change": can_change,
            "next_id": following,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/openings/runnerup/review.html", context)

    def _review_save(self, request: HttpRequest, runner_up: RunnerUp) -> None:
        actor = self.actor(request)
        post = request.POST
        try:
            feedback = Feedback.objects.filter(runner_up=runner_up).first()
            if feedback is not None and "free_text" in post and feedback.status != Feedback.Status.SENT:
                feedback_update(
                    feedback=feedback,
                    actor=actor,
                    data={
                        "free_text": str(post.get("free_text", "")).strip(),
                        "share_with_candidate": post.get("share_with_candidate") == "on",
                    },
                )
            draft = Message.objects.filter(
                pk=str(post.get("message", "") or 0), status=Message.Status.DRAFT
            ).first()
            if draft is not None and draft.candidate_id == runner_up.candidate_id and "subject" in post:
                message_edit(
                    message=draft,
                    actor=actor,
                    subject=str(post.get("subject", "")),
                    body_text=str(post.get("body_text", "")),
                )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return
        if "approve" not in post:
            messages.success(request, _("Saved."))
            return
        approved = decision_approve(runner_up=runner_up, actor=actor)
        if approved:
            messages.success(
                request,
                _("Approved. The message goes out %(when)s.") % {"when": when_text(approved[0])},
            )
        else:
            messages.success(request, _("Approved the feedback."))

    def approve_decisions(self, request: HttpRequest, queryset: QuerySet[RunnerUp]) -> None:
        """Approve the feedback and the drafted messages of each selected decision."""
        actor = self.actor(request)
        count = 0
        for runner_up in queryset:
            if self.has_change_permission(request, runner_up):
                count += len(decision_approve(runner_up=runner_up, actor=actor))
        self.message_user(
            request,
            ngettext(
                "Approved %(count)d message; it goes out at the next allowed time.",
                "Approved %(count)d messages; each goes out at the next allowed time.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
