from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from elasticsearch import NotFoundError

from talentpool.candidates.models import Candidate, CvFile
from talentpool.consent.links import magic_link_create
from talentpool.consent.models import MagicLink
from talentpool.core.actors import Actor
from talentpool.core.models import ApiKey, AuditEvent
from talentpool.flows.consent import pool_join
from talentpool.flows.profile import cv_upload
from talentpool.flows.rights import candidate_erase
from talentpool.messaging.digests import match_digest_queue
from talentpool.messaging.models import FeedbackRequest, Message, TouchpointPlan
from talentpool.openings.models import FeedbackItem
from talentpool.search.candidates import candidate_index
from tests.api.conftest import client_for
from tests.documents import pdf_bytes
from tests.factories import (
    CandidateFactory,
    ConsentTextFactory,
    FeedbackFactory,
    MatchAlertFactory,
    MembershipFactory,
    MessageFactory,
    OpeningFactory,
    RunnerUpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Birgitte",
    "last_name": "Østergaard-Lund",
    "email": "birgitte.ostergaard@example.dk",
    "phone": "+4531415926",
}


def everything_about(organization, **person) -> Candidate:
    """A candidate with a row in every table that can hold their data, and a CV file."""
    candidate = CandidateFactory(organization=organization, **person)
    text = ConsentTextFactory(organization=organization, language="da")
    pool_join(candidate=candidate, text=text, actor=Actor.candidate())
    cv_upload(candidate=candidate, data=pdf_bytes([person["first_name"]]), actor=Actor.candidate())
    runner_up = RunnerUpFactory(organization=organization, candidate=candidate, notes="Stærk i casen")
    feedback = FeedbackFactory(runner_up=runner_up)
    FeedbackItem.objects.create(feedback=feedback, kind="STRENGTH", text="Klar præsentation")
    MessageFactory(candidate=candidate, to_email=candidate.email, body_text=f"Kære {candidate.first_name}")
    MessageFactory(candidate=candidate, kind=Message.Kind.CHECK_IN, status=Message.Status.SCHEDULED)
    magic_link_create(candidate=candidate, scope=MagicLink.Scope.PROFILE)
    MatchAlertFactory(organization=organization, candidate=candidate)
    FeedbackRequest.objects.create(
        organization=organization,
        candidate=candidate,
        runner_up=runner_up,
        due_at=timezone.now(),
        question="Hvorfor?",
    )
    TouchpointPlan.objects.create(organization=organization, candidate=candidate, next_touchpoint="check_in")
    return Candidate.objects.get(pk=candidate.pk)


def all_rows_as_text() -> str:
    rows = []
    for model in apps.get_models():
        rows += [json.dumps(row, default=str, ensure_ascii=False) for row in model._base_manager.values()]
    return "\n".join(rows).lower()


@pytest.mark.usefixtures("search_engine")
def test_erasure_leaves_no_row_file_or_index_document_for_the_person(
    organization, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        candidate = everything_about(organization, **PERSON)
        other = everything_about(
            organization, first_name="Jonas", last_name="Berg", email="jonas@example.dk", phone="+4511111111"
        )
    cv_name = str(candidate.cv_file.file.name)
    candidate_index.refresh()
    assert candidate_index.client.get(index=candidate_index.read_alias, id=str(candidate.pk))["found"]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        erased = candidate_erase(candidate=candidate, actor=Actor.candidate())

    # then: no row anywhere holds their id through a relation, or any of their details
    assert erased is True
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is Candidate and field.concrete:
                assert not model._base_manager.filter(**{field.name: candidate.pk}).exists(), model
    text = all_rows_as_text()
    for value in PERSON.values():
        assert value.lower() not in text
    # ... no file
    assert not default_storage.exists(cv_name)
    # ... and no index document
    candidate_index.refresh()
    with pytest.raises(NotFoundError):
        candidate_index.client.get(index=candidate_index.read_alias, id=str(candidate.pk))
    # while the other person is untouched
    assert Candidate.objects.filter(pk=other.pk).exists()
    assert default_storage.exists(str(other.cv_file.file.name))
    assert candidate_index.client.get(index=candidate_index.read_alias, id=str(other.pk))["found"]


def test_erasure_takes_the_person_out_of_the_admin_history_api_answers_and_recruiters_digests(
    organization, recruiter, django_capture_on_commit_callbacks
):
    # given: the person created and changed over the API with Idempotency-Keys, edited by a
    # recruiter in the admin, and named in a recruiter's match digest
    api = client_for(organization, scope=ApiKey.Scope.WRITE)
    body = {**PERSON, "cv_text": "Ti års erfaring med lagerstyring i Østjylland"}
    created = api.post("/api/v1/candidates/", body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    path = f"/api/v1/candidates/{created.json()['id']}/"
    change = {"headline": "Lagerchef"}
    api.patch(path, change, format="json", HTTP_IDEMPOTENCY_KEY="patch-1")
    candidate = Candidate.objects.get(email=PERSON["email"])
    LogEntry.objects.log_actions(
        user_id=recruiter.pk, queryset=[candidate], action_flag=CHANGE, change_message="Changed headline."
    )
    opening = OpeningFactory(organization=organization, title="Lagerchef")
    opening.recruiters.add(recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        match_digest_queue(
            opening=opening,
            alerts=[MatchAlertFactory(opening=opening, candidate=candidate)],
            now=timezone.now(),
        )
    digest = Message.objects.get(kind=Message.Kind.MATCH_ALERT_DIGEST)
    assert PERSON["last_name"] in digest.body_text

    # when
    candidate_erase(candidate=candidate, actor=Actor.candidate())

    # then: no row holds their details, the recruiter's digest stays without them
    text = all_rows_as_text()
    for value in [*PERSON.values(), body["cv_text"]]:
        assert value.lower() not in text
    digest.refresh_from_db()
    assert "Lagerchef" in digest.body_text
    # ... and replaying the API's requests answers as for an unknown candidate and creates nobody
    replayed = api.post("/api/v1/candidates/", body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert (replayed.status_code, replayed.json()["code"]) == (404, "not_found")
    assert api.patch(path, change, format="json", HTTP_IDEMPOTENCY_KEY="patch-1").status_code == 404
    assert not Candidate.objects.filter(email=PERSON["email"]).exists()


def test_erasure_keeps_an_audit_event_without_personal_data(organization, recruiter):
    # given
    candidate = everything_about(organization, **PERSON)

    # when
    candidate_erase(candidate=candidate, actor=Actor.user(recruiter), reason="recruiter")

    # then
    event = AuditEvent.objects.get(action="candidate.erased")
    assert (event.target_type, event.target_id, event.actor_user_id) == (
        "candidates.candidate",
        candidate.pk,
        recruiter.pk,
    )
    assert event.context == {"reason": "recruiter"}
    row = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False).lower()
    for value in PERSON.values():
        assert value.lower() not in row


def test_erasing_someone_already_erased_changes_nothing(organization):
    # given
    candidate = CandidateFactory(organization=organization)
    candidate_erase(candidate=candidate, actor=Actor.system())

    # when
    again = candidate_erase(candidate=candidate, actor=Actor.system())

    # then
    assert again is False
    assert AuditEvent.objects.filter(action="candidate.erased").count() == 1


def test_a_rolled_back_erasure_keeps_the_cv_file(organization, django_capture_on_commit_callbacks):
    # given
    candidate = CandidateFactory(organization=organization)
    cv = cv_upload(candidate=candidate, data=pdf_bytes(), actor=Actor.candidate())
    assert isinstance(cv, CvFile)

    # when
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        candidate_erase(candidate=candidate, actor=Actor.system())
        raise RuntimeError("the request failed")

    # then
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert default_storage.exists(str(cv.file.name))


def test_a_recruiter_erases_candidates_from_the_admin_after_confirming(client, organization, recruiter):
    # given
    candidate = everything_about(organization, **PERSON)
    client.force_login(recruiter)
    url = reverse("admin:candidates_candidate_changelist")
    selection = {"action": "candidate_erase_action", "_selected_action": [candidate.pk]}

    # when
    confirmation = client.post(url, selection)
    erased = client.post(url, {**selection, "confirm": "yes"})

    # then
    assert confirmation.status_code == 200
    assert "Erase candidates" in confirmation.content.decode()
    assert erased.status_code == 302
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    event = AuditEvent.objects.get(action="candidate.erased")
    assert (event.actor_type, event.actor_user_id) == ("USER", recruiter.pk)


def test_asking_for_confirmation_erases_nothing(client, organization, recruiter):
    # given
    candidate = CandidateFactory(organization=organization)
    client.force_login(recruiter)

    # when
    client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "candidate_erase_action", "_selected_action": [candidate.pk]},
    )

    # then
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_a_viewer_cannot_erase_candidates(client, organization):
    # given
    candidate = CandidateFactory(organization=organization)
    viewer = UserFactory(username="viewer", is_staff=True)
    MembershipFactory(user=viewer, organization=organization, role="VIEWER")
    client.force_login(viewer)

    # when
    client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "candidate_erase_action", "_selected_action": [candidate.pk], "confirm": "yes"},
    )

    # then
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_a_recruiter_cannot_erase_another_organizations_candidate(client, other_organization, recruiter):
    # given
    candidate = CandidateFactory(organization=other_organization)
    client.force_login(recruiter)

    # when
    client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "candidate_erase_action", "_selected_action": [candidate.pk], "confirm": "yes"},
    )

    # then
    assert Candidate.objects.filter(pk=candidate.pk).exists()


@pytest.mark.usefixtures("search_engine")
def test_the_admins_delete_button_erases_the_candidate_and_their_index_document_at_once(
    client, organization, recruiter, django_capture_on_commit_callbacks
):
    # given a candidate in the pool, indexed
    with django_capture_on_commit_callbacks(execute=True):
        candidate = everything_about(organization, **PERSON)
    cv_name = str(candidate.cv_file.file.name)
    client.force_login(recruiter)
    # when a recruiter confirms the admin's own delete page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:candidates_candidate_delete", args=[candidate.pk]), {"post": "yes"}
        )
    # then it is the erasure: no row, no file, no index document, an audit event without personal data
    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert not default_storage.exists(cv_name)
    candidate_index.refresh()
    with pytest.raises(NotFoundError):
        candidate_index.client.get(index=candidate_index.read_alias, id=str(candidate.pk))
    event = AuditEvent.objects.get(action="candidate.erased")
    assert (event.actor_type, event.actor_user_id) == ("USER", recruiter.pk)
    assert PERSON["email"] not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_a_viewer_cannot_use_the_delete_button(client, organization):
    candidate = CandidateFactory(organization=organization)
    viewer = UserFactory(username="viewer", is_staff=True)
    MembershipFactory(user=viewer, organization=organization, role="VIEWER")
    client.force_login(viewer)

    response = client.post(reverse("admin:candidates_candidate_delete", args=[candidate.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Candidate.objects.filter(pk=candidate.pk).exists()
