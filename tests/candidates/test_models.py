from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from talentpool.candidates.models import Candidate
from tests.factories import CandidateFactory

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


def test_a_duplicate_email_in_one_organization_is_refused(organization):
    # given
    CandidateFactory.create(organization=organization, email="sofie@x.dk")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(organization=organization, first_name="Sofie", email="sofie@x.dk")


def test_a_duplicate_email_differing_only_in_case_is_refused(organization):
    # given
    CandidateFactory.create(organization=organization, email="sofie@x.dk")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(organization=organization, first_name="Sofie", email="Sofie@x.dk")


def test_the_same_email_in_two_organizations_is_allowed(organization, other_organization):
    # given
    CandidateFactory.create(organization=organization, email="sofie@x.dk")

    # when
    Candidate.objects.create(organization=other_organization, first_name="Sofie", email="sofie@x.dk")

    # then
    assert Candidate.objects.filter(email="sofie@x.dk").count() == 2


def test_a_duplicate_source_and_external_id_in_one_organization_is_refused(organization):
    # given
    CandidateFactory.create(organization=organization, source="teamtailor", external_id="tt-42")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            organization=organization,
            first_name="Lars",
            email="lars@x.dk",
            source="teamtailor",
            external_id="tt-42",
        )


def test_the_same_source_and_external_id_in_two_organizations_is_allowed(organization, other_organization):
    # given
    CandidateFactory.create(organization=organization, source="teamtailor", external_id="tt-42")

    # when
    Candidate.objects.create(
        organization=other_organization,
        first_name="Lars",
        email="lars@x.dk",
        source="teamtailor",
        external_id="tt-42",
    )

    # then
    assert Candidate.objects.filter(source="teamtailor", external_id="tt-42").count() == 2


def test_two_candidates_without_an_external_id_are_allowed(organization):
    # given
    CandidateFactory.create(organization=organization, source="teamtailor", external_id="")

    # when
    Candidate.objects.create(
        organization=organization, first_name="Lars", email="lars@x.dk", source="teamtailor", external_id=""
    )

    # then
    assert Candidate.objects.filter(organization=organization, external_id="").count() == 2


def test_an_invalid_language_is_refused(organization):
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            organization=organization, first_name="Sofie", email="sofie@x.dk", language="de"
        )


def test_a_latitude_out_of_range_is_refused(organization):
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            organization=organization, first_name="Sofie", email="sofie@x.dk", latitude=91.0, longitude=12.5
        )


def test_in_pool_returns_only_candidates_whose_consent_expires_after_now(organization):
    # given
    in_pool = CandidateFactory.create(
        organization=organization, consent_expires_at=NOW + dt.timedelta(days=1)
    )
    CandidateFactory.create(organization=organization, consent_expires_at=NOW)
    CandidateFactory.create(organization=organization, consent_expires_at=NOW - dt.timedelta(days=1))
    CandidateFactory.create(organization=organization, consent_expires_at=None)

    # when
    result = Candidate.objects.in_pool(now=NOW)

    # then
    assert list(result) == [in_pool]
