from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import reasons_text
from talentpool.matching.services import match_alert_contact, match_alert_dismiss


def readable_reasons(alert: MatchAlert) -> str:
    """The alert's reasons in the recruiter's language; plain-text reasons are shown as they are."""
    reasons = alert.reasons if isinstance(alert.reasons, list) else []
    structured = [reason for reason in reasons if isinstance(reason, dict)]
    plain = [str(reason) for reason in reasons if not isinstance(reason, dict)]
    text = reasons_text(structured, language=get_language() or "en") if structured else ""
    return "; ".join(part for part in (text, *plain) if part)


@admin.register(MatchAlert)
class MatchAlertAdmin(OrganizationScopedAdmin[MatchAlert]):
    """Match alerts are not edited: they are acted on (contacted, dismissed with a reason) from the
    list or the opening's Matches page, where each row opens."""

    list_display = ["candidate", "opening", "score", "status", "why", "created_at"]
    # Only the openings that appear in the (scoped) list are offered, never another organization's.
    list_filter = ["status", ("opening", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["candidate__first_name", "candidate__last_name", "opening__title"]
    list_select_related = ["candidate", "opening", "organization"]
    list_display_links = None
    actions = ["mark_contacted"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MatchAlert | None = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        alert = self.get_object(request, object_id)
        if alert is None or not self.has_view_permission(request, alert):
            return super().change_view(request, object_id, form_url, extra_context)  # Django's 404 path
        url = reverse("admin:openings_opening_matches", args=[alert.opening_id])
        return HttpResponseRedirect(f"{url}#candidate-{alert.candidate_id}")

    @admin.display(description=_("why"))
    def why(self, obj: MatchAlert) -> str:
        return readable_reasons(obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for value, label in MatchAlert.DismissReason.choices:
            name = f"dismiss_{value.lower()}"
            description = _("Dismiss: %(reason)s") % {"reason": label}
            actions[name] = (self._dismiss_action(value), name, description)  # type: ignore[assignment]
        return actions

    @admin.action(description=_("Mark as contacted"), permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet[MatchAlert]) -> None:
        self._act(
            request, queryset, lambda alert: match_alert_contact(alert=alert, actor=self.actor(request))
        )

    def _dismiss_action(self, reason: str) -> Callable[[Any, HttpRequest, QuerySet[MatchAlert]], None]:
        def dismiss(modeladmin: Any, request: HttpRequest, queryset: QuerySet[MatchAlert]) -> None:
            self._act(
                request,
                queryset,
                lambda alert: match_alert_dismiss(alert=alert, reason=reason, actor=self.actor(request)),
            )

        return dismiss

    def _act(
        self, request: HttpRequest, queryset: QuerySet[MatchAlert], act: Callable[[MatchAlert], Any]
    ) -> None:
        # The queryset is scoped already; a viewer's organizations are skipped as well.
        changed = 0
        for alert in queryset.select_related("organization"):
            if self.has_change_permission(request, alert):
                before = (alert.status, alert.dismiss_reason)
                act(alert)
                changed += before != (alert.status, alert.dismiss_reason)
        message = ngettext("%(count)d match alert changed.", "%(count)d match alerts changed.", changed) % {
            "count": changed
        }
        self.message_user(request, message, messages.SUCCESS if changed else messages.INFO)
