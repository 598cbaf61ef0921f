"""What the API keeps for itself: idempotency records and the ATS connections' shared secrets."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentpool.core.models import Organization, OrganizationOwned
from talentpool.core.text import fold


class IdempotencyRecord(models.Model):
    """The first response to a write sent with an ``Idempotency-Key``, replayed for its retries.

    ``response_status`` is null while the first request is still being processed.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(_("request hash"), max_length=64)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    # JSON as text: PostgreSQL's jsonb refuses the \u0000 a client may have sent and we echo back.
    response_body = models.TextField(_("response body (JSON)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="idempotencyrecord_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class AtsConnection(OrganizationOwned):
    """An ATS that posts its webhooks to us, with the secret it signs them with."""

    class Vendor(models.TextChoices):
        GREENHOUSE = "greenhouse", "Greenhouse"
        LEVER = "lever", "Lever"
        TEAMTAILOR = "teamtailor", "Teamtailor"
        WORKABLE = "workable", "Workable"

    class MinimumStage(models.TextChoices):
        SCREENING = "SCREENING", _("screening")
        FIRST_INTERVIEW = "FIRST_INTERVIEW", _("first interview")
        CASE_ASSIGNMENT = "CASE_ASSIGNMENT", _("case assignment")
        SECOND_INTERVIEW = "SECOND_INTERVIEW", _("second interview")
        FINAL_INTERVIEW = "FINAL_INTERVIEW", _("final interview")
        OFFER = "OFFER", _("offer")

    public_id = models.UUIDField(_("endpoint id"), default=uuid.uuid4, unique=True, editable=False)
    vendor = models.CharField(_("ATS"), max_length=20, choices=Vendor.choices)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        help_text=_("The secret (signature key, token) the ATS signs its webhooks with."),
    )
    api_key = models.CharField(
        _("ATS API key"),
        max_length=200,
        blank=True,
        help_text=_(
            "Read-only key for the ATS's API: it confirms each rejection where the webhook carries ids "
            "only (Lever, Teamtailor) and reads the interviewers' feedback."
        ),
    )
    api_base_url = models.URLField(
        _("ATS API base URL"),
        blank=True,
        help_text=_(
            "Leave empty for the vendor's default; Workable needs https://<subdomain>.workable.com/spi/v3."
        ),
    )
    minimum_stage = models.CharField(
        _("minimum stage"),
        max_length=20,
        choices=MinimumStage.choices,
        default=MinimumStage.FIRST_INTERVIEW,
        help_text=_("Rejections before this stage are not runner-ups and are ignored."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_received_at = models.DateTimeField(_("last received at"), null=True, blank=True)
    refused_count = models.PositiveIntegerField(_("refused deliveries"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "vendor"]
        verbose_name = _("ATS connection")
        verbose_name_plural = _("ATS connections")
        constraints = [
            models.CheckConstraint(
                condition=Q(vendor__in=["greenhouse", "lever", "teamtailor", "workable"]),
                name="atsconnection_vendor_valid",
            ),
            models.CheckConstraint(condition=~Q(secret=""), name="atsconnection_secret_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_vendor_display()} ({self.public_id})"

    def stage_mapping(self) -> dict[str, str]:
        """The connection's own names for the vendor's stages, folded, to our stages."""
        if not hasattr(self, "_stage_mapping"):
            self._stage_mapping = {
                " ".join(fold(row.vendor_stage).split()): row.stage for row in self.stage_mappings.all()
            }
        return self._stage_mapping


class AtsStageMapping(models.Model):
    """What one of the ATS's stages (by name) is among ours."""

    connection = models.ForeignKey(AtsConnection, on_delete=models.CASCADE, related_name="stage_mappings")
    vendor_stage = models.CharField(_("stage in the ATS"), max_length=200)
    stage = models.CharField(_("our stage"), max_length=20, choices=AtsConnection.MinimumStage.choices)

    class Meta:
        ordering = ["connection", "id"]
        verbose_name = _("stage mapping")
        verbose_name_plural = _("stage mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "vendor_stage"],
                name="atsstagemapping_unique_stage",
                violation_error_message=_("This stage is mapped already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor_stage} → {self.get_stage_display()}"


class AtsDelivery(models.Model):
    """One signed webhook delivery an ATS made: what we did with it, and why.

    Its ``key`` (the vendor's event id or token, or a hash of the body) makes a replay a no-op.
    It holds the vendor's ids, never the person's details.
    """

    class Outcome(models.TextChoices):
        RECORDED = "RECORDED", _("recorded")
        IGNORED = "IGNORED", _("ignored")
        FAILED = "FAILED", _("failed")

    class FeedbackState(models.TextChoices):
        NONE = "NONE", _("none")
        PENDING = "PENDING", _("pending")
        DONE = "DONE", _("done")
        FAILED = "FAILED", _("failed")

    connection = models.ForeignKey(AtsConnection, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(_("delivery key"), max_length=128)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    application_id = models.CharField(_("application id in the ATS"), max_length=100, blank=True)
    runner_up = models.ForeignKey(
        "openings.RunnerUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_state = models.CharField(
        _("feedback"), max_length=10, choices=FeedbackState.choices, default=FeedbackState.NONE
    )
    feedback_attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("ATS delivery")
        verbose_name_plural = _("ATS deliveries")
        constraints = [
            models.UniqueConstraint(fields=["connection", "key"], name="atsdelivery_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.connection} {self.get_outcome_display()} {self.received_at:%Y-%m-%d %H:%M}"
