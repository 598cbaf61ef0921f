"""Benchmark the REST API: bulk upsert of 10,000 candidates, and list and search latency.

Runs with no environment: a temporary VAR_DIR with a fresh SQLite database (or DATABASE_URL if
set) and the embedded search engine. Requests go through Django's test client: the whole WSGI
stack (middleware, authentication, throttling, serializers, services) in this process, without
a network hop. The upsert uses the bulk endpoint in batches of 500.

    .venv/bin/python bench/api.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROWS = 10_000
BATCH = 500
LIST_REQUESTS = 100
SEARCH_REQUESTS = 100
POOL = 2_000


def configure() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="talentpool-bench-"))
    Path(os.environ["VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every query in memory
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("API_THROTTLE_RATE", "1000000/min")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def rows(prefix: str) -> list[dict[str, object]]:
    skills = [["python", "django"], ["prince2", "project management"], ["el-installation"], ["sql", "excel"]]
    return [
        {
            "source": "bench",
            "external_id": f"{prefix}-{n}",
            "first_name": f"Person{n}",
            "last_name": "Jensen",
            "email": f"{prefix}.{n}@example.dk",
            "language": "da",
            "headline": ["Projektleder", "Udvikler", "Elektriker", "Controller"][n % 4],
            "skills": skills[n % 4],
            "years_of_experience": n % 30,
        }
        for n in range(ROWS)
    ]


def main() -> None:
    configure()
    import datetime as dt

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from talentpool.candidates.models import Candidate
    from talentpool.core.actors import Actor
    from talentpool.core.models import ApiKey, Organization
    from talentpool.core.services import api_key_create
    from talentpool.search.candidates import candidate_index, candidate_index_sync

    organization = Organization.objects.create(name="Bench A/S", slug="bench")
    baseline_organization = Organization.objects.create(name="Baseline A/S", slug="baseline")
    _key, secret = api_key_create(
        organization=organization, actor=Actor.system(), name="bench", scope=ApiKey.Scope.WRITE
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    # Bulk upsert through the API.
    data = rows("api")
    started = time.perf_counter()
    for start in range(0, ROWS, BATCH):
        response = client.post(
            "/api/v1/candidates/bulk-upsert/",
            {"candidates": data[start : start + BATCH]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:500]
    api_seconds = time.perf_counter() - started
    assert Candidate.objects.filter(organization=organization).count() == ROWS

    # The same rows straight into the database.
    baseline = [
        Candidate(
            organization=baseline_organization,
            **{k: v for k, v in row.items() if k != "skills"},
            skills=row["skills"],
        )
        for row in rows("orm")
    ]
    started = time.perf_counter()
    Candidate.objects.bulk_create(baseline, batch_size=BATCH)
    orm_seconds = time.perf_counter() - started

    # List: page through with the cursor, 100 per page.
    samples: list[float] = []
    url: str | None = "/api/v1/candidates/?page_size=100"
    while url and len(samples) < LIST_REQUESTS:
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        url = response.json()["next"]
    list_samples = samples

    # Search: put some candidates in the pool, index them, and query.
    pool_ids = list(
        Candidate.objects.filter(organization=organization).order_by("pk").values_list("pk", flat=True)[:POOL]
    )
    Candidate.objects.filter(pk__in=pool_ids).update(
        consent_expires_at=timezone.now() + dt.timedelta(days=365)
    )
    candidate_index.ensure()
    for start in range(0, POOL, BATCH):
        candidate_index_sync(candidate_ids=pool_ids[start : start + BATCH])
    candidate_index.refresh()
    queries: list[dict[str, Any]] = [
        {"text": "projektleder"},
        {"skills_all": "python"},
        {"text": "udvikler", "skills_any": ["django", "sql"]},
        {"years_min": "10", "sort": "experience"},
    ]
    search_samples = []
    for n in range(SEARCH_REQUESTS):
        started = time.perf_counter()
        response = client.get("/api/v1/search/candidates/", queries[n % len(queries)])
        search_samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:500]
    hits = response.json()["total"]

    api_rate = ROWS / api_seconds
    orm_rate = ROWS / orm_seconds
    engine = "Elasticsearch" if settings.ELASTICSEARCH_URL else "embedded osmem"
    p50, p95 = statistics.median, percentile
    print(f"database: {connection.vendor}; search engine: {engine}")
    print(f"bulk upsert through the API ({ROWS} candidates, {BATCH} per request):")
    print(f"  {api_seconds:.2f} s, {api_rate:,.0f} candidates/s")
    print(f"ORM bulk_create of the same rows: {orm_seconds:.2f} s, {orm_rate:,.0f} candidates/s")
    print(
        f"API / ORM throughput: 1 : {orm_rate / api_rate:.1f} (the API at {100 * api_rate / orm_rate:.1f}%)"
    )
    print(f"list, 100 per page ({len(list_samples)} pages):")
    print(f"  p50 {1000 * p50(list_samples):.1f} ms, p95 {1000 * p95(list_samples, 0.95):.1f} ms")
    print(f"search ({SEARCH_REQUESTS} queries over {POOL} candidates in the pool; the last found {hits}):")
    print(f"  p50 {1000 * p50(search_samples):.1f} ms, p95 {1000 * p95(search_samples, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
