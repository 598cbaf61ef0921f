"""The pool search page: a form over the pool's search, facets, results, and saved searches."""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from elastic_transport import TransportError
from elasticsearch import ApiError

from talentpool.candidates.models import Candidate
from talentpool.candidates.places import PLACES, place_coordinates
from talentpool.candidates.selectors import saved_search_list
from talentpool.candidates.services import saved_search_create
from talentpool.core.admin_scoping import OrganizationScopedAdmin, organization_ids
from talentpool.core.models import Organization
from talentpool.openings.models import RunnerUp
from talentpool.search.selectors import (
    MAX_RESULT_WINDOW,
    CandidateQuery,
    CandidateSearchResult,
    SearchQueryError,
    candidate_search,
)
from talentpool.skills.labels import skill_concepts, skill_label

logger = logging.getLogger(__name__)


PAGE_SIZE = 20
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
                "url": reverse("admin:candidates_candidate_overview", args=[hit.candidate_id]),
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


class CandidateSearchViews(OrganizationScopedAdmin[Candidate]):
    """The candidate admin's search page (``search/``)."""

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
