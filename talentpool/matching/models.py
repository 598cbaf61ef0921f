from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate
from talentpool.core.models import OrganizationOwned
from talentpool.openings.models import Opening, RunnerUp


class MatchAlert(OrganizationOwned):
    """A candidate from the pool who fits an opening, with a score and readable reasons."""

    class Status(models.TextChoices):
        NEW = "NEW", _("New")
        CONTACTED = "CONTACTED", _("Contacted")
        DISMISSED = "DISMISSED", _("Dismissed")
        HIRED = "HIRED", _("Hired")

    class DismissReason(models.TextChoices):
        SKILLS = "SKILLS", _("Lacks skills the role needs")
        LEVEL = "LEVEL", _("Wrong level for the role")
        LOCATION = "LOCATION", _("Too far away")
        NOT_LOOKING = "NOT_LOOKING", _("Not looking right now")
        ALREADY_IN_PROCESS = "ALREADY_IN_PROCESS", _("Already in the process")
        OTHER = "OTHER", _("Another reason")

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="match_alerts")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="match_alerts")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    dismiss_reason = models.CharField(
        _("reason for dismissal"), max_length=20, choices=DismissReason.choices, blank=True
    )

    class Meta:
        ordering = ["opening", "-score", "id"]
        verbose_name = _("match alert")
        verbose_name_plural = _("match alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "candidate"], name="matchalert_unique_opening_candidate"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["NEW", "CONTACTED", "DISMISSED", "HIRED"]),
                name="matchalert_status_valid",
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="matchalert_score_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.opening}"


class GapClosure(OrganizationOwned):
    """A runner-up's profile now shows a development area their feedback named as the gap."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="gap_closures")
    runner_up = models.ForeignKey(RunnerUp, on_delete=models.CASCADE, related_name="gap_closures")
    concept = models.CharField(_("concept"), max_length=100)
    gap = models.CharField(_("development area"), max_length=500)
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        ordering = ["-closed_at", "-id"]
        verbose_name = _("closed gap")
        verbose_name_plural = _("closed gaps")
        constraints = [
            models.UniqueConstraint(
                fields=["runner_up", "concept"], name="gapclosure_unique_runner_up_concept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.gap}"
