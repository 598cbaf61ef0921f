"""The candidate's rights: they take their data with them (export) or have it erased.

Erasure removes the person from every table (rows go by cascade: consent events, CV file,
runner-ups and feedback, messages, magic links, match alerts, feedback requests, touchpoint
plan; new-link requests by address), from file storage (see ``talentpool.candidates.signals``)
and from the index. Rows kept for someone else lose the person's details: the recruiters'
digests, the admin's history, the API's stored answers (through ``candidate_erasing``).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from talentpool.candidates.models import Candidate
from talentpool.consent.models import LinkRequest
from talentpool.core.actors import Actor
from talentpool.core.redaction import Person
from talentpool.core.services import audit_record
from talentpool.messaging.digests import recruiter_messages_redact
from talentpool.rights.export import candidate_export, candidate_export_archive
from talentpool.rights.signals import candidate_erasing
from talentpool.search.candidates import candidate_index_queue, candidate_index_sync

logger = logging.getLogger(__name__)


@transaction.atomic
def candidate_erase(*, candidate: Candidate, actor: Actor, reason: str = "request") -> bool:
    """Erase everything held about a person; False if they were already gone.

    After commit the index document is deleted at once and queued again, so a search engine that
    is down only delays its removal. The audit event keeps the id, the actor and ``reason``: no
    personal data.
    """
    current = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if current is None:
        return False
    audit_record(
        organization=current.organization_id,
        actor=actor,
        action="candidate.erased",
        target=current,
        context={"reason": reason},
    )
    candidate_id = current.pk
    _traces_remove(current)
    # A new-link request waiting for a worker holds the address as typed; it goes too.
    LinkRequest.objects.filter(email__iexact=current.email).delete()
    current.delete()
    candidate_index_queue(candidate_ids=[candidate_id])
    transaction.on_commit(partial(_index_document_remove, candidate_id))
    logger.info("candidate erased", extra={"candidate_id": candidate_id, "reason": reason})
    return True


def _traces_remove(candidate: Candidate) -> None:
    """Take the person out of the rows that outlive them."""
    person = Person.of(
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
    )
    recruiter_messages_redact(
        organization_id=candidate.organization_id, person=person, since=candidate.created_at
    )
    # The admin's history: their own entries, and any other entry whose title names them.
    mentions = Q()
    for key in person.keys:
        mentions |= Q(object_repr__icontains=key) | Q(change_message__icontains=key)
    own = Q(content_type=ContentType.objects.get_for_model(Candidate), object_id=str(candidate.pk))
    LogEntry.objects.filter(own | (mentions & Q(action_time__gte=candidate.created_at))).delete()
    candidate_erasing.send(sender=Candidate, candidate=candidate, person=person)


def _index_document_remove(candidate_id: int) -> None:
    try:
        candidate_index_sync(candidate_ids=[candidate_id])
    except Exception:
        # The queued task retries, and the periodic reconciliation removes orphans.
        logger.warning(
            "index document not removed at once", extra={"candidate_id": candidate_id}, exc_info=True
        )


def candidate_export_download(*, candidate: Candidate, actor: Actor) -> dict[str, Any]:
    """The candidate's export, with an audit event saying who took it."""
    data = candidate_export(candidate=candidate)
    audit_record(
        organization=candidate.organization_id, actor=actor, action="candidate.exported", target=candidate
    )
    return data


def candidate_export_archive_download(*, candidate: Candidate, actor: Actor) -> bytes:
    """The candidate's export with their CV file (a zip), with an audit event saying who took it."""
    archive = candidate_export_archive(candidate=candidate)
    audit_record(
        organization=candidate.organization_id,
        actor=actor,
        action="candidate.exported",
        target=candidate,
        context={"with_files": True},
    )
    return archive
