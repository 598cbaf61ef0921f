"""A CV file leaves storage with its row, however the row goes (erasure, admin, cascade)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from talentpool.candidates.models import CvFile

logger = logging.getLogger(__name__)


@receiver(post_delete, sender=CvFile, dispatch_uid="candidates.cv_file_delete_stored")
def cv_file_delete_stored(sender: type[CvFile], instance: CvFile, using: str, **kwargs: Any) -> None:
    name = instance.file.name
    if not name:
        return
    storage, cv_file_id = instance.file.storage, instance.pk

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("CV file not deleted from storage", extra={"cv_file_id": cv_file_id})

    # After commit: a rolled-back erasure keeps its file.
    transaction.on_commit(delete, using=using)
