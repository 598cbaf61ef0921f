from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q as DbQ
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from elastic_transport import TransportError
from elasticsearch import ApiError

from talentpool.candidates.models import Candidate, CvFile, SavedSearch
from talentpool.candidates.places import PLACES, place_coordinates
from talentpool.candidates.selectors import saved_search_list
from talentpool.candidates.services import candidate_create, candidate_update, saved_search_create
from talentpool.consent.admin_actions import candidate_erase_action
from talentpool.consent.export import candidate_export
from talentpool.consent.requests import consent_request_send
from talentpool.consent.services import candidate_erase
from talentpool.core.admin_scoping import OrganizationScopedAdmin, concrete_changes, organization_ids
from talentpool.core.models import Organization
from talentpool.core.services import audit_record
from talentpool.messaging.models import Message
from talentpool.messaging.services import message_approve, message_approve_many, opening_invitation_draft
from talentpool.openings.models import Opening, RunnerUp
from talentpool.search.selectors import (
    MAX_RESULT_WINDOW,
    CandidateQuery,
    CandidateSearchResult,
    SearchQueryError,
    candidate_search,
)
from talentpool.skills.labels import skill_concepts, skill_label
from talentpool.workspace.overview import (
    candidate_consent_badge,
    candidate_runner_up_list,
    candidate_timeline,
)

logger = logging.getLogger(__name__)


class InPoolFilter(admin.SimpleListFilter):
    title = _("talent pool")
    parameter_name = "in_pool"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In the pool")), ("no", _("Not in the pool"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(consent_expires_at__gt=now)
        if self.value() == "no":
            return queryset.exclude(consent_expires_at__gt=now)
        return queryset


class CvFileInline(admin.StackedInline[CvFile, Candidate]):
    model = CvFile
    extra = 0
    fields = ["file", "content_type", "size", "extracted_at"]
    readonly_fields = ["file", "content_type", "size", "extracted_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


PAGE_SIZE = 20
OPENING_CHOICES = 100  # open openings offered for an invitation on the candidate page
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("updated", _("Recently updated")),
    ("experience", _("Most experience")),
    ("consent_expiry", _("Consent expires soonest")),
]
# What the search service refuses, by the part of the query, in the recruiter's language.
QUERY_ERRORS = {
    "sort": _("Choose an order from the list."),
    "page": _("That page is beyond the results that can be shown; narrow the search instead."),
}
_MARK = re.compile(r"(</?mark>)")


def split_list(value: str) -> list[str]:
    """The parts of a comma-separated field, trimmed, without blanks."""
    return [part.strip() for part in value.split(",") if part.strip()]


def highlight_html(fragment: str) -> SafeString:
    """A highlight fragment as safe HTML: only its ``<mark>`` tags stay markup.

    The engine escapes the text (encoder "html"); unescaping and escaping again keeps that
    right even for an engine that did not, so a candidate's text can never become markup.
    """
    parts = _MARK.split(fragment)
    return mark_safe(  # noqa: S308 - every part but the mark tags is escaped here
        "".join(part if part in ("<mark>", "</mark>") else escape(html.unescape(part)) for part in parts)
    )


class CandidateSearchForm(forms.Form):
    """The recruiter's search screen: every field optional, bad input reported on its field."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    skills = forms.CharField(
        label=_("All of these skills"), required=False, max_length=500, help_text=_("Separate with commas.")
    )
    any_skills = forms.CharField(
        label=_("Any of these skills"), required=False, max_length=500, help_text=_("Separate with commas.")
    )
    languages = forms.CharField(
        label=_("Speaks"), required=False, max_length=100, help_text=_("Language codes, such as da, sv, en.")
    )
    near = forms.CharField(
        label=_("Near"),
        required=False,
        max_length=100,
        help_text=_("A city, or latitude,longitude."),
        widget=forms.TextInput(attrs={"list": "places"}),
    )
    within_km = forms.FloatField(label=_("Within (km)"), required=False, min_value=1, max_value=2000)
    years_min = forms.IntegerField(
        label=_("Years of experience, at least"), required=False, min_value=0, max_value=70
    )
    years_max = forms.IntegerField(
        label=_("Years of experience, at most"), required=False, min_value=0, max_value=70
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Any of these; separate with commas.")
    )
    stage = forms.ChoiceField(
        label=_("Stage reached"), required=False, choices=[("", _("Any stage")), *RunnerUp.Stage.choices]
    )
    expiring_before = forms.DateField(
        label=_("Consent expires before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def clean_near(self) -> tuple[float, float] | None:
        text = self.cleaned_data.get("near", "")
        if not text:
            return None
        point = place_coordinates(text)
        if point is None:
            raise ValidationError(
                _("Unknown place “%(place)s”: choose a city from the list or write latitude,longitude."),
                params={"place": text},
                code="unknown_place",
            )
        return point

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("years_min"), cleaned.get("years_max")
        if low is not None and high is not None and low > high:
            self.add_error("years_max", _("The most years must not be fewer than the least."))
        return cleaned

    def to_query(self) -> CandidateQuery:
        data = self.cleaned_data
        before: dt.date | None = data.get("expiring_before")
        return CandidateQuery(
            text=data.get("q", ""),
            skills_all=split_list(data.get("skills", "")),
            skills_any=split_list(data.get("any_skills", "")),
            languages=split_list(data.get("languages", "")),
            near=data.get("near"),
            within_km=data.get("within_km") or 50.0,
            years_min=data.get("years_min"),
            years_max=data.get("years_max"),
            tags=split_list(data.get("tags", "")),
            stages=[data["stage"]] if data.get("stage") else [],
            consent_expires_before=(
                timezone.make_aware(dt.datetime.combine(before, dt.time.min)) if before else None
            ),
            sort=data.get("sort") or "relevance",
            page=data.get("page") or 1,
            page_size=PAGE_SIZE,
        )


SEARCH_FIELDS = tuple(CandidateSearchForm.base_fields)
SAVED_FIELDS = tuple(name for name in SEARCH_FIELDS if name != "page")


class TagForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=50)

    def clean_tag(self) -> str:
        tag = str(self.cleaned_data["tag"]).strip()
        if not tag:
            raise ValidationError(_("Write a tag."), code="required")
        return tag


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    shared = forms.BooleanField(label=_("Share with my organization"), label_suffix="", required=False)


def search_url(params: QueryDict | dict[str, Any], **changes: Any) -> str:
    """The search page's query string for ``params`` with ``changes``, back on the first page."""
    query = QueryDict(mutable=True)
    for name in ("organization", *SEARCH_FIELDS):
        value = params.get(name)
        if value not in (None, ""):
            query[name] = str(value)
    query.pop("page", None)
    for name, value in changes.items():
        query[name] = str(value)
    return f"?{query.urlencode()}"


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def facet_groups(params: QueryDict, result: CandidateSearchResult, language: str) -> list[dict[str, Any]]:
    """The facets with counts; each value links to the search with that filter added."""
    chosen_skills = set(skill_concepts(split_list(params.get("skills", ""))))
    chosen_languages = {code.lower() for code in split_list(params.get("languages", ""))}
    chosen_tags = set(split_list(params.get("tags", "")))
    places = {name.casefold(): name for name in PLACES}

    def added(name: str, value: str) -> str:
        return search_url(params, **{name: ", ".join([*split_list(params.get(name, "")), value])})

    groups: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    for key, count in result.facets.get("skills", []):
        label = skill_label(key, language)
        url = None if key in chosen_skills else added("skills", label)
        values.append({"label": label, "count": count, "url": url})
    groups.append({"title": _("Skills"), "values": values})
    values = []
    for code, count in result.facets.get("languages", []):
        url = None if code in chosen_languages else added("languages", code)
        values.append({"label": language_name(code), "count": count, "url": url})
    groups.append({"title": _("Languages"), "values": values})
    values = []
    for place, count in result.facets.get("locations", []):
        known = places.get(place.casefold())
        url = search_url(params, near=known) if known and params.get("near") != known else None
        values.append({"label": place, "count": count, "url": url})
    groups.append({"title": _("Locations"), "values": values})
    values = []
    for stage, count in result.facets.get("stages", []):
        stage_label = str(RunnerUp.Stage(stage).label) if stage in RunnerUp.Stage.values else stage
        url = None if params.get("stage") == stage else search_url(params, stage=stage)
        values.append({"label": stage_label, "count": count, "url": url})
    groups.append({"title": _("Stage reached"), "values": values})
    values = []
    for tag, count in result.facets.get("tags", []):
        values.append(
            {"label": tag, "count": count, "url": None if tag in chosen_tags else added("tags", tag)}
        )
    groups.append({"title": _("Tags"), "values": values})
    return [group for group in groups if group["values"]]


def result_rows(result: CandidateSearchResult, language: str) -> list[dict[str, Any]]:
    rows = []
    for hit in result.hits:
        source = hit.source
        expires = source.get("consent_expires_at")
        rows.append(
            {
                "url": reverse("admin:candidates_candidate_change", args=[hit.candidate_id]),
                "name": source.get("name", ""),
                "headline": source.get("headline", ""),
                "location": source.get("location_text", ""),
                "years": source.get("years_of_experience"),
                "skills": [skill_label(key, language) for key in source.get("skills", [])],
                "consent_expires_at": dt.datetime.fromisoformat(expires) if expires else None,
                # The same words often match in several fields; show each fragment once.
                "highlights": [
                    highlight_html(fragment)
                    for fragment in dict.fromkeys(
                        fragment for fragments in hit.highlights.values() for fragment in fragments
                    )
                ],
            }
        )
    return rows


def search_organization(request: HttpRequest, organizations: list[Organization]) -> Organization | None:
    """The organization to search: the one asked for (a 404 if not the user's), else the first."""
    wanted = request.GET.get("organization", "")
    if not wanted:
        return organizations[0] if organizations else None
    for organization in organizations:
        if str(organization.pk) == wanted:
            return organization
    raise Http404("No such organization.")


@admin.register(Candidate)
class CandidateAdmin(OrganizationScopedAdmin[Candidate]):
    change_list_template = "admin/candidates/candidate/change_list.html"
    change_form_template = "admin/candidates/candidate/change_form.html"
    actions = ["approve_messages", "tag_candidates", "request_consent", candidate_erase_action]
    list_display = [
        "full_name",
        "headline",
        "location",
        "language",
        "in_pool",
        "consent_expires_at",
        "updated_at",
    ]
    list_filter = [InPoolFilter, "language", "source"]
    search_fields = ["first_name", "last_name", "email", "headline", "external_id"]
    readonly_fields = ["consent_expires_at", "indexed_at", "created_at", "updated_at"]
    list_select_related = ["organization"]
    inlines = [CvFileInline]
    fieldsets = [
        (None, {"fields": ["organization", ("first_name", "last_name"), ("email", "phone"), "language"]}),
        (
            _("Profile"),
            {"fields": ["headline", "skills", "languages", "years_of_experience", "availability", "tags"]},
        ),
        (_("Location"), {"fields": ["location", ("latitude", "longitude")]}),
        (_("CV and links"), {"fields": ["cv_text", "links"], "classes": ["collapse"]}),
        (_("Source"), {"fields": [("source", "external_id")]}),
        (_("Talent pool"), {"fields": ["consent_expires_at", "indexed_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("in pool"), boolean=True)
    def in_pool(self, obj: Candidate) -> bool:
        return obj.is_in_pool()

    # The delete button and "delete selected" erase, as the erase action does: rows, CV files,
    # the index document, pending messages and links, and an audit event without personal data.
    # Erasure is allowed to whoever may delete the candidate, whatever the admin allows for the
    # rows it takes along (consent events, for one, cannot be deleted on their own).
    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], Any]:
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Candidate) -> None:
        candidate_erase(candidate=obj, actor=self.actor(request), reason="recruiter")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        actor = self.actor(request)
        for candidate in queryset:
            candidate_erase(candidate=candidate, actor=actor, reason="recruiter")

    @admin.action(
        description=_("Approve and send the selected candidates' draft messages"), permissions=["change"]
    )
    def approve_messages(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        """Approve every draft to the selected candidates; each goes out now or at the next humane hour."""
        drafts = Message.objects.filter(candidate__in=queryset, status=Message.Status.DRAFT)
        approved = message_approve_many(messages=list(drafts), actor=self.actor(request))
        self.message_user(
            request,
            ngettext("Approved %(count)d message.", "Approved %(count)d messages.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )

    @admin.action(description=_("Tag the selected candidates"), permissions=["change"])
    def tag_candidates(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> TemplateResponse | None:
        """Ask for the tag first; on submission add it to each candidate that lacks it."""
        form = TagForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context: dict[str, Any] = {
                **self.admin_site.each_context(request),
                "title": _("Tag candidates"),
                "opts": self.opts,
                "form": form,
                "candidates": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/candidates/candidate/tag.html", context)
        tag = form.cleaned_data["tag"]
        actor = self.actor(request)
        tagged = 0
        for candidate in queryset:
            if tag not in candidate.tags:
                candidate_update(candidate=candidate, actor=actor, data={"tags": [*candidate.tags, tag]})
                tagged += 1
        self.message_user(
            request,
            ngettext(
                "Tagged %(count)d candidate “%(tag)s”.", "Tagged %(count)d candidates “%(tag)s”.", tagged
            )
            % {"count": tagged, "tag": tag},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Ask the selected candidates to join the pool"), permissions=["change"])
    def request_consent(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        """Email each candidate a link to consent; report those it could not be sent to."""
        actor = self.actor(request)
        sent = 0
        for candidate in queryset:
            try:
                consent_request_send(candidate=candidate, actor=actor)
            except ValidationError as refused:
                self.message_user(request, f"{candidate}: {' '.join(refused.messages)}", messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "Sent a consent request to %(count)d candidate.",
                    "Sent consent requests to %(count)d candidates.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("search/", view(self.search_view), name="candidates_candidate_search"),
            path("<int:object_id>/overview/", view(self.overview_view), name="candidates_candidate_overview"),
            path(
                "<int:object_id>/overview/approve/",
                view(self.overview_approve_view),
                name="candidates_candidate_overview_approve",
            ),
            path(
                "<int:object_id>/overview/invite/",
                view(self.overview_invite_view),
                name="candidates_candidate_overview_invite",
            ),
            path("<int:object_id>/export/", view(self.export_view), name="candidates_candidate_export"),
            *super().get_urls(),
        ]

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
            "can_change": self.has_change_permission(request, candidate),
            "openings": list(
                Opening.objects.filter(organization_id=candidate.organization_id, status=Opening.Status.OPEN)
                .only("id", "title")
                .order_by("title", "id")[:OPENING_CHOICES]
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
        if message_approve(message=message, actor=self.actor(request)):
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
        data = candidate_export(candidate=candidate)
        audit_record(
            organization=candidate.organization_id,
            actor=self.actor(request),
            action="candidate.exported",
            target=candidate,
        )
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.json"'
        return response

    def search_view(self, request: HttpRequest) -> HttpResponse:
        """Search the talent pool of one of the user's organizations; save a search (POST)."""
        user = request.user
        if isinstance(user, AnonymousUser) or not self.has_module_permission(request):
            raise PermissionDenied
        organizations = list(
            Organization.objects.filter(pk__in=organization_ids(request)).order_by("name", "pk")
        )
        organization = search_organization(request, organizations)
        form = CandidateSearchForm(request.GET)
        save_form = SaveSearchForm(request.POST if request.method == "POST" else None)
        valid = form.is_valid()
        if request.method == "POST":
            if organization is None or not valid:
                save_form.add_error(None, _("Correct the search before saving it."))
            elif self._save_search(request, organization, user, save_form):
                return HttpResponseRedirect(request.get_full_path())
        result: CandidateSearchResult | None = None
        error = ""
        if organization is not None and valid:
            try:
                result = candidate_search(organization_id=organization.pk, query=form.to_query())
            except SearchQueryError as bad:
                error = str(QUERY_ERRORS.get(bad.field, bad))
            except (ApiError, TransportError):
                logger.exception("The pool search failed")
                error = str(_("The search engine did not answer. Try again in a moment."))
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Search the talent pool"),
            "opts": self.opts,
            "organizations": organizations if len(organizations) > 1 else [],
            "organization": organization,
            "form": form,
            "save_form": save_form,
            "error": error,
            "result": result,
            "places": list(PLACES),
            "saved_searches": [],
        }
        if organization is not None:
            context["saved_searches"] = [
                {"saved": saved, "url": search_url({**saved.params, "organization": organization.pk})}
                for saved in saved_search_list(
                    organization_id=organization.pk, user_id=user.pk
                ).select_related("owner")
            ]
            if result is not None:
                context.update(self._result_context(request, organization, result))
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/candidates/search.html", context)

    def _save_search(
        self,
        request: HttpRequest,
        organization: Organization,
        user: AbstractBaseUser,
        save_form: SaveSearchForm,
    ) -> bool:
        """Save the current search under the posted name; False (errors on the form) if it cannot be."""
        if not save_form.is_valid():
            return False
        params = {name: value for name in SAVED_FIELDS if (value := request.GET.get(name, "").strip())}
        try:
            saved = saved_search_create(
                organization=organization,
                owner=user,
                name=save_form.cleaned_data["name"],
                params=params,
                shared=save_form.cleaned_data["shared"],
                actor=self.actor(request),
            )
        except ValidationError as invalid:
            save_form.add_error(None, invalid.messages)
            return False
        messages.success(request, _("Saved the search “%(name)s”.") % {"name": saved.name})
        return True

    @staticmethod
    def _result_context(
        request: HttpRequest, organization: Organization, result: CandidateSearchResult
    ) -> dict[str, Any]:
        language = getattr(request, "LANGUAGE_CODE", None) or get_language() or "en"
        params = request.GET.copy()
        params["organization"] = str(organization.pk)
        page_count = max(1, math.ceil(min(result.total, MAX_RESULT_WINDOW) / PAGE_SIZE))
        return {
            "rows": result_rows(result, language),
            "facets": facet_groups(params, result, language),
            "page": result.page,
            "page_count": page_count,
            "previous_url": search_url(params, page=result.page - 1) if result.page > 1 else None,
            "next_url": search_url(params, page=result.page + 1) if result.page < page_count else None,
            "clear_url": search_url({"organization": organization.pk}),
        }

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        data = concrete_changes(form)
        if change:
            candidate_update(candidate=Candidate.objects.get(pk=obj.pk), actor=self.actor(request), data=data)
            return
        data.pop("organization", None)
        created = candidate_create(organization=obj.organization, actor=self.actor(request), data=data)
        obj.pk, obj._state.adding = created.pk, False


@admin.register(CvFile)
class CvFileAdmin(OrganizationScopedAdmin[CvFile]):
    read_only_model = True
    list_display = ["candidate", "organization", "content_type", "size", "created_at"]
    list_select_related = ["candidate", "organization"]


@admin.register(SavedSearch)
class SavedSearchAdmin(OrganizationScopedAdmin[SavedSearch]):
    list_display = ["name", "owner", "organization", "shared", "run", "updated_at"]
    list_filter = ["shared"]
    search_fields = ["name"]
    list_select_related = ["owner", "organization"]
    fields = ["organization", "owner", "name", "params", "shared"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SavedSearch]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(DbQ(owner=request.user.pk) | DbQ(shared=True))

    def get_readonly_fields(self, request: HttpRequest, obj: SavedSearch | None = None) -> Any:
        return ["organization", "owner"] if obj else []

    def has_change_permission(self, request: HttpRequest, obj: SavedSearch | None = None) -> bool:
        # A shared search is the colleague's to see and run, and its owner's to change.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.is_superuser or obj.owner_id == request.user.pk)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "owner":
            # A recruiter saves searches as themselves.
            if not request.user.is_superuser:
                kwargs["queryset"] = get_user_model().objects.filter(pk__in=[request.user.pk])
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("search"))
    def run(self, obj: SavedSearch) -> str:
        url = reverse("admin:candidates_candidate_search") + search_url(
            {**obj.params, "organization": obj.organization_id}
        )
        return format_html('<a href="{}">{}</a>', url, _("Run"))

    def save_model(self, request: HttpRequest, obj: SavedSearch, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = saved_search_create(
            organization=obj.organization,
            owner=obj.owner,
            name=obj.name,
            params=obj.params or {},
            shared=obj.shared,
            actor=self.actor(request),
        )
        obj.pk, obj._state.adding = created.pk, False
