"""Tenancy (organizations and their members), API keys and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def coordinates_check(name: str) -> models.CheckConstraint:
    """Both coordinates or neither, each in range."""
    return models.CheckConstraint(
        condition=Q(latitude__isnull=True, longitude__isnull=True)
        | Q(
            latitude__isnull=False,
            longitude__isnull=False,
            latitude__gte=-90,
            latitude__lte=90,
            longitude__gte=-180,
            longitude__lte=180,
        ),
        name=name,
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def quiet_hours_start_default() -> dt.time:
    return dt.time(19, 0)


def quiet_hours_end_default() -> dt.time:
    return dt.time(8, 0)


class Organization(TimeStampedModel):
    """An employer or brand: one tenant. Every other row belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default="DK",
        help_text=_("ISO 3166 code (DK, SE, GB): where the organization's places and holidays are."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Copenhagen")
    default_radius_km = models.PositiveSmallIntegerField(
        _("default match radius (km)"),
        default=50,
        help_text=_("How far from an opening candidates are matched, unless the opening says otherwise."),
    )
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    sender_email = models.EmailField(_("sender email"), blank=True)
    signature = models.TextField(_("signature"), blank=True)
    consent_months = models.PositiveSmallIntegerField(
        _("consent period (months)"),
        default=12,
        help_text=_("How long a candidate's consent to stay in the talent pool lasts."),
    )
    documentation_months = models.PositiveSmallIntegerField(
        _("documentation period (months)"),
        default=6,
        help_text=_("How long candidates without consent are kept after the decision, then erased."),
    )
    # Defaults as functions: Django's check warns about a fixed time default (fields.W161) when it
    # runs within seconds of that time of day, which made `check --deploy` fail once a day.
    quiet_hours_start = models.TimeField(_("quiet hours start"), default=quiet_hours_start_default)
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=quiet_hours_end_default)
    rejection_delay_hours = models.PositiveSmallIntegerField(
        _("rejection delay (hours)"),
        default=24,
        help_text=_("A rejection is not sent sooner than this after the decision."),
    )
    auto_approve_messages = models.BooleanField(_("approve messages automatically"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_months__gte=1), name="organization_consent_months_min"
            ),
            models.CheckConstraint(
                condition=Q(documentation_months__gte=1, documentation_months__lte=36),
                name="organization_documentation_months_range",
            ),
            models.CheckConstraint(
                condition=Q(default_radius_km__gte=1, default_radius_km__lte=1000),
                name="organization_default_radius_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationOwned(TimeStampedModel):
    """A row that belongs to exactly one organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )

    class Meta:
        abstract = True


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        ADMIN = "ADMIN", _("Admin")
        RECRUITER = "RECRUITER", _("Recruiter")
        VIEWER = "VIEWER", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RECRUITER)
    title = models.CharField(_("title"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the admin"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Blank: the browser's language."),
    )

    class Meta:
        ordering = ["organization", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_unique_user_organization"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["ADMIN", "RECRUITER", "VIEWER"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in (self.Role.ADMIN, self.Role.RECRUITER)


class ApiKey(OrganizationOwned):
    """An organization's key for the REST API. Only a hash of the secret is stored."""

    class Scope(models.TextChoices):
        READ = "READ", _("Read")
        WRITE = "WRITE", _("Read and write")

    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.READ)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=["READ", "WRITE"]), name="apikey_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """Who did what to which row, and when. Holds ids and field names, never personal data."""

    class ActorType(models.TextChoices):
        USER = "USER", _("Recruiter")
        API_KEY = "API_KEY", _("API key")
        CANDIDATE = "CANDIDATE", _("Candidate")
        SYSTEM = "SYSTEM", _("System")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor_type = models.CharField(_("actor type"), max_length=16, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.BigIntegerField(_("target id"), null=True, blank=True)
    changes = models.JSONField(_("changed fields"), default=list, blank=True)
    context: Any = models.JSONField(_("context"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organization", "target_type", "target_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_type__in=["USER", "API_KEY", "CANDIDATE", "SYSTEM"]),
                name="auditevent_actor_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"
