from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from talentpool.candidates.models import Candidate
from talentpool.candidates.services import candidate_create, candidate_update
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.core.services import api_key_create
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

SOFIE = {
    "first_name": "Sofie",
    "last_name": "Kjærgaard",
    "email": "sofie.kjaergaard@example.dk",
    "phone": "+4520304050",
}


def test_candidate_create_records_a_created_event_naming_the_actor_and_the_fields(organization, recruiter):
    # when
    candidate = candidate_create(organization=organization, actor=Actor.user(recruiter), data=SOFIE)

    # then
    event = AuditEvent.objects.get()
    assert (event.organization_id, event.action, event.target_type, event.target_id) == (
        organization.pk,
        "candidate.created",
        "candidates.candidate",
        candidate.pk,
    )
    assert (event.actor_type, event.actor_user_id, event.actor_api_key_id) == ("USER", recruiter.pk, None)
    assert event.changes == ["email", "first_name", "language", "last_name", "phone"]


def test_candidate_create_records_no_personal_values_in_the_audit_event(organization, recruiter):
    # when
    candidate_create(organization=organization, actor=Actor.user(recruiter), data=SOFIE)

    # then
    row = json.dumps(AuditEvent.objects.values().get(), default=str, ensure_ascii=False).lower()
    for value in SOFIE.values():
        assert value.lower() not in row


def test_candidate_create_stores_the_email_in_lowercase(organization):
    # when
    candidate = candidate_create(
        organization=organization, actor=Actor.system(), data={"first_name": "Sofie", "email": " Sofie@X.dk "}
    )

    # then
    candidate.refresh_from_db()
    assert candidate.email == "sofie@x.dk"


def test_candidate_create_refuses_an_email_that_differs_only_in_case_with_a_validation_error(organization):
    # given
    CandidateFactory.create(organization=organization, email="sofie@x.dk")

    # when / then
    with pytest.raises(ValidationError):
        candidate_create(
            organization=organization,
            actor=Actor.system(),
            data={"first_name": "Sofie", "email": "Sofie@x.dk"},
        )
    assert Candidate.objects.filter(organization=organization).count() == 1


def test_candidate_create_names_the_email_field_when_refusing_a_duplicate(organization):
    # given
    CandidateFactory.create(organization=organization, email="sofie@x.dk")

    # when
    with pytest.raises(ValidationError) as raised:
        candidate_create(
            organization=organization,
            actor=Actor.system(),
            data={"first_name": "Sofie", "email": "Sofie@x.dk"},
        )

    # then
    assert list(raised.value.message_dict) == ["email"]


def test_candidate_update_records_only_the_fields_that_changed(organization):
    # given
    candidate = CandidateFactory.create(
        organization=organization, headline="Project manager", location="Aarhus"
    )
    key, _secret = api_key_create(organization=organization, actor=Actor.system(), name="ATS")

    # when
    candidate_update(
        candidate=candidate,
        actor=Actor.api_key(key),
        data={"headline": "Programme manager", "location": "Aarhus"},
    )

    # then
    event = AuditEvent.objects.get(action="candidate.updated")
    assert (event.actor_type, event.actor_api_key_id) == ("API_KEY", key.pk)
    assert event.changes == ["headline"]
    candidate.refresh_from_db()
    assert candidate.headline == "Programme manager"


def test_candidate_update_records_nothing_when_nothing_changed(organization, recruiter):
    # given
    candidate = CandidateFactory.create(
        organization=organization, email="sofie@x.dk", headline="Project manager"
    )

    # when
    candidate_update(
        candidate=candidate,
        actor=Actor.user(recruiter),
        data={"email": "Sofie@x.dk", "headline": "Project manager"},
    )

    # then
    assert not AuditEvent.objects.exists()
