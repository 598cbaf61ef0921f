from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from elasticsearch import Elasticsearch

from integrations.search import client as search_client
from integrations.search import indices
from talentpool.candidates.models import Candidate
from talentpool.celery import app as celery_app
from talentpool.consent.models import ConsentText
from talentpool.core.models import Membership, Organization
from tests.factories import (
    CandidateFactory,
    ConsentTextFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery() -> Iterator[None]:
    # Tests run tasks in-process unless they start a real worker themselves.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """``@pytest.mark.clock(moment)``: the whole test, fixtures included, runs at that moment.

    The clock ticks from there, so versions and durations still move forward. A test that
    fixes a date must fix the clock too, or it turns into a time bomb once the real date passes
    the dates it made up.
    """
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield
        return
    with time_machine.travel(marker.args[0], tick=marker.kwargs.get("tick", True)):
        yield


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(name="Kystlys A/S", slug="kystlys", language="da")


@pytest.fixture
def other_organization() -> Organization:
    return OrganizationFactory(name="Fjällbo Bygg AB", slug="fjallbo", language="sv")


@pytest.fixture
def recruiter(organization: Organization) -> User:
    user = UserFactory(username="mette", is_staff=True)
    MembershipFactory(user=user, organization=organization, role=Membership.Role.RECRUITER)
    return user


@pytest.fixture
def other_recruiter(other_organization: Organization) -> User:
    user = UserFactory(username="anna", is_staff=True)
    MembershipFactory(user=user, organization=other_organization, role=Membership.Role.RECRUITER)
    return user


@pytest.fixture
def search_engine(request: pytest.FixtureRequest, settings) -> Iterator[Elasticsearch]:
    """A search engine for this test alone: an osmem clone, or Elasticsearch under a fresh prefix."""
    previous = search_client.get_client() if search_client._client is not None else None
    indices.forget_checks()
    if django_settings.ELASTICSEARCH_URL:
        settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
        engine = Elasticsearch(django_settings.ELASTICSEARCH_URL, request_timeout=30)
        search_client.set_client(engine)
        yield engine
        engine.indices.delete(index=f"{settings.SEARCH_INDEX_PREFIX}-*", ignore_unavailable=True)
    else:
        clone = request.getfixturevalue("osmem_clone")
        engine = Elasticsearch(clone.url, node_class=search_client.PlainJsonNode, request_timeout=30)
        search_client.set_client(engine)
        yield engine
    engine.close()
    indices.forget_checks()
    search_client.set_client(previous)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need a real service run only where it is configured, and say why otherwise."""
    needs = {
        "elasticsearch": (
            django_settings.ELASTICSEARCH_URL,
            "needs ELASTICSEARCH_URL (a real Elasticsearch)",
        ),
        "redis": (django_settings.REDIS_URL, "needs REDIS_URL (a Redis broker for a real Celery worker)"),
        "postgres": (
            django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
            "needs DATABASE_URL pointing at PostgreSQL",
        ),
    }
    for item in items:
        for marker, (available, reason) in needs.items():
            if marker in item.keywords and not available:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _own_cache(settings) -> None:
    # Rate limits count in the cache: each test starts from zero, whatever cache CI configures.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def consent_text(organization) -> ConsentText:
    return ConsentTextFactory(
        organization=organization,
        language="da",
        version=3,
        title="Bliv i vores talentpulje",
        body="Vi gemmer din profil i 12 måneder og kontakter dig om lignende stillinger.",
    )


@pytest.fixture
def candidate(organization) -> Candidate:
    return CandidateFactory(
        organization=organization,
        first_name="Sofie",
        last_name="Kjærgaard",
        email="sofie.kjaergaard@example.dk",
        phone="+4520304050",
        language="da",
    )
