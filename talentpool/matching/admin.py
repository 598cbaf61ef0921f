from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from talentpool.core.admin_scoping import OrganizationScopedAdmin
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import reasons_text
from talentpool.matching.services import match_alert_set_status


def readable_reasons(alert: MatchAlert) -> str:
    """The alert's reasons in the recruiter's language; plain-text reasons are shown as they are."""
    reasons = alert.reasons if isinstance(alert.reasons, list) else []
    structured = [reason for reason in reasons if isinstance(reason, dict)]
    plain = [str(reason) for reason in reasons if not isinstance(reason, dict)]
    text = reasons_text(structured, language=get_language() or "en") if structured else ""
    return "; ".join(part for part in (text, *plain) if part)


@admin.register(MatchAlert)
class MatchAlertAdmin(OrganizationScopedAdmin[MatchAlert]):
    list_display = ["candidate", "opening", "score", "status", "why", "created_at"]
    # Only the openings that appear in the (scoped) list are offered, never another organization's.
    list_filter = ["status", ("opening", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["candidate__first_name", "candidate__last_name", "opening__title"]
    list_select_related = ["candidate", "opening", "organization"]
    readonly_fields = ["score", "why", "reasons", "notified_at"]
    actions = ["mark_contacted", "dismiss"]

    @admin.display(description=_("why"))
    def why(self, obj: MatchAlert) -> str:
        return readable_reasons(obj)

    @admin.action(description=_("Mark as contacted"), permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet[MatchAlert]) -> None:
        self._set_status(request, queryset, MatchAlert.Status.CONTACTED)

    @admin.action(description=_("Dismiss"), permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[MatchAlert]) -> None:
        self._set_status(request, queryset, MatchAlert.Status.DISMISSED)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[MatchAlert], status: str) -> None:
        # The queryset is scoped already; a viewer's organizations are skipped as well.
        changed = 0
        for alert in queryset.select_related("organization"):
            if self.has_change_permission(request, alert) and alert.status != status:
                match_alert_set_status(alert=alert, status=status, actor=self.actor(request))
                changed += 1
        message = ngettext("%(count)d match alert changed.", "%(count)d match alerts changed.", changed) % {
            "count": changed
        }
        self.message_user(request, message, messages.SUCCESS if changed else messages.INFO)
