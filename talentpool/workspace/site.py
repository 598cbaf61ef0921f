"""The admin site of the workspace: a recruiter's work first, configuration and system for admins.

The navigation (the index page and the sidebar) groups the models into three sections instead
of one per app. Recruiters see their work; the organization's admins (and superusers) also see
the configuration and, last, the system's records (audit trail, magic links, deliveries).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext_lazy as _

from talentpool.core.actors import Actor
from talentpool.core.admin_scoping import organization_ids
from talentpool.core.models import Language
from talentpool.core.selectors import ADMIN_ROLES
from talentpool.core.services import membership_language_set
from talentpool.workspace.middleware import user_membership

# (model, label or None for the model's own name, query string), in the order shown.
WORK: list[tuple[str, Any, str]] = [
    ("candidates.candidate", None, ""),
    ("openings.opening", _("Openings and matches"), ""),
    ("matching.matchalert", None, "?status__exact=NEW"),
    ("openings.runnerup", _("Runner-ups and feedback"), ""),
    ("openings.feedback", None, ""),
    ("messaging.message", _("Messages to review"), "?status__exact=DRAFT"),
    ("messaging.feedbackrequest", None, ""),
    ("candidates.savedsearch", None, ""),
]
CONFIGURATION = [
    "core.organization",
    "core.membership",
    "messaging.messagetemplate",
    "consent.consenttext",
    "core.apikey",
    "api.atsconnection",
    "webhooks.webhookendpoint",
]
# Everything else registered is under System.


class ProfileForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser")), *Language.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class WorkspaceAdminSite(admin.AdminSite):
    site_header = "talentpool"
    site_title = "talentpool"
    index_title = _("Talent pool")
    site_url = None  # no public site to view: the candidates' pages open from their links

    def is_organization_admin(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or organization_ids(request, roles=ADMIN_ROLES))

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models: dict[str, dict[str, Any]] = {}
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                models[f"{app['app_label']}.{model['model']._meta.model_name}"] = model
        work = self._work_entries(request, models)
        sections = [self._section("work", _("Your work"), work)] if work else []
        if self.is_organization_admin(request):
            configuration = [models.pop(name) for name in CONFIGURATION if name in models]
            system = sorted(models.values(), key=lambda model: str(model["name"]).lower())
            sections += [
                self._section("configuration", _("Configuration"), configuration),
                self._section("system", _("System"), system),
            ]
        return [section for section in sections if section["models"]]

    def _work_entries(self, request: HttpRequest, models: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        if not (request.user.is_superuser or organization_ids(request)):
            return []
        entries = [
            self._link(_("Dashboard"), reverse("admin_dashboard"), "dashboard"),
            self._link(_("Search the pool"), reverse("admin:candidates_candidate_search"), "search"),
        ]
        for name, label, query in WORK:
            model = models.pop(name, None)
            if model is None:
                continue
            entry = dict(model)
            if label is not None:
                entry["name"] = label
            if query and entry.get("admin_url"):
                entry["admin_url"] = entry["admin_url"] + query
            entries.append(entry)
        return entries

    def _link(self, name: Any, url: str, object_name: str) -> dict[str, Any]:
        return {
            "name": name,
            "object_name": object_name,
            "perms": {"view": True},
            "admin_url": url,
            "add_url": None,
            "view_only": True,
        }

    def _section(self, label: str, name: Any, models: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "name": name,
            "app_label": label,
            "app_url": reverse("admin:index", current_app=self.name),
            "has_module_perms": True,
            "models": models,
        }

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [path("profile/", self.admin_view(self.profile_view), name="profile"), *super().get_urls()]

    def profile_view(self, request: HttpRequest) -> HttpResponse:
        """The user's own settings: the admin's language."""
        membership = user_membership(request)
        form = ProfileForm(
            request.POST or None, initial={"language": membership.language if membership else ""}
        )
        if request.method == "POST" and form.is_valid() and membership is not None:
            membership_language_set(
                user_id=membership.user_id,
                language=form.cleaned_data["language"],
                actor=Actor.user(request.user),
            )
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("admin:profile", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Your profile"),
            "form": form,
            "membership": membership,
        }
        return TemplateResponse(request, "admin/profile.html", context)
