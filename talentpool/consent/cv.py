"""A candidate's CV: checked on upload, stored under a name that says nothing, read in a worker.

A new upload replaces the old file (deleted from storage after commit) and its text; the new
text is extracted by ``cv_text_extract_task``. A ``CvFile`` with no ``extracted_at`` is still
waiting for that, and ``cv_text_extract_sweep`` queues it again if the task was lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from integrations.cv.extraction import ExtractionError, extract_text
from talentpool.candidates.models import Candidate, CvFile
from talentpool.candidates.services import candidate_update
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_on_commit
from talentpool.core.services import audit_record

logger = logging.getLogger(__name__)

SWEEP_AFTER = dt.timedelta(minutes=15)


def cv_replace(*, candidate: Candidate, data: bytes, content_type: str, actor: Actor) -> CvFile:
    """Store an accepted CV (see ``integrations.cv.checks``) as the candidate's only CV."""
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
            candidate_update(candidate=candidate, actor=actor, data={"cv_text": ""})
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
    from talentpool.consent.tasks import cv_text_extract_task

    enqueue_on_commit(cv_text_extract_task, cv_file_id=cv_file.pk, sha256=cv_file.sha256)


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
        candidate_update(candidate=candidate, actor=Actor.system(), data={"cv_text": text})
    return True


def cv_text_extract_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue extraction again for CVs still waiting long after upload (a lost task)."""
    now = now or timezone.now()
    waiting = CvFile.objects.filter(extracted_at__isnull=True, updated_at__lt=now - SWEEP_AFTER)
    count = 0
    for cv in waiting.only("pk", "sha256"):
        cv_text_extract_queue(cv_file=cv)
        count += 1
    return count
