"""The profile-update flow: a candidate's details or CV change; they are re-indexed and matched.

Changes come from the ATS, a recruiter, or the candidate through their link. A change to what
matching reads (``PROFILE_FIELDS``) matches someone in the pool against the open openings, and a
development area their earlier feedback named that the profile now shows is a closed gap.

A CV is checked and its text read before it replaces anything (``cv_upload``, through
``integrations.cv.checks``), and stored under a name that says nothing. A CV without readable
text waits for the candidate's confirmation as a ``PendingCv``. A ``CvFile`` with no
``extracted_at`` was stored before uploads were read at once; ``cv_text_extract_sweep`` reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from integrations.cv.checks import CheckedCv, CvRejected, check_cv
from integrations.cv.reading import has_text
from talentpool.candidates.models import Candidate, CvFile, PendingCv
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
# How long a CV without readable text waits for the candidate to keep it.
CV_PENDING_FOR = dt.timedelta(hours=1)


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


def cv_upload(
    *, candidate: Candidate, data: bytes, actor: Actor, now: dt.datetime | None = None
) -> CvFile | PendingCv:
    """Check an uploaded CV and make it the candidate's, or hold it for their confirmation.

    Every way a CV comes in goes through here. The file is checked and its text read before
    anything changes: a refused file (``CvRejected``) leaves the current CV and its text as they
    were; a file without readable text (a scan) is held as a ``PendingCv`` until the candidate
    keeps it (``cv_pending_keep``) or drops it.
    """
    try:
        checked = check_cv(
            data,
            max_bytes=settings.CV_MAX_BYTES,
            seconds=settings.CV_READ_SECONDS,
            memory_bytes=settings.CV_READ_MEMORY_BYTES,
        )
    except CvRejected as rejected:
        logger.info(
            "CV refused",
            extra={
                "candidate_id": candidate.pk,
                "code": rejected.code,
                "detail": rejected.detail,
                "seconds": round(rejected.seconds, 3),
                "peak_rss_bytes": rejected.peak_rss_bytes,
            },
        )
        raise
    logger.info(
        "CV checked",
        extra={
            "candidate_id": candidate.pk,
            "seconds": round(checked.seconds, 3),
            "peak_rss_bytes": checked.peak_rss_bytes,
            "has_text": checked.has_text,
        },
    )
    if checked.has_text:
        return _cv_store(
            candidate=candidate,
            data=data,
            content_type=checked.content_type,
            text=checked.text,
            actor=actor,
            now=now,
        )
    return _cv_pending_hold(candidate=candidate, checked=checked, actor=actor)


def _cv_store(
    *,
    candidate: Candidate,
    data: bytes,
    content_type: str,
    text: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> CvFile:
    """Make checked bytes and their text the candidate's only CV, in one transaction."""
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        PendingCv.objects.filter(candidate=candidate).delete()
        cv = CvFile.objects.filter(candidate=candidate).first()
        old_name = cv.file.name if cv is not None else ""
        if cv is None:
            cv = CvFile(organization_id=candidate.organization_id, candidate=candidate)
        cv.content_type, cv.size, cv.sha256 = content_type, len(data), sha256
        cv.extracted_at = now or timezone.now()
        cv.file.save("cv", ContentFile(data), save=False)
        new_name = cv.file.name or ""
        try:
            cv.full_clean()
            cv.save()
            candidate_change(candidate=candidate, actor=actor, data={"cv_text": text})
            audit_record(
                organization=candidate.organization_id,
                actor=actor,
                action="cv.replaced" if old_name else "cv.uploaded",
                target=candidate,
                changes=["cv_file", "cv_text"],
                context={
                    "cv_file_id": cv.pk,
                    "content_type": content_type,
                    "size": len(data),
                    "searchable": has_text(text),
                },
            )
        except BaseException:
            cv.file.storage.delete(new_name)
            raise
        storage = cv.file.storage
        if old_name and old_name != new_name:
            transaction.on_commit(lambda: storage.delete(old_name))
    return cv


def _cv_pending_hold(*, candidate: Candidate, checked: CheckedCv, actor: Actor) -> PendingCv:
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        PendingCv.objects.filter(candidate=candidate).delete()
        pending = PendingCv.objects.create(
            organization_id=candidate.organization_id,
            candidate=candidate,
            key=secrets.token_urlsafe(24),
            data=checked.data,
            content_type=checked.content_type,
            sha256=checked.sha256,
        )
        audit_record(
            organization=candidate.organization_id,
            actor=actor,
            action="cv.held_without_text",
            target=candidate,
            context={"content_type": checked.content_type, "size": len(checked.data)},
        )
    return pending


def cv_pending_find(*, candidate: Candidate, now: dt.datetime | None = None) -> PendingCv | None:
    """The candidate's CV awaiting confirmation, unless it is older than ``CV_PENDING_FOR``."""
    since = (now or timezone.now()) - CV_PENDING_FOR
    return PendingCv.objects.filter(candidate=candidate, created_at__gte=since).first()


def cv_pending_keep(
    *, candidate: Candidate, key: str, actor: Actor, now: dt.datetime | None = None
) -> CvFile | None:
    """Keep a held CV without text as the candidate's CV; None if it is no longer held."""
    with transaction.atomic():
        pending = cv_pending_find(candidate=candidate, now=now)
        if pending is None or not secrets.compare_digest(pending.key, key):
            return None
        locked = PendingCv.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None:
            return None  # kept or dropped by a request a moment earlier
        # The bytes were checked when they were uploaded; they were held, not changed.
        return _cv_store(
            candidate=candidate,
            data=bytes(locked.data),
            content_type=locked.content_type,
            text="",
            actor=actor,
            now=now,
        )


def cv_pending_drop(*, candidate: Candidate, key: str) -> bool:
    """Drop a held CV; the current CV stays as it was. False if there was none with that key."""
    deleted, _rows = PendingCv.objects.filter(candidate=candidate, key=key).delete()
    return bool(deleted)


def cv_text_extract_queue(*, cv_file: CvFile) -> None:
    enqueue_task_on_commit(CV_TEXT_EXTRACT_TASK, cv_file_id=cv_file.pk, sha256=cv_file.sha256)


def cv_text_extract(*, cv_file_id: int, sha256: str, now: dt.datetime | None = None) -> bool:
    """Read the text of a stored CV that has none yet; False if there is nothing to do.

    New uploads are read before they are stored (``cv_upload``). This is for CVs stored before
    that, still waiting for a worker: the same checks, and a file they refuse gets no text.
    """
    cv = CvFile.objects.filter(pk=cv_file_id, sha256=sha256, extracted_at__isnull=True).first()
    if cv is None:
        return False
    text = ""
    try:
        with cv.file.open("rb") as stream:
            data = stream.read(settings.CV_MAX_BYTES + 1)
        text = check_cv(
            data,
            max_bytes=settings.CV_MAX_BYTES,
            seconds=settings.CV_READ_SECONDS,
            memory_bytes=settings.CV_READ_MEMORY_BYTES,
        ).text
    except CvRejected as rejected:
        logger.warning("stored CV refused by the checks", extra={"cv_file_id": cv.pk, "code": rejected.code})
    except OSError as error:
        logger.warning("stored CV not read", extra={"cv_file_id": cv.pk, "error": type(error).__name__})
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
    """Queue reading again for stored CVs still without text; drop CVs held past their time.

    Returns how many CVs were queued.
    """
    now = now or timezone.now()
    PendingCv.objects.filter(created_at__lt=now - CV_PENDING_FOR).delete()
    waiting = CvFile.objects.filter(extracted_at__isnull=True, updated_at__lt=now - CV_SWEEP_AFTER)
    count = 0
    for cv in waiting.only("pk", "sha256"):
        cv_text_extract_queue(cv_file=cv)
        count += 1
    return count
