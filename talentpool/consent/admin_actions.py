"""The recruiter's way to erase candidates: an admin action with a confirmation page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talentpool.candidates.models import Candidate
from talentpool.consent.services import candidate_erase
from talentpool.core.actors import Actor


@admin.action(description=_("Erase the selected candidates and all their data"), permissions=["delete"])
def candidate_erase_action(
    modeladmin: admin.ModelAdmin[Candidate], request: HttpRequest, queryset: QuerySet[Candidate]
) -> TemplateResponse | None:
    """Ask first; on confirmation erase each candidate (rows, CV file, index document)."""
    if request.POST.get("confirm") != "yes":
        context: dict[str, Any] = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Erase candidates"),
            "opts": modeladmin.model._meta,
            "candidates": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": request.POST.get("action", "candidate_erase_action"),
        }
        request.current_app = modeladmin.admin_site.name
        return TemplateResponse(request, "admin/consent/erase_confirmation.html", context)
    actor = Actor.user(request.user)
    erased = sum(candidate_erase(candidate=each, actor=actor, reason="recruiter") for each in queryset)
    modeladmin.message_user(
        request,
        ngettext("Erased %(count)d candidate.", "Erased %(count)d candidates.", erased) % {"count": erased},
        messages.SUCCESS,
    )
    return None
