"""The decision flow: a runner-up is recorded with feedback, and a warm rejection is drafted.

Here too are the writes an ATS makes before a decision: candidates and openings kept by their
ATS ids. The REST API, the vendor adapters and the admin all come through here, so an ATS that
pushes over the API, one whose webhooks we receive and a recruiter end in the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from talentpool.candidates.languages import with_language
from talentpool.candidates.models import Candidate
from talentpool.candidates.services import candidate_clean_data, candidate_create
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.core.services import audit_record_many
from talentpool.flows.opening import opening_add, opening_change
from talentpool.flows.profile import candidate_change
from talentpool.messaging.drafting import warm_rejection_draft_queue, warm_rejection_redraft
from talentpool.messaging.feedback import feedback_language_mismatch
from talentpool.openings.models import Feedback, Opening, RunnerUp
from talentpool.openings.selectors import feedback_written
from talentpool.openings.services import FeedbackInput, feedback_approve, feedback_replace, runner_up_record
from talentpool.search.candidates import candidate_index_queue


@dataclass(frozen=True)
class Reference:
    """A candidate or opening named by our id, or by its ATS ``(source, external_id)``.

    ``data`` holds the fields to create it with (or to update it with) when it is named by ATS id.
    """

    id: int | None = None
    source: str = ""
    external_id: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


DUPLICATE_CODES = frozenset({"unique", "unique_together", "duplicate_email", "duplicate_external_id"})
T = TypeVar("T")


def _once_more_if_created_meanwhile(write: Callable[[], T]) -> T:
    """Run an upsert; if a concurrent request created the same row first, run it again.

    The second run finds the row and updates it, so concurrent upserts of one person or opening
    all end in that one row. A conflict that remains is left to the caller (the API's 409).
    """
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        pass
    except ValidationError as error:
        if not DUPLICATE_CODES & _codes(error):
            raise
    with transaction.atomic():
        return write()


def _codes(error: ValidationError) -> set[str]:
    errors = (
        [e for errs in error.error_dict.values() for e in errs]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return {str(e.code) for e in errors if e.code}


def candidate_upsert(
    *,
    organization: Organization,
    actor: Actor,
    source: str,
    external_id: str,
    data: Mapping[str, Any],
    ad_text: str = "",
) -> tuple[Candidate, bool]:
    """Create or update the candidate with this ATS id; return it and whether it was created.

    A candidate not yet known by this ATS id but known by email (added in the admin, say)
    is adopted: it gets the ATS id rather than a duplicate. ``ad_text`` (the ad they applied to)
    helps tell a new candidate's language when the ATS does not.
    """
    return _once_more_if_created_meanwhile(
        partial(
            _candidate_upsert,
            organization=organization,
            actor=actor,
            source=source,
            external_id=external_id,
            data=data,
            ad_text=ad_text,
        )
    )


def _candidate_upsert(
    *,
    organization: Organization,
    actor: Actor,
    source: str,
    external_id: str,
    data: Mapping[str, Any],
    ad_text: str,
) -> tuple[Candidate, bool]:
    if not external_id:
        raise ValidationError({"external_id": "An upsert needs the ATS's id for the candidate."})
    fields = {key: value for key, value in data.items() if key not in ("source", "external_id")}
    candidate = (
        Candidate.objects.select_for_update()
        .filter(organization=organization, source=source, external_id=external_id)
        .first()
    )
    if candidate is None and fields.get("email"):
        candidate = (
            Candidate.objects.select_for_update()
            .annotate(email_lower=Lower("email"))
            .filter(
                organization=organization, email_lower=str(fields["email"]).strip().lower(), external_id=""
            )
            .first()
        )
        if candidate is not None:
            fields = {**fields, "source": source, "external_id": external_id}
    if candidate is None:
        created = candidate_create(
            organization=organization,
            actor=actor,
            data={**fields, "source": source, "external_id": external_id},
            ad_text=ad_text,
        )
        return created, True
    candidate_change(candidate=candidate, actor=actor, data=fields)
    return candidate, False


def opening_upsert(
    *,
    organization: Organization,
    actor: Actor,
    source: str,
    external_id: str,
    data: Mapping[str, Any],
    recruiter_ids: Sequence[int] | None = None,
) -> tuple[Opening, bool]:
    """Create or update the opening with this ATS id; creating or reopening it triggers matching."""
    return _once_more_if_created_meanwhile(
        partial(
            _opening_upsert,
            organization=organization,
            actor=actor,
            source=source,
            external_id=external_id,
            data=data,
            recruiter_ids=recruiter_ids,
        )
    )


def _opening_upsert(
    *,
    organization: Organization,
    actor: Actor,
    source: str,
    external_id: str,
    data: Mapping[str, Any],
    recruiter_ids: Sequence[int] | None = None,
) -> tuple[Opening, bool]:
    if not external_id:
        raise ValidationError({"external_id": "An upsert needs the ATS's id for the opening."})
    fields = {key: value for key, value in data.items() if key not in ("source", "external_id")}
    opening = (
        Opening.objects.select_for_update()
        .filter(organization=organization, source=source, external_id=external_id)
        .first()
    )
    if opening is None:
        created = opening_add(
            organization=organization,
            actor=actor,
            data={**fields, "source": source, "external_id": external_id},
            recruiter_ids=recruiter_ids or (),
        )
        return created, True
    opening_change(opening=opening, actor=actor, data=fields, recruiter_ids=recruiter_ids)
    return opening, False


DUPLICATE_EMAIL = next(
    constraint.violation_error_message
    for constraint in Candidate._meta.constraints
    if constraint.name == "candidate_unique_email_per_organization"
)


class ItemError(Exception):
    """Item ``index`` of a batch was refused; ``error`` says why."""

    def __init__(self, index: int, error: ValidationError) -> None:
        self.index = index
        self.error = error
        super().__init__(f"item {index}: {error}")


@transaction.atomic
def candidates_upsert_many(
    *, organization: Organization, actor: Actor, items: Sequence[tuple[str, str, Mapping[str, Any]]]
) -> list[tuple[Candidate, bool]]:
    """``candidate_upsert`` for a batch of ``(source, external_id, data)``, all or nothing.

    The candidates not known yet (by ATS id or email) are validated field by field and created
    in one insert, with their audit events; uniqueness is checked for the whole batch at once
    (the database constraints stay the last word). Known ones are updated one by one.
    """
    keys = [(source, external_id) for source, external_id, _data in items]
    if len(set(keys)) != len(keys):
        # The same candidate twice in a batch: one after the other keeps the semantics simple.
        return [
            _upsert_item(index, organization=organization, actor=actor, source=s, external_id=e, data=d)
            for index, (s, e, d) in enumerate(items)
        ]
    known = {
        (candidate.source, candidate.external_id)
        for candidate in Candidate.objects.filter(
            organization=organization, external_id__in=[external_id for _source, external_id in keys]
        ).only("source", "external_id")
    }
    emails = {str(data.get("email", "")).strip().lower() for _s, _e, data in items}
    taken = dict(
        Candidate.objects.annotate(email_lower=Lower("email"))
        .filter(organization=organization, email_lower__in=emails)
        .values_list("email_lower", "external_id")
    )
    results: list[tuple[Candidate, bool] | None] = [None] * len(items)
    fresh: list[tuple[int, Candidate, Mapping[str, Any]]] = []
    batch_emails: set[str] = set()
    for index, (source, external_id, data) in enumerate(items):
        email = str(data.get("email", "")).strip().lower()
        if (source, external_id) in known or taken.get(email) == "":
            results[index] = _upsert_item(
                index,
                organization=organization,
                actor=actor,
                source=source,
                external_id=external_id,
                data=data,
            )
            continue
        if email in taken or email in batch_emails:
            raise ItemError(index, ValidationError({"email": [str(DUPLICATE_EMAIL)]}))
        batch_emails.add(email)
        try:
            cleaned = candidate_clean_data(
                with_language(
                    {**data, "source": source, "external_id": external_id}, organization=organization
                ),
                organization_id=organization.pk,
            )
            candidate = Candidate(organization=organization, **cleaned)
            candidate.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ItemError(index, error) from None
        fresh.append((index, candidate, data))
    Candidate.objects.bulk_create([candidate for _index, candidate, _data in fresh])
    audit_record_many(
        organization=organization,
        actor=actor,
        action="candidate.created",
        targets=[(candidate, [*data.keys(), "source", "external_id"]) for _index, candidate, data in fresh],
    )
    for index, candidate, _data in fresh:
        results[index] = (candidate, True)
    return [result for result in results if result is not None]


def _upsert_item(index: int, **kwargs: Any) -> tuple[Candidate, bool]:
    try:
        return candidate_upsert(**kwargs)
    except ValidationError as error:
        raise ItemError(index, error) from None


def _candidate_by_id(organization: Organization, reference: Reference) -> Candidate | None:
    if reference.id is None:
        return None
    candidate = Candidate.objects.filter(organization=organization, pk=reference.id).first()
    if candidate is None:
        raise ValidationError({"candidate.id": "No such candidate in this organization."})
    return candidate


def _candidate(organization: Organization, actor: Actor, reference: Reference, *, ad_text: str) -> Candidate:
    existing = Candidate.objects.filter(
        organization=organization, source=reference.source, external_id=reference.external_id
    ).first()
    if existing is not None and not reference.data:
        return existing
    if existing is None and not reference.data.get("email"):
        raise ValidationError(
            {"candidate": "Unknown candidate: send their first_name and email to create them."}
        )
    candidate, _created = candidate_upsert(
        organization=organization,
        actor=actor,
        source=reference.source,
        external_id=reference.external_id,
        data=reference.data,
        ad_text=ad_text,
    )
    return candidate


def _opening(organization: Organization, actor: Actor, reference: Reference) -> Opening:
    if reference.id is not None:
        opening = Opening.objects.filter(organization=organization, pk=reference.id).first()
        if opening is None:
            raise ValidationError({"opening.id": "No such opening in this organization."})
        return opening
    existing = Opening.objects.filter(
        organization=organization, source=reference.source, external_id=reference.external_id
    ).first()
    if existing is not None:
        # A decision does not reopen or retitle an opening; the opening endpoints do that.
        return existing
    if not reference.data.get("title"):
        raise ValidationError({"opening": "Unknown opening: send its title to create it."})
    # An opening learnt from a decision is usually filled: creating it must not start matching.
    data = {"status": Opening.Status.FILLED, **reference.data}
    opening, _created = opening_upsert(
        organization=organization,
        actor=actor,
        source=reference.source,
        external_id=reference.external_id,
        data=data,
    )
    return opening


@transaction.atomic
def decision_record(
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
) -> RunnerUp:
    """The candidate was runner-up for the opening, with feedback: record it, draft a warm rejection.

    Recording the same pair again updates the decision. When anything changed, the candidate's
    document (which carries their runner-up history) is re-indexed and the warm rejection is
    drafted after commit (a draft already approved is left as it is).
    """
    runner_up, changed = runner_up_record(
        actor=actor,
        candidate=candidate,
        opening=opening,
        stage=stage,
        rank=rank,
        closeness=closeness,
        contact_first=contact_first,
        decided_at=decided_at,
        decided_by_id=decided_by_id,
        notes=notes,
        feedback=feedback,
        notify_not_before=notify_not_before,
    )
    if changed:
        candidate_index_queue(candidate_ids=[candidate.pk])
        warm_rejection_draft_queue(runner_up_id=runner_up.pk)
    return runner_up


@transaction.atomic
def hiring_decision_record(
    *,
    organization: Organization,
    actor: Actor,
    candidate: Reference,
    opening: Reference,
    stage: str,
    rank: int = 2,
    closeness: int | None = None,
    contact_first: bool = False,
    decided_at: dt.datetime | None = None,
    notes: str = "",
    feedback: FeedbackInput | None = None,
    notify_not_before: dt.datetime | None = None,
) -> RunnerUp:
    """One call from the ATS: candidate C was runner-up for opening O, with feedback.

    Unknown candidates and openings are created from the details sent; known ones are
    updated with them. Then as ``decision_record``.
    """
    # The ad's language tells a new candidate's, when the ATS does not.
    person = _candidate_by_id(organization, candidate)
    found = _opening(organization, actor, opening)
    return decision_record(
        actor=actor,
        candidate=person
        or _candidate(organization, actor, candidate, ad_text=f"{found.title}\n{found.description}"),
        opening=found,
        stage=stage,
        rank=rank,
        closeness=closeness,
        contact_first=contact_first,
        decided_at=decided_at,
        notes=notes,
        feedback=feedback,
        notify_not_before=notify_not_before,
    )


@transaction.atomic
def decision_feedback_add(
    *, runner_up: RunnerUp, actor: Actor, feedback: FeedbackInput | None, closeness: int | None
) -> bool:
    """Add feedback that arrived after the decision (an ATS's scorecards); True if anything changed.

    It fills only what nobody has written yet: feedback a recruiter wrote, approved or sent stays as
    it is, and so does a closeness already given. A warm rejection still in draft is drafted again.
    """
    changed = False
    if closeness is not None and runner_up.closeness is None:
        runner_up_record(
            actor=actor,
            candidate=runner_up.candidate,
            opening=runner_up.opening,
            stage=runner_up.stage,
            rank=runner_up.rank,
            closeness=closeness,
            contact_first=runner_up.contact_first,
            decided_at=runner_up.decided_at,
            decided_by_id=runner_up.decided_by_id,
            notes=runner_up.notes,
            notify_not_before=runner_up.notify_not_before,
        )
        changed = True
    if feedback is not None and not feedback_written(runner_up=runner_up):
        feedback_replace(runner_up=runner_up, actor=actor, feedback=feedback)
        changed = True
    if changed:
        warm_rejection_redraft(runner_up=runner_up, actor=actor)
    return changed


class FeedbackInAnotherLanguage(ValidationError):
    """The feedback is written in another language than the candidate's."""

    def __init__(self, *, written_in: str, candidate_language: str) -> None:
        super().__init__(
            f"The feedback is written in {written_in}, the candidate's language is {candidate_language}: "
            "translate it first, or confirm that it goes as it is.",
            code="feedback_language",
        )


@transaction.atomic
def decision_feedback_approve(
    *, feedback: Feedback, actor: Actor, now: dt.datetime | None = None, language_confirmed: bool = False
) -> bool:
    """Approve a runner-up's feedback for sharing and draft their warm rejection again with it
    (if it has not been approved or sent yet). True if this call approved it.

    Feedback recognisably written in another language than the candidate's raises
    ``FeedbackInAnotherLanguage`` unless ``language_confirmed``.
    """
    feedback = Feedback.objects.select_related("runner_up__candidate").get(pk=feedback.pk)
    runner_up = feedback.runner_up
    language = runner_up.candidate.language
    written_in = feedback_language_mismatch(feedback, language=language)
    if written_in and not language_confirmed and feedback.status == Feedback.Status.DRAFT:
        raise FeedbackInAnotherLanguage(written_in=written_in, candidate_language=language)
    approved = feedback_approve(feedback=feedback, actor=actor, now=now)
    if approved:
        warm_rejection_redraft(runner_up=runner_up, actor=actor, now=now)
    return approved
