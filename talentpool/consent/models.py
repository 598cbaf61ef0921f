"""Consent to stay in the talent pool, and the magic links candidates use."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate
from talentpool.core.models import Language, OrganizationOwned


class ConsentText(OrganizationOwned):
    """The words a candidate agrees to, versioned per language and immutable once used."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["organization", "language", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language", "version"], name="consenttext_unique_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="consenttext_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language} v{self.version})"


class AppendOnlyError(RuntimeError):
    """Consent events are evidence: they are added, never changed or deleted one by one."""


class ConsentEventQuerySet(models.QuerySet["ConsentEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Consent events cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Consent events cannot be deleted; erase the candidate instead.")


class ConsentEvent(OrganizationOwned):
    """Append-only. A candidate is in the pool iff their latest event grants and has not expired.

    The rows go only with their candidate, when the candidate is erased (a database cascade).
    """

    class Kind(models.TextChoices):
        GRANTED = "GRANTED", _("Granted")
        RENEWED = "RENEWED", _("Renewed")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        EXPIRED = "EXPIRED", _("Expired")

    class Channel(models.TextChoices):
        MAGIC_LINK = "MAGIC_LINK", _("Magic link")
        ADMIN = "ADMIN", _("Admin")
        API = "API", _("API")
        SYSTEM = "SYSTEM", _("System")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consent_events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.ForeignKey(
        ConsentText,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,  # kept while events cite it, unless they go too
        related_name="events",
        verbose_name=_("text"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    client_hash = models.CharField(
        _("client hash"), max_length=64, blank=True, help_text=_("A hash of the request's IP and user agent.")
    )

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        ordering = ["candidate", "-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["GRANTED", "RENEWED", "WITHDRAWN", "EXPIRED"]),
                name="consentevent_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["GRANTED", "RENEWED"])
                | Q(text__isnull=False, expires_at__isnull=False),
                name="consentevent_grant_has_text_and_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.created_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Consent events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Consent events cannot be deleted; erase the candidate instead.")

    @property
    def grants(self) -> bool:
        return self.kind in (self.Kind.GRANTED, self.Kind.RENEWED)


class MagicLink(OrganizationOwned):
    """A passwordless link for a candidate. Only a hash of the token is stored."""

    class Scope(models.TextChoices):
        CONSENT = "CONSENT", _("Consent")
        PROFILE = "PROFILE", _("Profile")
        FEEDBACK_REQUEST = "FEEDBACK_REQUEST", _("Feedback request")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="magic_links")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        help_text=_("For a link in an email: its token is made when the email is sent, valid this long."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("magic link")
        verbose_name_plural = _("magic links")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["CONSENT", "PROFILE", "FEEDBACK_REQUEST"]),
                name="magiclink_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} link for candidate #{self.candidate_id}"


class LinkRequest(models.Model):
    """Someone asked for a new link for an address: kept only until a worker has looked it up.

    The request stores the address as typed, without looking it up, so that the answer takes as
    long for a known address as for an unknown one. A row is deleted once handled; any row left
    (a lost task, a broker that was down) is handled by a sweeper, and old ones are deleted.
    """

    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("link request")
        verbose_name_plural = _("link requests")

    def __str__(self) -> str:
        return f"Link request #{self.pk}"
