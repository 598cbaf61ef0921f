"""Health of what the service depends on: the database, the broker and the search engine."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.db import connection

from integrations.search.client import get_client


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    if not settings.REDIS_URL:
        return  # Embedded: tasks run eagerly, there is no broker to reach.
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _check_search() -> None:
    get_client().options(request_timeout=3).info()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "broker": _check_broker,
    "search": _check_search,
}


def health_report() -> dict[str, Any]:
    components: dict[str, Any] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            components[name] = {"status": "down", "error": type(error).__name__}
        else:
            components[name] = {"status": "ok"}
        components[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    components["broker"]["mode"] = "redis" if settings.REDIS_URL else "eager"
    components["search"]["mode"] = "elasticsearch" if settings.ELASTICSEARCH_URL else "osmem"
    status = "ok" if all(c["status"] == "ok" for c in components.values()) else "down"
    return {"status": status, "components": components}
