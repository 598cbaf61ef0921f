from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from talentpool.core.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedForm,
    concrete_changes,
    organization_ids,
)
from talentpool.flows.decision import decision_feedback_approve, decision_record
from talentpool.flows.opening import opening_add, opening_change
from talentpool.matching.admin import readable_reasons
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import language_name as spoken_language_name
from talentpool.messaging.admin import action_confirmation, drafts_approve, is_confirmed
from talentpool.messaging.feedback import feedback_language_mismatch
from talentpool.messaging.selectors import message_drafts_about
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp
from talentpool.openings.services import feedback_update
from talentpool.skills.labels import skill_labels_clean


class MatchAlertInline(admin.TabularInline[MatchAlert, Opening]):
    """The opening's match alerts, best first; read-only (act on them in the match alert list)."""

    model = MatchAlert
    fields = ["candidate", "score", "status", "why"]
    readonly_fields = ["candidate", "score", "status", "why"]
    ordering = ["-score", "id"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("why"))
    def why(self, obj: MatchAlert) -> str:
        return readable_reasons(obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The opening page is scoped already; its alerts belong to the same organization.
        if obj is None:
            return bool(organization_ids(request))
        return obj.organization_id in organization_ids(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SkillLinesField(forms.CharField):
    """Skills typed one per line (or separated by commas), kept as typed."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return skill_labels_clean(re.split(r"[\n\r]+|,(?![^()]*\))", text))


LANGUAGE_CHOICES = [("da", _("Danish")), ("sv", _("Swedish")), ("en", _("English")), ("no", _("Norwegian")),
                    ("de", _("German")), ("fi", _("Finnish")), ("pl", _("Polish"))]  # fmt: skip


class OpeningForm(OrganizationScopedForm):
    must_have_skills = SkillLinesField(
        label=_("must-have skills"), required=False, help_text=_("One per line, in your own words.")
    )
    nice_to_have_skills = SkillLinesField(
        label=_("nice-to-have skills"), required=False, help_text=_("One per line, in your own words.")
    )
    hard_skills = SkillLinesField(
        label=_("hard requirements"),
        required=False,
        help_text=_(
            "Licences or authorisations nobody can do without, one per line. "
            "Candidates without them are not matched."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("required languages"),
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


@admin.register(Opening)
class OpeningAdmin(OrganizationScopedAdmin[Opening]):
    form = OpeningForm
    list_display = ["title", "organization", "location", "status", "opened_at", "matched_at"]
    list_filter = ["status"]
    search_fields = ["title", "description", "location", "external_id"]
    filter_horizontal = ["recruiters"]
    readonly_fields = ["opened_at", "matched_at", "created_at", "updated_at"]
    list_select_related = ["organization"]
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
        (_("Location"), {"fields": ["location", ("radius_km", "remote"), ("latitude", "longitude")]}),
        (_("Source"), {"fields": [("source", "external_id")]}),
        (_("History"), {"fields": ["opened_at", "matched_at", "created_at", "updated_at"]}),
    ]
    inlines = [MatchAlertInline]

    def get_inline_instances(self, request: HttpRequest, obj: Opening | None = None) -> Any:
        inlines = super().get_inline_instances(request, obj)
        # The alerts are shown on an existing opening, never saved from its form: keep them out
        # of the add page and of a POST's formsets.
        if obj is None or request.method == "POST":
            return [inline for inline in inlines if not isinstance(inline, MatchAlertInline)]
        return inlines

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


@admin.register(RunnerUp)
class RunnerUpAdmin(OrganizationScopedAdmin[RunnerUp]):
    list_display = ["candidate", "opening", "stage", "rank", "contact_first", "decided_at"]
    list_filter = ["stage", "contact_first", "decided_at"]
    search_fields = ["candidate__first_name", "candidate__last_name", "candidate__email", "opening__title"]
    list_select_related = ["candidate", "opening", "organization"]
    date_hierarchy = "decided_at"
    inlines = [FeedbackInline]
    actions = ["approve_messages"]

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
