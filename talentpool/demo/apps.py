from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Realistic demo data (``manage.py seed_demo``); it writes through the flows and services."""

    name = "talentpool.demo"
    label = "demo"
