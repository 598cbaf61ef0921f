"""What the API keeps for itself: idempotency records and the ATS connections' shared secrets."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentpool.core.models import Organization, OrganizationOwned


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
        help_text=_("Only for ATS whose webhooks carry ids only (Lever): used to read the details."),
    )
    api_base_url = models.URLField(_("ATS API base URL"), blank=True)
    minimum_stage = models.CharField(
        _("minimum stage"),
        max_length=20,
        choices=MinimumStage.choices,
        default=MinimumStage.SECOND_INTERVIEW,
        help_text=_("Rejections before this stage are not runner-ups and are ignored."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_received_at = models.DateTimeField(_("last received at"), null=True, blank=True)

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
