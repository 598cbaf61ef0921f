from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from talentpool.core.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedForm,
    concrete_changes,
)
from talentpool.flows.decision import decision_feedback_approve, decision_record
from talentpool.flows.opening import opening_add, opening_change
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import language_name as spoken_language_name
from talentpool.messaging.admin import action_confirmation, drafts_approve, is_confirmed
from talentpool.messaging.feedback import feedback_language_mismatch
from talentpool.messaging.selectors import message_drafts_about
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp
from talentpool.openings.services import feedback_update
from talentpool.skills.labels import skill_suggestions
from talentpool.workspace.forms import LANGUAGE_CHOICES, SkillLinesField
from talentpool.workspace.matches import OpeningMatchesViews
from talentpool.workspace.review import RunnerUpReviewViews


class OpeningForm(OrganizationScopedForm):
    must_have_skills = SkillLinesField(
        label=capfirst(_("must-have skills")),
        required=False,
        help_text=_("In your own words; press Enter after each."),
    )
    nice_to_have_skills = SkillLinesField(
        label=capfirst(_("nice-to-have skills")),
        required=False,
        help_text=_("In your own words; press Enter after each."),
    )
    hard_skills = SkillLinesField(
        label=capfirst(_("hard requirements")),
        required=False,
        help_text=_(
            "Licences or authorisations nobody can do without. Candidates without them are not matched."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=capfirst(_("required languages")),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Candidates who do not speak them are not matched."),
    )

    class Meta:
        model = Opening
        fields = [
            "organization", "title", "status", "recruiters", "description", "must_have_skills",
            "nice_to_have_skills", "hard_skills", "languages", "experience_level", "min_years_of_experience",
            "location", "radius_km", "remote", "latitude", "longitude", "source", "external_id",
        ]  # fmt: skip


class NewMatchesFilter(admin.SimpleListFilter):
    title = _("matches")
    parameter_name = "new_matches"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("With new matches"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(new_matches__gt=0) if self.value() == "yes" else queryset


@admin.register(Opening)
class OpeningAdmin(OpeningMatchesViews, OrganizationScopedAdmin[Opening]):
    form = OpeningForm
    list_display = ["title", "location", "status", "new_matches_link", "opened_at"]
    list_filter = ["status", NewMatchesFilter]
    search_fields = ["title", "description", "location", "external_id"]
    filter_horizontal = ["recruiters"]
    readonly_fields = ["opened_at", "matched_at", "created_at", "updated_at"]
    list_select_related = ["organization"]
    change_form_template = "admin/openings/opening/change_form.html"
    fieldsets = [
        (None, {"fields": ["organization", "title", "status", "recruiters"]}),
        (
            _("The role"),
            {
                "fields": [
                    "description",
                    "must_have_skills",
                    "nice_to_have_skills",
                    "hard_skills",
                    "languages",
                    ("experience_level", "min_years_of_experience"),
                ]
            },
        ),
        (_("Location"), {"fields": ["location", ("radius_km", "remote")]}),
        (
            _("Map position and source"),
            {"fields": [("latitude", "longitude"), ("source", "external_id")], "classes": ["collapse"]},
        ),
        (
            _("History"),
            {"fields": ["opened_at", "matched_at", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Opening]:
        new = Count("match_alerts", filter=Q(match_alerts__status=MatchAlert.Status.NEW), distinct=True)
        return super().get_queryset(request).annotate(new_matches=new)

    @admin.display(description=_("new matches"), ordering="new_matches")
    def new_matches_link(self, obj: Opening) -> str:
        count = getattr(obj, "new_matches", 0)
        url = reverse("admin:openings_opening_matches", args=[obj.pk])
        label = (
            ngettext("%(count)d new", "%(count)d new", count) % {"count": count}
            if count
            else gettext("Matches")
        )
        return format_html('<a href="{}" class="tp-matches-link">{}</a>', url, label)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "skill-suggestions/",
                view(self.skill_suggestions_view),
                name="openings_opening_skill_suggestions",
            ),
            path("<int:object_id>/matches/", view(self.matches_view), name="openings_opening_matches"),
            path(
                "<int:object_id>/matches/act/",
                view(self.matches_act_view),
                name="openings_opening_matches_act",
            ),
            *super().get_urls(),
        ]

    def skill_suggestions_view(self, request: HttpRequest) -> JsonResponse:
        """Skills from the vocabulary whose label in the user's language starts with ``q``."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        query = str(request.GET.get("q", ""))[:100]
        found = skill_suggestions(query, language=(get_language() or "en")[:2], limit=10)
        return JsonResponse({"results": [{"label": label} for _key, label in found]})

    def save_model(self, request: HttpRequest, obj: Opening, form: Any, change: bool) -> None:
        data = concrete_changes(form)
        if change:
            opening_change(opening=Opening.objects.get(pk=obj.pk), actor=self.actor(request), data=data)
            return
        data.pop("organization", None)
        created = opening_add(organization=obj.organization, actor=self.actor(request), data=data)
        obj.pk, obj._state.adding = created.pk, False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        opening = form.instance
        ids = [user.pk for user in form.cleaned_data.get("recruiters", [])]
        opening_change(opening=opening, actor=self.actor(request), data={}, recruiter_ids=ids)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class FeedbackInline(admin.StackedInline[Feedback, RunnerUp]):
    """The decision's feedback, read here; reviewed and approved on its own page."""

    model = Feedback
    extra = 0
    fields = ["status", "share_with_candidate", "free_text"]
    readonly_fields = ["status", "share_with_candidate", "free_text"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeedbackStatusFilter(admin.SimpleListFilter):
    title = _("feedback")
    parameter_name = "feedback"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return Feedback.Status.choices

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(feedback__status=self.value()) if self.value() else queryset


@admin.register(RunnerUp)
class RunnerUpAdmin(RunnerUpReviewViews, OrganizationScopedAdmin[RunnerUp]):
    list_display = ["candidate", "opening", "stage", "decided_at", "feedback_status", "review_link"]
    list_filter = [FeedbackStatusFilter, "stage", "contact_first", "decided_at"]
    search_fields = ["candidate__first_name", "candidate__last_name", "candidate__email", "opening__title"]
    list_select_related = ["candidate", "opening", "organization", "feedback"]
    date_hierarchy = "decided_at"
    inlines = [FeedbackInline]
    actions = ["approve_decisions_action", "approve_messages"]
    change_form_template = "admin/openings/runnerup/change_form.html"

    @admin.display(description=_("feedback"))
    def feedback_status(self, obj: RunnerUp) -> str:
        feedback = getattr(obj, "feedback", None)
        return feedback.get_status_display() if feedback is not None else "—"

    @admin.display(description=_("review"))
    def review_link(self, obj: RunnerUp) -> str:
        url = reverse("admin:openings_runnerup_review", args=[obj.pk])
        return format_html('<a href="{}" class="tp-review-link">{}</a>', url, gettext("Review"))

    @admin.action(description=_("Approve feedback and messages"), permissions=["change"])
    def approve_decisions_action(self, request: HttpRequest, queryset: QuerySet[RunnerUp]) -> None:
        self.approve_decisions(request, queryset)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/review/", view(self.review_view), name="openings_runnerup_review"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Approve and send their draft messages"), permissions=["change"])
    def approve_messages(self, request: HttpRequest, queryset: QuerySet[RunnerUp]) -> TemplateResponse | None:
        """Approve the drafts about each selected decision; each goes out now or at the next humane hour."""
        return drafts_approve(self, request, message_drafts_about(runner_ups=queryset))

    def get_readonly_fields(self, request: HttpRequest, obj: RunnerUp | None = None) -> Any:
        # The pair is the identity of a decision; correct it by recording another.
        return ["organization", "candidate", "opening"] if obj else []

    def save_model(self, request: HttpRequest, obj: RunnerUp, form: Any, change: bool) -> None:
        data = concrete_changes(form)
        for name in ("organization", "candidate", "opening"):
            data.pop(name, None)
        recorded = decision_record(
            actor=self.actor(request),
            candidate=obj.candidate,
            opening=obj.opening,
            stage=obj.stage,
            rank=obj.rank,
            closeness=obj.closeness,
            contact_first=obj.contact_first,
            decided_at=obj.decided_at,
            decided_by_id=obj.decided_by_id or (None if change else request.user.pk),
            notes=obj.notes,
        )
        obj.pk, obj._state.adding = recorded.pk, False


def language_name(code: str) -> str:
    return spoken_language_name(code, get_language() or "en")


class FeedbackItemInline(admin.TabularInline[FeedbackItem, Feedback]):
    model = FeedbackItem
    extra = 1
    fields = ["kind", "category", "text", "position"]


@admin.register(Feedback)
class FeedbackAdmin(OrganizationScopedAdmin[Feedback]):
    list_display = ["runner_up", "status", "share_with_candidate", "approved_at", "updated_at"]
    list_filter = ["status", "share_with_candidate"]
    search_fields = [
        "runner_up__candidate__first_name",
        "runner_up__candidate__last_name",
        "runner_up__opening__title",
    ]
    list_select_related = ["runner_up__candidate", "runner_up__opening"]
    fields = [
        "runner_up",
        "status",
        "language_check",
        "share_with_candidate",
        "free_text",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = ["runner_up", "status", "language_check", "approved_by", "approved_at"]
    inlines = [FeedbackItemInline]
    actions = ["approve"]

    @admin.display(description=_("language"))
    def language_check(self, obj: Feedback) -> str:
        """Flag feedback written in another language than the candidate reads."""
        reads = obj.runner_up.candidate.language
        written_in = feedback_language_mismatch(obj, language=reads)
        if written_in is None:
            return "—"
        return gettext(
            "Written in %(written)s, but the candidate reads %(reads)s: translate it before approving."
        ) % {
            "written": language_name(written_in),
            "reads": language_name(reads),
        }

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Feedback comes with a decision (recorded by the ATS or on the runner-up's page).
        return False

    @admin.action(description=_("Approve the selected feedback for sharing"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Feedback]) -> TemplateResponse | None:
        """Approve, and draft each pending warm rejection again with the feedback in it. Feedback
        written in another language than the candidate's is approved only once confirmed."""
        actor = self.actor(request)
        items = list(queryset.select_related("runner_up__candidate", "runner_up__opening"))
        mixed = [
            (feedback, written_in)
            for feedback in items
            if feedback.status == Feedback.Status.DRAFT
            and (
                written_in := feedback_language_mismatch(
                    feedback, language=feedback.runner_up.candidate.language
                )
            )
        ]
        if mixed and not is_confirmed(request):
            return action_confirmation(
                request,
                title=gettext("Feedback in another language"),
                question=gettext("This feedback is written in another language than the candidate's:"),
                reasons=[
                    gettext("%(feedback)s: written in %(written)s, the candidate reads %(reads)s")
                    % {
                        "feedback": feedback.runner_up,
                        "written": language_name(written_in),
                        "reads": language_name(feedback.runner_up.candidate.language),
                    }
                    for feedback, written_in in mixed
                ],
                confirm_label=gettext("Approve it as it is"),
            )
        approved = sum(
            decision_feedback_approve(feedback=feedback, actor=actor, language_confirmed=True)
            for feedback in items
        )
        self.message_user(
            request,
            ngettext("Approved %(count)d feedback.", "Approved %(count)d feedback.", approved)
            % {"count": approved},
            messages.SUCCESS if approved else messages.WARNING,
        )
        return None

    def save_model(self, request: HttpRequest, obj: Feedback, form: Any, change: bool) -> None:
        feedback_update(
            feedback=Feedback.objects.get(pk=obj.pk), actor=self.actor(request), data=concrete_changes(form)
        )
