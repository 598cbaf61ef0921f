from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.core.models import Language, OrganizationOwned, coordinates_check
from talentpool.skills.labels import label_form


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def in_pool(self, *, now: dt.datetime | None = None) -> CandidateQuerySet:
        """Candidates whose latest consent event grants and has not expired."""
        return self.filter(consent_expires_at__gt=now or timezone.now())

    def out_of_pool(self, *, now: dt.datetime | None = None) -> CandidateQuerySet:
        return self.exclude(consent_expires_at__gt=now or timezone.now())

    def for_organization(self, organization_id: int) -> CandidateQuerySet:
        return self.filter(organization_id=organization_id)


class Candidate(OrganizationOwned):
    """A person we know, unique per organization by email and by ``(source, external_id)``."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    skills = models.JSONField(
        _("skills"), default=list, blank=True, help_text=_("As the candidate wrote them.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes."))
    years_of_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    cv_text = models.TextField(_("CV text"), blank=True, help_text=_("Extracted from the latest CV."))
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("The ATS it came from."))
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    # Denormalised from the latest ConsentEvent by the consent services, for fast pool queries.
    consent_expires_at = models.DateTimeField(_("in the pool until"), null=True, blank=True, db_index=True)
    # Work the database asks for and sweepers make sure of: a change asks for indexing (and a
    # profile change in the pool for matching); the task records when it did it.
    index_requested_at = models.DateTimeField(
        _("indexing requested at"), null=True, blank=True, editable=False
    )
    indexed_at = models.DateTimeField(_("indexed at"), null=True, blank=True, editable=False)
    match_requested_at = models.DateTimeField(
        _("matching requested at"), null=True, blank=True, editable=False
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                name="candidate_unique_email_per_organization",
                violation_error_code="duplicate_email",
                violation_error_message=_("A candidate with this email already exists in this organization."),
            ),
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"],
                condition=~Q(external_id=""),
                name="candidate_unique_external_id_per_organization",
                violation_error_code="duplicate_external_id",
                violation_error_message=_("A candidate with this source and external id already exists."),
            ),
            models.CheckConstraint(condition=~Q(email=""), name="candidate_email_not_empty"),
            models.CheckConstraint(
                condition=Q(language__in=["da", "sv", "en"]), name="candidate_language_valid"
            ),
            coordinates_check("candidate_coordinates_valid"),
            models.CheckConstraint(
                condition=Q(years_of_experience__isnull=True) | Q(years_of_experience__lte=70),
                name="candidate_years_of_experience_range",
            ),
        ]
        indexes = [models.Index(fields=["organization", "updated_at", "id"])]

    def __str__(self) -> str:
        return self.full_name

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # The email constraint is on an expression (Lower), so Django reports it for the whole
        # form; report it on the email field, where the person can fix it.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            for item in errors.pop(NON_FIELD_ERRORS, []):
                key = "email" if getattr(item, "code", None) == "duplicate_email" else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(item)
            raise ValidationError(errors) from None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_in_pool(self, *, now: dt.datetime | None = None) -> bool:
        return self.consent_expires_at is not None and self.consent_expires_at > (now or timezone.now())


def cv_upload_path(instance: CvFile, filename: str) -> str:
    # The stored name never carries the uploaded name (it may hold personal data).
    return f"cv/{instance.organization_id}/{instance.sha256[:2]}/{instance.sha256}"


# The CV formats we accept: PDF and Word (.docx).
CV_CONTENT_TYPES = [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]


class CvFile(OrganizationOwned):
    """A candidate's current CV. A new upload replaces the old one; old files are not kept."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="cv_file")
    file = models.FileField(_("file"), upload_to=cv_upload_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    extracted_at = models.DateTimeField(_("text extracted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("CV file")
        verbose_name_plural = _("CV files")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=CV_CONTENT_TYPES),
                name="cvfile_content_type_allowed",
            ),
        ]

    def __str__(self) -> str:
        return f"CV of candidate #{self.candidate_id}"


class PendingCv(OrganizationOwned):
    """A checked CV without readable text (a scan), held until the candidate keeps or drops it.

    Kept in the database, not in file storage, so that it goes with the candidate (erasure) and
    with a periodic sweep, and never lingers as a file nobody knows about.
    """

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="pending_cv")
    # The confirmation form carries it, so that a form from an earlier upload keeps nothing.
    key = models.CharField(_("key"), max_length=64, unique=True)
    data = models.BinaryField(_("file"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("CV awaiting confirmation")
        verbose_name_plural = _("CVs awaiting confirmation")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=CV_CONTENT_TYPES),
                name="pendingcv_content_type_allowed",
            ),
        ]

    def __str__(self) -> str:
        return f"CV awaiting confirmation by candidate #{self.candidate_id}"


class SkillAliasQuerySet(models.QuerySet["SkillAlias"]):
    def as_map(self, *, organization_id: int) -> dict[str, str]:
        """The organization's own skill words (in label form) to their concept keys."""
        return dict(self.filter(organization_id=organization_id).values_list("label", "key"))


class SkillAlias(OrganizationOwned):
    """An organization's own word for a skill: maps ``label`` to a canonical (or new) key."""

    label = models.CharField(_("label"), max_length=100)
    key = models.SlugField(_("skill key"), max_length=100, allow_unicode=False)

    objects = SkillAliasQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "label"]
        verbose_name = _("skill alias")
        verbose_name_plural = _("skill aliases")
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("label"), name="skillalias_unique_label_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} → {self.key}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.label = label_form(self.label)
        super().save(*args, **kwargs)


class SavedSearch(OrganizationOwned):
    """A recruiter's pool search kept under a name, for them alone or shared with the organization."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    params = models.JSONField(
        _("search"), default=dict, blank=True, help_text=_("The search form's fields and values.")
    )
    shared = models.BooleanField(
        _("shared"), default=False, help_text=_("Visible to everyone in the organization.")
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="savedsearch_unique_name_per_owner",
                violation_error_message=_("You already have a saved search with this name."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="savedsearch_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
