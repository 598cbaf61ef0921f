"""The profile-update flow: a candidate's details or CV change; they are re-indexed and matched.

Changes come from the ATS, a recruiter, or the candidate through their link. A change to what
matching reads (``PROFILE_FIELDS``) matches someone in the pool against the open openings, and a
development area their earlier feedback named that the profile now shows is a closed gap.

A CV is checked on upload (``integrations.cv.checks``), stored under a name that says nothing,
and read in a worker: a ``CvFile`` with no ``extracted_at`` is still waiting for that, and
``cv_text_extract_sweep`` queues it again if the task was lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from integrations.cv.extraction import ExtractionError, extract_text
from talentpool.candidates.models import Candidate, CvFile
from talentpool.candidates.services import candidate_update
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_task_on_commit
from talentpool.core.services import audit_record
from talentpool.flows.opening import matches_announce
from talentpool.matching.models import MatchAlert
from talentpool.matching.services import candidate_match, candidate_match_queue
from talentpool.search.candidates import candidate_index_queue, candidate_index_sync
from talentpool.webhooks.services import candidate_updated_emit

logger = logging.getLogger(__name__)

# Changes to these fields match the candidate against open openings again.
PROFILE_FIELDS = frozenset(
    {"headline", "skills", "languages", "years_of_experience", "cv_text", "location", "latitude", "longitude"}
)
CV_TEXT_EXTRACT_TASK = "talentpool.candidates.tasks.cv_text_extract_task"
CV_SWEEP_AFTER = dt.timedelta(minutes=15)


@transaction.atomic
def candidate_change(*, candidate: Candidate, actor: Actor, data: Mapping[str, Any]) -> list[str]:
    """Change a candidate's details; return the fields that changed. Changing nothing does nothing."""
    changed = candidate_update(candidate=candidate, actor=actor, data=data)
    if changed:
        candidate_index_queue(candidate_ids=[candidate.pk])
        candidate_updated_emit(candidate=candidate, changed=changed)
        if PROFILE_FIELDS.intersection(changed) and candidate.is_in_pool():
            # A new CV or new skills: match the candidate against the open openings.
            candidate_match_queue(candidate_id=candidate.pk)
    return changed


def candidate_match_run(*, candidate_id: int, now: dt.datetime | None = None) -> list[MatchAlert]:
    """Match a candidate on their current document against the open openings; announce new alerts."""
    now = now or timezone.now()
    # Match on the candidate's current document, not one still waiting to be indexed.
    candidate_index_sync(candidate_ids=[candidate_id])
    with transaction.atomic():
        alerts = candidate_match(candidate_id=candidate_id, now=now)
        matches_announce(alerts=alerts, now=now)
    return alerts


def cv_replace(*, candidate: Candidate, data: bytes, content_type: str, actor: Actor) -> CvFile:
    """Store an accepted CV as the candidate's only CV; its text is read after commit."""
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        cv = CvFile.objects.filter(candidate=candidate).first()
        old_name = cv.file.name if cv is not None else ""
        if cv is None:
            cv = CvFile(organization_id=candidate.organization_id, candidate=candidate)
        cv.content_type, cv.size, cv.sha256, cv.extracted_at = content_type, len(data), sha256, None
        cv.file.save("cv", ContentFile(data), save=False)
        new_name = cv.file.name or ""
        try:
            cv.full_clean()
            cv.save()
            # The old CV's text goes with the old file; the new text follows from the worker.
            candidate_change(candidate=candidate, actor=actor, data={"cv_text": ""})
            audit_record(
                organization=candidate.organization_id,
                actor=actor,
                action="cv.replaced" if old_name else "cv.uploaded",
                target=candidate,
                changes=["cv_file"],
                context={"cv_file_id": cv.pk, "content_type": content_type, "size": len(data)},
            )
        except BaseException:
            cv.file.storage.delete(new_name)
            raise
        storage = cv.file.storage
        if old_name and old_name != new_name:
            transaction.on_commit(lambda: storage.delete(old_name))
        cv_text_extract_queue(cv_file=cv)
    return cv


def cv_text_extract_queue(*, cv_file: CvFile) -> None:
    enqueue_task_on_commit(CV_TEXT_EXTRACT_TASK, cv_file_id=cv_file.pk, sha256=cv_file.sha256)


def cv_text_extract(*, cv_file_id: int, sha256: str, now: dt.datetime | None = None) -> bool:
    """Read the text of a stored CV into the candidate's profile; False if the file has changed.

    A file that cannot be read leaves the text empty and is not tried again.
    """
    cv = CvFile.objects.filter(pk=cv_file_id, sha256=sha256).first()
    if cv is None:
        return False
    text = ""
    try:
        with cv.file.open("rb") as stream:
            data = stream.read(settings.CV_MAX_BYTES + 1)
        text = extract_text(data, cv.content_type)
    except (ExtractionError, OSError) as error:
        logger.warning("CV text not extracted", extra={"cv_file_id": cv.pk, "error": type(error).__name__})
    with transaction.atomic():
        marked = CvFile.objects.filter(pk=cv.pk, sha256=sha256, extracted_at__isnull=True).update(
            extracted_at=now or timezone.now()
        )
        if not marked:
            return False
        candidate = Candidate.objects.select_for_update().get(pk=cv.candidate_id)
        candidate_change(candidate=candidate, actor=Actor.system(), data={"cv_text": text})
    return True


def cv_text_extract_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue extraction again for CVs still waiting long after upload (a lost task)."""
    now = now or timezone.now()
    waiting = CvFile.objects.filter(extracted_at__isnull=True, updated_at__lt=now - CV_SWEEP_AFTER)
    count = 0
    for cv in waiting.only("pk", "sha256"):
        cv_text_extract_queue(cv_file=cv)
        count += 1
    return count
