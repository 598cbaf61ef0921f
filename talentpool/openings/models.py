"""Openings and their runner-ups with structured feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate
from talentpool.core.models import OrganizationOwned


class OpeningQuerySet(models.QuerySet["Opening"]):
    def open(self) -> OpeningQuerySet:
        return self.filter(status=Opening.Status.OPEN)


class Opening(OrganizationOwned):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        CLOSED = "CLOSED", _("Closed")
        FILLED = "FILLED", _("Filled")

    class Level(models.TextChoices):
        ENTRY = "ENTRY", _("Student, trainee or apprentice")
        JUNIOR = "JUNIOR", _("Junior")
        MID = "MID", _("Experienced")
        SENIOR = "SENIOR", _("Senior")
        LEAD = "LEAD", _("Manager or lead")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(
        _("radius (km)"),
        null=True,
        blank=True,
        help_text=_("How far from the place candidates may live; empty: the organization's default."),
    )
    remote = models.BooleanField(_("remote"), default=False, help_text=_("Candidates may live anywhere."))
    must_have_skills = models.JSONField(
        _("must-have skills"), default=list, blank=True, help_text=_("As the recruiter wrote them.")
    )
    nice_to_have_skills = models.JSONField(_("nice-to-have skills"), default=list, blank=True)
    hard_skills = models.JSONField(
        _("hard requirements"),
        default=list,
        blank=True,
        help_text=_("Must-haves nobody can do without, such as a licence or an authorisation."),
    )
    languages = models.JSONField(
        _("required languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    experience_level = models.CharField(_("level"), max_length=8, choices=Level.choices, blank=True)
    min_years_of_experience = models.PositiveSmallIntegerField(
        _("minimum years of experience"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="openings", verbose_name=_("recruiters")
    )
    source = models.CharField(_("source"), max_length=40, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True, editable=False)
    index_requested_at = models.DateTimeField(
        _("indexing requested at"), null=True, blank=True, editable=False
    )
    indexed_at = models.DateTimeField(_("indexed at"), null=True, blank=True, editable=False)

    objects = OpeningQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"],
                condition=~Q(external_id=""),
                name="opening_unique_external_id_per_organization",
                violation_error_code="duplicate_external_id",
                violation_error_message=_("An opening with this source and external id already exists."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["OPEN", "CLOSED", "FILLED"]), name="opening_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(experience_level__in=["", "ENTRY", "JUNIOR", "MID", "SENIOR", "LEAD"]),
                name="opening_experience_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(radius_km__isnull=True) | Q(radius_km__gte=1, radius_km__lte=1000),
                name="opening_radius_range",
            ),
            models.CheckConstraint(
                condition=Q(min_years_of_experience__isnull=True) | Q(min_years_of_experience__lte=50),
                name="opening_min_years_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RunnerUp(OrganizationOwned):
    """A candidate who nearly got an opening."""

    class Stage(models.TextChoices):
        SCREENING = "SCREENING", _("screening")
        FIRST_INTERVIEW = "FIRST_INTERVIEW", _("first interview")
        CASE_ASSIGNMENT = "CASE_ASSIGNMENT", _("case assignment")
        SECOND_INTERVIEW = "SECOND_INTERVIEW", _("second interview")
        FINAL_INTERVIEW = "FINAL_INTERVIEW", _("final interview")
        OFFER = "OFFER", _("offer")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="runner_ups")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="runner_ups")
    stage = models.CharField(_("stage reached"), max_length=20, choices=Stage.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), default=2, help_text=_("2 is the runner-up."))
    closeness = models.PositiveSmallIntegerField(
        _("closeness (%)"), null=True, blank=True, help_text=_("How close they came, 0 to 100.")
    )
    contact_first = models.BooleanField(_("contact first"), default=False)
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    notes = models.TextField(_("internal notes"), blank=True)
    notify_not_before = models.DateTimeField(
        _("tell the candidate from"),
        null=True,
        blank=True,
        help_text=_("The earliest moment the candidate may hear of the decision (set by some ATS)."),
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("runner-up")
        verbose_name_plural = _("runner-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "opening"],
                name="runnerup_unique_candidate_opening",
                violation_error_message=_(
                    "This candidate is already recorded as runner-up for this opening."
                ),
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="runnerup_rank_positive"),
            models.CheckConstraint(
                condition=Q(closeness__isnull=True) | Q(closeness__lte=100), name="runnerup_closeness_range"
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=[
                        "SCREENING",
                        "FIRST_INTERVIEW",
                        "CASE_ASSIGNMENT",
                        "SECOND_INTERVIEW",
                        "FINAL_INTERVIEW",
                        "OFFER",
                    ]
                ),
                name="runnerup_stage_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – {self.opening}"


class Feedback(OrganizationOwned):
    """Structured feedback on a runner-up. Legal basis: legitimate interest (no consent needed)."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        APPROVED = "APPROVED", _("Approved")
        SENT = "SENT", _("Sent")

    runner_up = models.OneToOneField(RunnerUp, on_delete=models.CASCADE, related_name="feedback")
    free_text = models.TextField(_("free text"), blank=True)
    share_with_candidate = models.BooleanField(
        _("share with candidate"), default=True, help_text=_("May the development areas be shared?")
    )
    status = models.CharField(_("review state"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["DRAFT", "APPROVED", "SENT"]), name="feedback_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback for {self.runner_up}"


class FeedbackItem(models.Model):
    """One strength, development area or suggested next step."""

    class Kind(models.TextChoices):
        STRENGTH = "STRENGTH", _("Strength")
        DEVELOPMENT_AREA = "DEVELOPMENT_AREA", _("Development area")
        NEXT_STEP = "NEXT_STEP", _("Suggested next step")

    class Category(models.TextChoices):
        SKILL = "SKILL", _("Skill")
        EXPERIENCE = "EXPERIENCE", _("Experience")
        CERTIFICATION = "CERTIFICATION", _("Certification")
        COMMUNICATION = "COMMUNICATION", _("Communication")
        PRESENTATION = "PRESENTATION", _("Presentation")
        COMPANY_UNDERSTANDING = "COMPANY_UNDERSTANDING", _("Company understanding")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices, blank=True)
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["feedback", "kind", "position", "id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["STRENGTH", "DEVELOPMENT_AREA", "NEXT_STEP"]),
                name="feedbackitem_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="DEVELOPMENT_AREA") | ~Q(category=""),
                name="feedbackitem_development_area_has_category",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="feedbackitem_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text
