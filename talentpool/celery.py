"""The Celery app: tasks are autodiscovered in each domain app's ``tasks.py``."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")

app = Celery("talentpool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _logging_as_configured(**kwargs: Any) -> None:
    """Logging is Django's ``LOGGING`` (JSON lines, secrets cut, task arguments hidden), set up
    by ``django.setup()``, which Celery's Django fix-up runs in every worker.

    With a receiver here, Celery leaves logging alone: it neither adds its own handlers nor sets
    the root logger's level to the worker's ``--loglevel`` (which also silenced warnings in the
    test process after a test worker had run).
    """
