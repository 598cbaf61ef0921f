from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User

from talentpool.celery import app as celery_app
from talentpool.core.models import Membership, Organization
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


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
