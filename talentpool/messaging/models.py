"""Outbound messages, candidates' feedback requests and keep-warm plans."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate
from talentpool.core.models import Language, OrganizationOwned
from talentpool.openings.models import Opening, RunnerUp


class Message(OrganizationOwned):
    """An email, stored as rendered and sent. ``dedupe_key`` makes a retry never send twice."""

    class Kind(models.TextChoices):
        WARM_REJECTION = "WARM_REJECTION", _("Warm rejection")
        FEEDBACK = "FEEDBACK", _("Feedback")
        POOL_INVITATION = "POOL_INVITATION", _("Pool invitation")
        CONSENT_RENEWAL = "CONSENT_RENEWAL", _("Consent renewal")
        CHECK_IN = "CHECK_IN", _("Check-in")
        CV_UPDATE_INVITATION = "CV_UPDATE_INVITATION", _("CV update invitation")
        OPENING_INVITATION = "OPENING_INVITATION", _("Opening invitation")
        MATCH_ALERT_DIGEST = "MATCH_ALERT_DIGEST", _("Match alert digest")
        CONSENT_REQUEST = "CONSENT_REQUEST", _("Consent request")
        MAGIC_LINK = "MAGIC_LINK", _("Link to the candidate's pages")

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        APPROVED = "APPROVED", _("Approved")
        SCHEDULED = "SCHEDULED", _("Scheduled")
        SENDING = "SENDING", _("Sending")
        SENT = "SENT", _("Sent")
        # The mail server was handed the message, but we never heard that it took it.
        MAYBE_SENT = "MAYBE_SENT", _("May have been sent")
        FAILED = "FAILED", _("Failed")
        CANCELLED = "CANCELLED", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For messages to recruiters, such as the match digest."),
    )
    opening = models.ForeignKey(Opening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    touchpoint = models.CharField(_("touchpoint"), max_length=40, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    handed_over_at = models.DateTimeField(
        _("handed over at"),
        null=True,
        blank=True,
        help_text=_(
            "When the last attempt began handing the message to the mail server. "
            "Set, with no answer after it, means it may have been sent."
        ),
    )
    last_error = models.TextField(_("last error"), blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed by"),
        help_text=_("The recruiter who signs the message; replies go to them."),
    )
    from_email = models.CharField(_("from"), max_length=300, blank=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    includes_feedback = models.BooleanField(
        _("includes feedback"), default=False, help_text=_("Sending it shares the runner-up's feedback.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["organization", "dedupe_key"], name="message_unique_dedupe_key"),
            models.CheckConstraint(
                condition=Q(candidate__isnull=False) | Q(recipient_user__isnull=False),
                name="message_has_recipient",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "DRAFT",
                        "APPROVED",
                        "SCHEDULED",
                        "SENDING",
                        "SENT",
                        "MAYBE_SENT",
                        "FAILED",
                        "CANCELLED",
                    ]
                ),
                name="message_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="SENT") | Q(sent_at__isnull=False), name="message_sent_has_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_keep_warm(self) -> bool:
        """Not an answer to an application: carries List-Unsubscribe and a link to stop such mail."""
        return self.kind in KEEP_WARM_KINDS


# Messages the product writes itself: organizations do not word them in their own templates.
SYSTEM_KINDS = frozenset(
    {Message.Kind.MATCH_ALERT_DIGEST, Message.Kind.CONSENT_REQUEST, Message.Kind.MAGIC_LINK}
)
# Messages a candidate is waiting for: they go at once, whatever the hour.
IMMEDIATE_KINDS = frozenset({Message.Kind.MAGIC_LINK})


# Messages that are not part of an application's outcome. They stop when the candidate asks.
KEEP_WARM_KINDS = frozenset(
    {
        Message.Kind.POOL_INVITATION,
        Message.Kind.CONSENT_RENEWAL,
        Message.Kind.CHECK_IN,
        Message.Kind.CV_UPDATE_INVITATION,
        Message.Kind.OPENING_INVITATION,
    }
)


class FeedbackRequestQuerySet(models.QuerySet["FeedbackRequest"]):
    def overdue(self, *, now: dt.datetime) -> FeedbackRequestQuerySet:
        """Open requests past their due date."""
        return self.filter(status=FeedbackRequest.Status.OPEN, due_at__lt=now)

    def not_yet_due(self, *, now: dt.datetime) -> FeedbackRequestQuerySet:
        return self.filter(status=FeedbackRequest.Status.OPEN, due_at__gte=now)


class FeedbackRequest(OrganizationOwned):
    """A candidate asked for feedback; a recruiter owes an answer by ``due_at``."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        ANSWERED = "ANSWERED", _("Answered")
        DECLINED = "DECLINED", _("Declined")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="feedback_requests")
    runner_up = models.ForeignKey(
        RunnerUp, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    question = models.TextField(_("question"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("due at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = models.Manager.from_queryset(FeedbackRequestQuerySet)()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["OPEN", "ANSWERED", "DECLINED"]), name="feedbackrequest_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback request #{self.pk}"

    def is_overdue(self, *, now: dt.datetime) -> bool:
        return self.status == self.Status.OPEN and self.due_at < now


class TouchpointPlan(OrganizationOwned):
    """When the next keep-warm contact with a candidate is due. Stops on withdrawal or erasure."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="touchpoint_plan")
    next_touchpoint = models.CharField(_("next touchpoint"), max_length=40, blank=True)
    next_due_at = models.DateTimeField(_("next due at"), null=True, blank=True, db_index=True)
    last_contacted_at = models.DateTimeField(_("last contacted at"), null=True, blank=True)
    stopped_at = models.DateTimeField(
        _("stopped at"),
        null=True,
        blank=True,
        help_text=_("Paused when the candidate leaves the pool; it resumes if they consent again."),
    )
    opted_out_at = models.DateTimeField(
        _("opted out at"),
        null=True,
        blank=True,
        help_text=_("The candidate asked us to stop these emails. It does not resume."),
    )

    class Meta:
        verbose_name = _("touchpoint plan")
        verbose_name_plural = _("touchpoint plans")

    def __str__(self) -> str:
        return f"Plan for candidate #{self.candidate_id}"


class MessageTemplate(OrganizationOwned):
    """An organization's own wording for one kind of message in one language.

    Placeholders are checked when the template is saved: an unknown one is refused then, not
    discovered when a message is drafted.
    """

    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=[(k.value, k.label) for k in Message.Kind if k not in SYSTEM_KINDS],
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(
        _("HTML"),
        blank=True,
        help_text=_("The body as HTML paragraphs. Leave it empty to use the text."),
    )

    class Meta:
        ordering = ["organization", "kind", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "language"],
                name="messagetemplate_unique_kind_language",
                violation_error_message=_(
                    "This organization already has a template for this kind and language."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "WARM_REJECTION",
                        "FEEDBACK",
                        "POOL_INVITATION",
                        "CONSENT_RENEWAL",
                        "CHECK_IN",
                        "CV_UPDATE_INVITATION",
                        "OPENING_INVITATION",
                    ]
                ),
                name="messagetemplate_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["da", "sv", "en"]), name="messagetemplate_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class ExperienceResponse(OrganizationOwned):
    """A candidate's answer to "How did you experience our process?" for one opening.

    Asked in the warm rejection and the feedback email; one answer per candidate and opening
    (answering again changes it). It goes with the candidate when they are erased.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="experience_responses")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="experience_responses")
    rating = models.PositiveSmallIntegerField(_("rating"), help_text=_("From 1 (poor) to 5 (very good)."))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        ordering = ["-answered_at", "-id"]
        verbose_name = _("experience response")
        verbose_name_plural = _("experience responses")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "opening"], name="experienceresponse_unique_candidate_opening"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="experienceresponse_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Experience response #{self.pk}"
