"""The Celery app: tasks are autodiscovered in each domain app's ``tasks.py``."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")

app = Celery("talentpool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
