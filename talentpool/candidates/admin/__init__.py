"""The candidates in the admin: the list with its actions, the search page and the candidate page."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q as DbQ
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talentpool.candidates.admin.overview import CandidateOverviewViews
from talentpool.candidates.admin.search import CandidateSearchViews, search_url
from talentpool.candidates.models import Candidate, CvFile, SavedSearch
from talentpool.candidates.services import candidate_create, saved_search_create, saved_search_update
from talentpool.core.actors import Actor
from talentpool.core.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedForm,
    concrete_changes,
    organization_ids,
)
from talentpool.core.services import audit_record
from talentpool.flows.profile import candidate_change
from talentpool.flows.rights import candidate_erase
from talentpool.messaging.admin import drafts_approve
from talentpool.messaging.link_emails import consent_request_send
from talentpool.messaging.selectors import message_drafts_to
from talentpool.workspace.forms import LanguagesField, LinesField, SkillLinesField


class InPoolFilter(admin.SimpleListFilter):
    title = _("talent pool")
    parameter_name = "in_pool"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In the pool")), ("no", _("Not in the pool"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.in_pool()
        if self.value() == "no":
            return queryset.out_of_pool()
        return queryset


def cv_download_link(obj: CvFile) -> str:
    """A link to the file through the admin (``CvFileAdmin.download_view``), never to storage."""
    if not obj.pk:
        return ""
    url = reverse("admin:candidates_cvfile_download", args=[obj.pk])
    return format_html('<a href="{}" download>{}</a>', url, _("Download the CV"))


class CvFileInline(admin.StackedInline[CvFile, Candidate]):
    model = CvFile
    extra = 0
    fields = ["download", "content_type", "size", "extracted_at"]
    readonly_fields = ["download", "content_type", "size", "extracted_at"]
    can_delete = False

    @admin.display(description=_("file"))
    def download(self, obj: CvFile) -> str:
        return cv_download_link(obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The candidate page is scoped already; their CV belongs to the same organization.
        if obj is None:
            return bool(organization_ids(request))
        return obj.organization_id in organization_ids(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CandidateForm(OrganizationScopedForm):
    """The profile as a recruiter types it: skills and tags as chips, languages as choices."""

    skills = SkillLinesField(
        label=capfirst(_("skills")),
        required=False,
        help_text=_("As the candidate wrote them; press Enter after each."),
    )
    languages = LanguagesField(label=capfirst(_("languages")))
    tags = LinesField(label=capfirst(_("tags")), required=False)
    links = LinesField(label=capfirst(_("links")), required=False, chips=False, help_text=_("One per line."))

    class Meta:
        model = Candidate
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["languages"]
        if isinstance(field, LanguagesField):
            field.offer(self.instance.languages if self.instance.pk else [])


class TagForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=50)

    def clean_tag(self) -> str:
        tag = str(self.cleaned_data["tag"]).strip()
        if not tag:
            raise ValidationError(_("Write a tag."), code="required")
        return tag


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


@admin.register(Candidate)
class CandidateAdmin(CandidateSearchViews, CandidateOverviewViews, OrganizationScopedAdmin[Candidate]):
    change_list_template = "admin/candidates/candidate/change_list.html"
    change_form_template = "admin/candidates/candidate/change_form.html"
    form = CandidateForm
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
    def approve_messages(
        self, request: HttpRequest, queryset: QuerySet[Candidate]
    ) -> TemplateResponse | None:
        """Approve every draft to the selected candidates; each goes out now or at the next humane hour."""
        return drafts_approve(self, request, message_drafts_to(candidates=queryset))

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
                candidate_change(candidate=candidate, actor=actor, data={"tags": [*candidate.tags, tag]})
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
                    "A consent request to %(count)d candidate goes out at the next sending time.",
                    "Consent requests to %(count)d candidates go out at the next sending time.",
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

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        data = concrete_changes(form)
        if change:
            candidate_change(candidate=Candidate.objects.get(pk=obj.pk), actor=self.actor(request), data=data)
            return
        data.pop("organization", None)
        created = candidate_create(organization=obj.organization, actor=self.actor(request), data=data)
        obj.pk, obj._state.adding = created.pk, False


@admin.register(CvFile)
class CvFileAdmin(OrganizationScopedAdmin[CvFile]):
    read_only_model = True
    list_display = ["candidate", "organization", "content_type", "size", "created_at", "download"]
    list_select_related = ["candidate", "organization"]
    fields = ["candidate", "organization", "download", "content_type", "size", "sha256", "extracted_at"]
    readonly_fields = [
        "candidate",
        "organization",
        "download",
        "content_type",
        "size",
        "sha256",
        "extracted_at",
    ]

    @admin.display(description=_("file"))
    def download(self, obj: CvFile) -> str:
        return cv_download_link(obj)

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<int:object_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name="candidates_cvfile_download",
        )
        return [download, *super().get_urls()]

    def download_view(self, request: HttpRequest, object_id: int) -> FileResponse:
        """The stored file, to a member of the candidate's organization; anyone else gets a 404."""
        cv = self.get_queryset(request).select_related("candidate").filter(pk=object_id).first()
        if cv is None or not self.has_view_permission(request, cv):
            raise Http404
        audit_record(
            organization=cv.organization_id,
            actor=self.actor(request),
            action="cv.downloaded",
            target=cv.candidate,
            context={"cv_file_id": cv.pk},
        )
        return cv_file_response(cv)


_UNSAFE_IN_FILE_NAMES = re.compile(r"[^\w\- ]")


def cv_file_response(cv: CvFile) -> FileResponse:
    """A stored CV as a download: never shown inline, never sniffed, never cached."""
    name = " ".join(_UNSAFE_IN_FILE_NAMES.sub("", f"CV {cv.candidate.full_name}").split())
    extension = "pdf" if cv.content_type == "application/pdf" else "docx"
    response = FileResponse(
        cv.file.open("rb"), as_attachment=True, filename=f"{name}.{extension}", content_type=cv.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@admin.register(SavedSearch)
class SavedSearchAdmin(OrganizationScopedAdmin[SavedSearch]):
    list_display = ["name", "owner", "organization", "shared", "run", "updated_at"]
    list_filter = ["shared"]
    search_fields = ["name"]
    list_select_related = ["owner", "organization"]
    fields = ["organization", "owner", "name", "what", "shared"]
    readonly_fields = ["what"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # A search is saved from the search page, with what it searches for.

    @admin.display(description=_("searches for"))
    def what(self, obj: SavedSearch) -> str:
        values: list[str] = []
        for value in (obj.params or {}).values():
            items = value if isinstance(value, list) else [value]
            values += [str(item) for item in items if item not in ("", None)]
        url = reverse("admin:candidates_candidate_search") + search_url(
            {**obj.params, "organization": obj.organization_id}
        )
        return format_html('{} <a href="{}">{}</a>', " · ".join(values) or "—", url, _("Run"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[SavedSearch]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(DbQ(owner=request.user.pk) | DbQ(shared=True))

    def get_readonly_fields(self, request: HttpRequest, obj: SavedSearch | None = None) -> Any:
        return ["organization", "owner", "what"] if obj else ["what"]

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
            saved_search_update(
                saved_search=SavedSearch.objects.get(pk=obj.pk),
                actor=self.actor(request),
                data=concrete_changes(form),
            )
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
