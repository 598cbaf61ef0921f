from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from integrations.email.rendering import RenderedEmail, default_template_source
from talentpool.candidates.models import Candidate
from talentpool.core.admin_scoping import OrganizationScopedAdmin, OrganizationScopedForm, organization_ids
from talentpool.messaging import content as contents
from talentpool.messaging.drafting import (
    feedback_message_draft,
    message_approve_many,
    message_cancel,
    message_edit,
    message_redraft,
    message_retry,
    message_template_save,
)
from talentpool.messaging.feedback_requests import feedback_request_close
from talentpool.messaging.models import (
    FeedbackRequest,
    FeedbackRequestQuerySet,
    Message,
    MessageTemplate,
    TouchpointPlan,
)
from talentpool.messaging.placeholders import BY_KIND, placeholders_for, template_errors
from talentpool.messaging.selectors import rejection_feedback_is_draft
from talentpool.openings.models import RunnerUp


def action_confirmation(
    request: HttpRequest, *, title: str, question: str, reasons: list[str], confirm_label: str
) -> TemplateResponse:
    """An admin action's intermediate page: it posts the same selection back, confirmed."""
    return TemplateResponse(
        request,
        "admin/messaging/confirm_action.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "question": question,
            "reasons": reasons,
            "confirm_label": confirm_label,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", ""),
            "action": request.POST.get("action", ""),
        },
    )


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "yes"


def feedback_draft_confirmation(request: HttpRequest, drafts: list[Message]) -> TemplateResponse | None:
    """The page asking to confirm approving rejections whose feedback is still a draft; None when
    there are none among ``drafts`` or the recruiter has confirmed."""
    waiting = [message for message in drafts if rejection_feedback_is_draft(message)]
    if not waiting or is_confirmed(request):
        return None
    return action_confirmation(
        request,
        title=gettext("Approve without feedback?"),
        question=gettext(
            "The feedback for these rejections is still a draft. Approved now, they go out "
            "without it. Approve the feedback first, and the rejection is drafted again with it."
        ),
        reasons=[f"{message.candidate} – {message.subject}" for message in waiting],
        confirm_label=gettext("Yes, approve them without the feedback"),
    )


def drafts_approve(
    model_admin: OrganizationScopedAdmin[Any], request: HttpRequest, drafts: QuerySet[Message]
) -> TemplateResponse | None:
    """Approve ``drafts`` from an admin action; each goes out now or at the next humane hour.

    Rejections whose feedback is still a draft are approved only after the recruiter confirms.
    """
    items = [message for message in drafts if message.status == Message.Status.DRAFT]
    confirmation = feedback_draft_confirmation(request, items)
    if confirmation is not None:
        return confirmation
    approved = message_approve_many(
        messages=items, actor=model_admin.actor(request), feedback_draft_confirmed=True
    )
    model_admin.message_user(
        request,
        ngettext("Approved %(count)d message.", "Approved %(count)d messages.", approved)
        % {"count": approved},
        messages.SUCCESS,
    )
    return None


def rendered_html(rendered: RenderedEmail | Message) -> str:
    """An email as the recipient sees it: headers, the HTML in a sandboxed frame, the text."""
    if isinstance(rendered, Message):
        subject, text, html = rendered.subject, rendered.body_text, rendered.body_html
    else:
        subject, text, html = rendered.subject, rendered.text, rendered.html
    return format_html(
        '<div class="email-preview"><p><strong>{}</strong></p>'
        '<iframe sandbox="" srcdoc="{}" title="{}" style="width:100%;max-width:680px;height:480px;'
        'border:1px solid #d0d7de;background:#fff;"></iframe>'
        '<details><summary>{}</summary><pre style="white-space:pre-wrap;max-width:680px;">{}</pre></details>'
        "</div>",
        subject,
        html,
        _("HTML version"),
        _("Text version"),
        text,
    )


class MessageForm(OrganizationScopedForm):
    class Meta:
        model = Message
        fields = ["subject", "body_text"]


@admin.register(Message)
class MessageAdmin(OrganizationScopedAdmin[Message]):
    form = MessageForm
    list_display = ["subject", "kind", "candidate", "language", "status_badge", "scheduled_at", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["subject", "to_email", "candidate__first_name", "candidate__last_name"]
    list_select_related = ["candidate", "organization"]
    date_hierarchy = "created_at"
    actions = ["approve", "cancel", "retry", "redraft"]
    READ_ONLY = [
        "preview",
        "kind",
        "status",
        "candidate",
        "recipient_user",
        "opening",
        "language",
        "to_email",
        "from_email",
        "reply_to",
        "scheduled_at",
        "approved_by",
        "approved_at",
        "sent_at",
        "attempts",
        "handed_over_at",
        "last_error",
        "provider_id",
        "dedupe_key",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # Messages are drafted from decisions, plans and requests, not typed in.

    def get_readonly_fields(self, request: HttpRequest, obj: Message | None = None) -> Any:
        if obj is not None and obj.status == Message.Status.DRAFT:
            return self.READ_ONLY
        return [*self.READ_ONLY, "subject", "body_text"]

    def get_fields(self, request: HttpRequest, obj: Message | None = None) -> Any:
        editable = ["subject", "body_text"]
        return ["preview", *editable, *[f for f in self.READ_ONLY if f != "preview"]]

    @admin.display(description=_("message"))
    def preview(self, obj: Message) -> str:
        return rendered_html(obj)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: Message) -> str:
        colours: dict[str, str] = {
            Message.Status.DRAFT: "#9a6700",
            Message.Status.FAILED: "#cf222e",
            Message.Status.MAYBE_SENT: "#bc4c00",
            Message.Status.SENT: "#1a7f37",
            Message.Status.CANCELLED: "#57606a",
        }
        title = obj.last_error or ""
        return format_html(
            '<span style="color:{};font-weight:bold;" title="{}">{}</span>',
            colours.get(obj.status, "#0b5cad"),
            title,
            obj.get_status_display(),
        )

    def save_model(self, request: HttpRequest, obj: Message, form: Any, change: bool) -> None:
        try:
            message_edit(
                message=obj,
                actor=self.actor(request),
                subject=form.cleaned_data["subject"],
                body_text=form.cleaned_data["body_text"],
            )
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def _report(self, request: HttpRequest, done: int, total: int, verb: str) -> None:
        self.message_user(
            request,
            ngettext(
                "%(done)d of %(total)d message %(verb)s.", "%(done)d of %(total)d messages %(verb)s.", total
            )
            % {"done": done, "total": total, "verb": verb},
            messages.SUCCESS if done else messages.WARNING,
        )

    @admin.action(description=_("Approve and schedule the selected drafts"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Message]) -> TemplateResponse | None:
        items = list(queryset)
        drafts = [message for message in items if message.status == Message.Status.DRAFT]
        confirmation = feedback_draft_confirmation(request, drafts)
        if confirmation is not None:
            return confirmation
        done = message_approve_many(messages=drafts, actor=self.actor(request), feedback_draft_confirmed=True)
        self._report(request, done, len(items), gettext("approved"))
        return None

    @admin.action(description=_("Cancel the selected messages"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        actor = self.actor(request)
        items = list(queryset)
        done = sum(message_cancel(message=m, actor=actor, reason="Cancelled by a recruiter.") for m in items)
        self._report(request, done, len(items), gettext("cancelled"))

    @admin.action(description=_("Try the selected failed messages again"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> TemplateResponse | None:
        """Schedule failed messages again; those that may have been sent only once confirmed."""
        items = list(queryset)
        uncertain = [m for m in items if m.status == Message.Status.MAYBE_SENT]
        resend = request.POST.get("resend") == "yes"
        if uncertain and not resend:
            context: dict[str, Any] = {
                **self.admin_site.each_context(request),
                "title": _("Send again?"),
                "opts": self.model._meta,
                "selected": items,
                "uncertain": uncertain,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/messaging/message/resend_confirmation.html", context)
        actor = self.actor(request)
        done = sum(message_retry(message=m, actor=actor, resend=resend) for m in items)
        self._report(request, done, len(items), gettext("scheduled again"))
        return None

    @admin.action(description=_("Redraft the selected drafts from current data"), permissions=["change"])
    def redraft(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        actor = self.actor(request)
        items = list(queryset)
        done = 0
        for message in items:
            try:
                done += message_redraft(message=message, actor=actor)
            except ValidationError as error:
                self.message_user(request, f"{message}: {'; '.join(error.messages)}", messages.WARNING)
        self._report(request, done, len(items), gettext("redrafted"))


# Templates -----------------------------------------------------------------------------------


class MessageTemplateForm(OrganizationScopedForm):
    preview_candidate = forms.ModelChoiceField(
        queryset=Candidate.objects.none(),
        required=False,
        label=_("Preview for"),
        help_text=_("A real candidate to show the template with. Nothing is sent."),
    )

    class Meta:
        model = MessageTemplate
        fields = ["organization", "kind", "language", "subject", "text", "html"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        errors = template_errors(
            kind=cleaned.get("kind", ""),
            subject=cleaned.get("subject", ""),
            text=cleaned.get("text", ""),
            html=cleaned.get("html", ""),
        )
        for field, problems in errors.items():
            for problem in problems:
                self.add_error(None if field == "__all__" else field, problem)
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(OrganizationScopedAdmin[MessageTemplate]):
    form = MessageTemplateForm
    list_display = ["kind", "language", "organization", "subject", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["subject", "text"]
    readonly_fields = ["placeholders"]
    change_form_template = "admin/messaging/messagetemplate/change_form.html"

    def get_fields(self, request: HttpRequest, obj: MessageTemplate | None = None) -> Any:
        return [
            "organization",
            "kind",
            "language",
            "subject",
            "text",
            "html",
            "placeholders",
            "preview_candidate",
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        candidates = Candidate.objects.order_by("last_name", "first_name")
        if not request.user.is_superuser:
            candidates = candidates.filter(organization_id__in=organization_ids(request))
        if obj is not None:
            candidates = candidates.filter(organization_id=obj.organization_id)
        field: Any = form.base_fields["preview_candidate"]
        field.queryset = candidates
        return form

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """Start from the default wording: ``?kind=WARM_REJECTION&language=da``."""
        initial = dict(super().get_changeform_initial_data(request))
        kind, language = request.GET.get("kind", ""), request.GET.get("language", "")
        if kind in BY_KIND and language in ("da", "sv", "en"):
            name = contents.template_name(kind)
            for field, suffix in (("subject", "subject.txt"), ("text", "txt"), ("html", "html")):
                initial[field] = default_template_source(name, language=language, suffix=suffix).strip()
        return initial

    def save_model(self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool) -> None:
        message_template_save(template=obj, actor=self.actor(request))

    @admin.display(description=_("placeholders you can use"))
    def placeholders(self, obj: MessageTemplate | None) -> str:
        kind = obj.kind if obj is not None and obj.kind else ""
        names = placeholders_for(kind)
        rows = format_html_join(
            "", "<tr><td><code>{{{{ {} }}}}</code></td><td>{}</td></tr>", sorted(names.items())
        )
        return format_html('<table style="max-width:680px;">{}</table>', rows)

    def get_urls(self) -> list[URLPattern]:
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="messaging_messagetemplate_preview_add"),
            path("<path:object_id>/preview/", preview, name="messaging_messagetemplate_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        """Render the unsaved form for a real candidate; the change form posts here in a new tab."""
        if request.method != "POST":
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id) if object_id else None
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
        rendered, candidate = None, None
        if form.is_valid():
            template = form.save(commit=False)
            candidate = form.cleaned_data.get("preview_candidate")
            if candidate is None or candidate.organization_id != template.organization_id:
                candidate = Candidate.objects.filter(organization_id=template.organization_id).first()
            if candidate is not None:
                content = contents.preview_content(
                    kind=template.kind, candidate=candidate, now=timezone.now()
                )
                rendered = rendered_html(contents.content_render(content, template=template))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview"),
            "opts": self.model._meta,
            "form": form,
            "candidate": candidate,
            "preview": rendered,
        }
        return TemplateResponse(request, "admin/messaging/messagetemplate/preview.html", context)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        obj = kwargs.get("obj")
        context["preview_url"] = reverse(
            "admin:messaging_messagetemplate_preview"
            if obj
            else "admin:messaging_messagetemplate_preview_add",
            args=[obj.pk] if obj else [],
        )
        return super().render_change_form(request, context, *args, **kwargs)


# Feedback requests ---------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", _("Overdue")), ("open", _("Open, not yet due"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now=now)
        if self.value() == "open":
            return queryset.not_yet_due(now=now)
        return queryset


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(OrganizationScopedAdmin[FeedbackRequest]):
    list_display = ["candidate", "opening", "status", "due", "answered_at"]
    list_filter = [OverdueFilter, "status"]
    search_fields = ["candidate__first_name", "candidate__last_name", "question"]
    list_select_related = ["candidate", "runner_up__opening"]
    ordering = ["status", "due_at", "id"]
    readonly_fields = ["answered_at", "answered_by"]
    actions = ["draft_feedback", "mark_answered", "decline"]

    @admin.display(description=_("opening"))
    def opening(self, obj: FeedbackRequest) -> str:
        return obj.runner_up.opening.title if obj.runner_up else "—"

    @admin.display(description=_("due"), ordering="due_at")
    def due(self, obj: FeedbackRequest) -> str:
        when, now = timezone.localtime(obj.due_at).strftime("%Y-%m-%d"), timezone.now()
        if obj.is_overdue(now=now):
            days = (now - obj.due_at).days
            late = ngettext("overdue by %(days)d day", "overdue by %(days)d days", days) % {"days": days}
            if days == 0:
                late = str(_("overdue"))
            return format_html('<strong style="color:#cf222e;">{} ({})</strong>', when, late)
        return when

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        requests = cast(FeedbackRequestQuerySet, self.get_queryset(request))
        overdue = requests.overdue(now=timezone.now())
        count = overdue.count()
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d feedback request is overdue.",
                    "%(count)d feedback requests are overdue.",
                    count,
                )
                % {"count": count},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Draft the feedback message"), permissions=["change"])
    def draft_feedback(self, request: HttpRequest, queryset: QuerySet[FeedbackRequest]) -> None:
        actor = self.actor(request)
        for feedback_request in queryset.select_related("runner_up"):
            runner_up: RunnerUp | None = feedback_request.runner_up
            if runner_up is None:
                self.message_user(
                    request, f"{feedback_request}: no opening to give feedback on.", messages.WARNING
                )
                continue
            try:
                message = feedback_message_draft(runner_up=runner_up, actor=actor)
            except ValidationError as error:
                self.message_user(
                    request, f"{feedback_request}: {'; '.join(error.messages)}", messages.WARNING
                )
                continue
            self.message_user(request, f"{feedback_request}: {message} drafted.", messages.SUCCESS)

    @admin.action(description=_("Mark as answered"), permissions=["change"])
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[FeedbackRequest]) -> None:
        for item in queryset:
            feedback_request_close(
                request=item, actor=self.actor(request), status=FeedbackRequest.Status.ANSWERED
            )

    @admin.action(description=_("Decline"), permissions=["change"])
    def decline(self, request: HttpRequest, queryset: QuerySet[FeedbackRequest]) -> None:
        for item in queryset:
            feedback_request_close(
                request=item, actor=self.actor(request), status=FeedbackRequest.Status.DECLINED
            )


class StoppedFilter(admin.SimpleListFilter):
    title = _("keep-warm mail")
    parameter_name = "stopped"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("running", _("Running")),
            ("paused", _("Paused (out of the pool)")),
            ("opted_out", _("Opted out")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "running":
            return queryset.filter(stopped_at__isnull=True)
        if self.value() == "paused":
            return queryset.filter(stopped_at__isnull=False, opted_out_at__isnull=True)
        if self.value() == "opted_out":
            return queryset.filter(opted_out_at__isnull=False)
        return queryset


@admin.register(TouchpointPlan)
class TouchpointPlanAdmin(OrganizationScopedAdmin[TouchpointPlan]):
    admins_only = True
    list_display = [
        "candidate",
        "next_touchpoint",
        "next_due_at",
        "last_contacted_at",
        "stopped_at",
        "opted_out_at",
    ]
    list_filter = ["next_touchpoint", StoppedFilter]
    search_fields = ["candidate__first_name", "candidate__last_name"]
    list_select_related = ["candidate"]
