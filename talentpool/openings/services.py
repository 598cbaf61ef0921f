from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import Membership, Organization
from talentpool.core.services import audit_record
from talentpool.core.writes import apply_changes, language_codes
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp
from talentpool.skills.labels import skill_labels_clean

OPENING_WRITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "location",
        "latitude",
        "longitude",
        "radius_km",
        "remote",
        "must_have_skills",
        "nice_to_have_skills",
        "hard_skills",
        "languages",
        "experience_level",
        "min_years_of_experience",
        "status",
        "source",
        "external_id",
    }
)


def _clean_opening_data(data: Mapping[str, Any], *, organization_id: int) -> dict[str, Any]:
    unknown = set(data) - OPENING_WRITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not opening fields: {', '.join(sorted(unknown))}")
    cleaned = dict(data)
    for name in ("must_have_skills", "nice_to_have_skills", "hard_skills"):
        if name in cleaned:
            cleaned[name] = skill_labels_clean(cleaned[name] or [])
    if "languages" in cleaned:
        cleaned["languages"] = language_codes(cleaned["languages"])
    return cleaned


def _set_recruiters(*, opening: Opening, recruiter_ids: Iterable[int]) -> bool:
    """Set the opening's recruiters; each must be a member of its organization."""
    wanted = set(recruiter_ids)
    members = set(
        Membership.objects.filter(organization_id=opening.organization_id, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    if wanted - members:
        raise ValidationError(
            {"recruiters": "Every recruiter must be a member of the opening's organization."}
        )
    current = set(opening.recruiters.values_list("id", flat=True))
    if current == wanted:
        return False
    opening.recruiters.set(get_user_model().objects.filter(id__in=wanted))
    return True


@transaction.atomic
def opening_create(
    *,
    organization: Organization,
    actor: Actor,
    data: Mapping[str, Any],
    recruiter_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Opening:
    opening = Opening(organization=organization, **_clean_opening_data(data, organization_id=organization.pk))
    if opening.status == Opening.Status.OPEN:
        opening.opened_at = now or timezone.now()
    opening.full_clean()
    opening.save()
    _set_recruiters(opening=opening, recruiter_ids=recruiter_ids)
    changes = [*data.keys(), *(["recruiters"] if recruiter_ids else [])]
    audit_record(
        organization=organization, actor=actor, action="opening.created", target=opening, changes=changes
    )
    return opening


@transaction.atomic
def opening_update(
    *,
    opening: Opening,
    actor: Actor,
    data: Mapping[str, Any],
    recruiter_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
) -> list[str]:
    """Change the given fields (and recruiters); return (and audit) the names of those that changed.

    Reopening an opening clears ``matched_at``: it is matched against the pool again.
    """
    cleaned = _clean_opening_data(data, organization_id=opening.organization_id)
    reopened = cleaned.get("status") == Opening.Status.OPEN and opening.status != Opening.Status.OPEN
    if reopened:
        cleaned["opened_at"] = now or timezone.now()
        cleaned["matched_at"] = None
    changed = apply_changes(opening, cleaned)
    if recruiter_ids is not None and _set_recruiters(opening=opening, recruiter_ids=recruiter_ids):
        changed.append("recruiters")
    if changed:
        action = "opening.reopened" if reopened else "opening.updated"
        audit_record(
            organization=opening.organization_id, actor=actor, action=action, target=opening, changes=changed
        )
    return changed


@dataclass(frozen=True)
class FeedbackInput:
    """Structured feedback as the recruiter or the ATS gives it."""

    strengths: Sequence[str] = ()
    # (category, text) pairs; the category is a FeedbackItem.Category value.
    development_areas: Sequence[tuple[str, str]] = ()
    next_steps: Sequence[str] = ()
    free_text: str = ""
    share_with_candidate: bool = True

    def items(self) -> list[FeedbackItem]:
        kind = FeedbackItem.Kind
        items = [
            FeedbackItem(kind=kind.STRENGTH, text=text, position=i) for i, text in enumerate(self.strengths)
        ]
        items += [
            FeedbackItem(kind=kind.DEVELOPMENT_AREA, category=category, text=text, position=i)
            for i, (category, text) in enumerate(self.development_areas)
        ]
        items += [
            FeedbackItem(kind=kind.NEXT_STEP, text=text, position=i) for i, text in enumerate(self.next_steps)
        ]
        return items


@transaction.atomic
def runner_up_record(
    *,
    actor: Actor,
    candidate: Candidate,
    opening: Opening,
    stage: str,
    rank: int = 2,
    closeness: int | None = None,
    contact_first: bool = False,
    decided_at: dt.datetime | None = None,
    decided_by_id: int | None = None,
    notes: str = "",
    feedback: FeedbackInput | None = None,
    notify_not_before: dt.datetime | None = None,
) -> tuple[RunnerUp, bool]:
    """Record that the candidate was runner-up for the opening, with feedback; say if anything changed.

    Recording the same pair again updates it (an ATS may resend a decision) and replaces the
    feedback items; feedback that was already sent is left as it is.
    """
    if candidate.organization_id != opening.organization_id:
        raise ValidationError({"opening": "The candidate and the opening belong to different organizations."})
    values = {
        "stage": stage,
        "rank": rank,
        "closeness": closeness,
        "contact_first": contact_first,
        "decided_at": decided_at or timezone.now(),
        "decided_by_id": decided_by_id,
        "notes": notes,
        "notify_not_before": notify_not_before,
    }
    runner_up = RunnerUp.objects.filter(candidate=candidate, opening=opening).select_for_update().first()
    if runner_up is None:
        runner_up = RunnerUp(
            organization_id=opening.organization_id, candidate=candidate, opening=opening, **values
        )
        runner_up.full_clean()
        runner_up.save()
        action, changed = "runner_up.recorded", list(values)
    else:
        action, changed = "runner_up.updated", apply_changes(runner_up, values)
    if feedback is not None and _feedback_save(runner_up=runner_up, feedback=feedback):
        changed.append("feedback")
    if changed:
        audit_record(
            organization=opening.organization_id,
            actor=actor,
            action=action,
            target=runner_up,
            changes=changed,
        )
    return runner_up, bool(changed)


@transaction.atomic
def feedback_replace(*, runner_up: RunnerUp, actor: Actor, feedback: FeedbackInput) -> bool:
    """Put ``feedback`` on a decision (replacing draft feedback); sent feedback is left as it is."""
    if not _feedback_save(runner_up=runner_up, feedback=feedback):
        return False
    audit_record(
        organization=runner_up.organization_id,
        actor=actor,
        action="runner_up.updated",
        target=runner_up,
        changes=["feedback"],
    )
    return True


def _feedback_save(*, runner_up: RunnerUp, feedback: FeedbackInput) -> bool:
    record, created = Feedback.objects.get_or_create(
        runner_up=runner_up,
        defaults={
            "organization_id": runner_up.organization_id,
            "free_text": feedback.free_text,
            "share_with_candidate": feedback.share_with_candidate,
        },
    )
    if not created:
        if record.status == Feedback.Status.SENT:
            return False
        apply_changes(
            record, {"free_text": feedback.free_text, "share_with_candidate": feedback.share_with_candidate}
        )
        record.items.all().delete()
    items = feedback.items()
    for item in items:
        item.feedback = record
        item.full_clean()
    FeedbackItem.objects.bulk_create(items)
    return True


FEEDBACK_EDITABLE_FIELDS = frozenset({"free_text", "share_with_candidate"})


@transaction.atomic
def feedback_update(*, feedback: Feedback, actor: Actor, data: Mapping[str, Any]) -> list[str]:
    """Edit the recruiter's note and whether development areas may be shared; return what changed."""
    unknown = set(data) - FEEDBACK_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable feedback fields: {', '.join(sorted(unknown))}")
    if feedback.status == Feedback.Status.SENT and data:
        raise ValidationError(_("Feedback that was sent cannot be changed."))
    changed = apply_changes(feedback, data)
    if changed:
        audit_record(
            organization=feedback.organization_id,
            actor=actor,
            action="feedback.updated",
            target=feedback,
            changes=changed,
        )
    return changed


@transaction.atomic
def feedback_approve(*, feedback: Feedback, actor: Actor, now: dt.datetime | None = None) -> bool:
    """Approve draft feedback for sharing with the candidate; True if this call approved it."""
    now = now or timezone.now()
    approved = Feedback.objects.filter(pk=feedback.pk, status=Feedback.Status.DRAFT).update(
        status=Feedback.Status.APPROVED, approved_by_id=actor.user_id, approved_at=now, updated_at=now
    )
    if approved:
        audit_record(
            organization=feedback.organization_id,
            actor=actor,
            action="feedback.approved",
            target=feedback,
            changes=["status", "approved_by", "approved_at"],
        )
        feedback.refresh_from_db()
    return bool(approved)
