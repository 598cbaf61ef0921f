from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp
from talentpool.openings.services import FeedbackInput, opening_create, opening_update, runner_up_record
from tests.factories import CandidateFactory, FeedbackFactory, OpeningFactory, RunnerUpFactory

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]
FEEDBACK = FeedbackInput(
    strengths=["Clear stakeholder communication", "Strong case presentation"],
    development_areas=[("CERTIFICATION", "A SAFe certification"), ("EXPERIENCE", "More public-sector work")],
    next_steps=["Take the SAFe course"],
    free_text="You came very close.",
)


def _items(runner_up: RunnerUp) -> list[tuple[str, str, str, int]]:
    return list(
        FeedbackItem.objects.filter(feedback__runner_up=runner_up).values_list(
            "kind", "category", "text", "position"
        )
    )


def test_opening_create_sets_opened_at_for_an_open_opening(organization, recruiter):
    # when
    opening = opening_create(
        organization=organization,
        actor=Actor.user(recruiter),
        data={"title": "Tester", "status": "OPEN"},
        now=NOW,
    )

    # then
    opening.refresh_from_db()
    assert opening.opened_at == NOW


def test_opening_create_leaves_opened_at_empty_for_a_closed_opening(organization, recruiter):
    # when
    opening = opening_create(
        organization=organization,
        actor=Actor.user(recruiter),
        data={"title": "Tester", "status": "CLOSED"},
        now=NOW,
    )

    # then
    opening.refresh_from_db()
    assert opening.opened_at is None


def test_opening_create_records_a_created_event_with_the_fields_and_recruiters(organization, recruiter):
    # when
    opening = opening_create(
        organization=organization,
        actor=Actor.user(recruiter),
        data={"title": "Tester", "must_have_skills": ["Selenium"]},
        recruiter_ids=[recruiter.pk],
        now=NOW,
    )

    # then
    event = AuditEvent.objects.get()
    assert (event.action, event.target_type, event.target_id, event.actor_user_id) == (
        "opening.created",
        "openings.opening",
        opening.pk,
        recruiter.pk,
    )
    assert event.changes == ["must_have_skills", "recruiters", "title"]
    assert list(opening.recruiters.all()) == [recruiter]


def test_opening_create_refuses_recruiters_who_are_not_members_of_the_organization(
    organization, recruiter, other_recruiter
):
    # when
    with pytest.raises(ValidationError) as raised:
        opening_create(
            organization=organization,
            actor=Actor.user(recruiter),
            data={"title": "Tester"},
            recruiter_ids=[recruiter.pk, other_recruiter.pk],
        )

    # then
    assert list(raised.value.message_dict) == ["recruiters"]
    assert not Opening.objects.exists()


def test_opening_update_refuses_recruiters_who_are_not_members_of_the_organization(
    organization, recruiter, other_recruiter
):
    # given
    opening = OpeningFactory.create(organization=organization)

    # when
    with pytest.raises(ValidationError) as raised:
        opening_update(
            opening=opening, actor=Actor.user(recruiter), data={}, recruiter_ids=[other_recruiter.pk]
        )

    # then
    assert list(raised.value.message_dict) == ["recruiters"]
    assert not opening.recruiters.exists()


def test_opening_update_from_closed_to_open_records_a_reopened_event(organization, recruiter):
    # given
    opening = OpeningFactory.create(organization=organization, status=Opening.Status.CLOSED)

    # when
    opening_update(opening=opening, actor=Actor.user(recruiter), data={"status": "OPEN"}, now=NOW)

    # then
    event = AuditEvent.objects.get()
    assert (event.action, event.target_id, event.changes) == (
        "opening.reopened",
        opening.pk,
        ["opened_at", "status"],
    )


def test_opening_update_from_closed_to_open_sets_opened_at_to_now(organization, recruiter):
    # given
    opening = OpeningFactory.create(
        organization=organization, status=Opening.Status.CLOSED, opened_at=NOW - dt.timedelta(days=90)
    )

    # when
    opening_update(opening=opening, actor=Actor.user(recruiter), data={"status": "OPEN"}, now=NOW)

    # then
    opening.refresh_from_db()
    assert (opening.status, opening.opened_at) == ("OPEN", NOW)


def test_opening_update_from_closed_to_open_resets_matched_at(organization, recruiter):
    # given
    opening = OpeningFactory.create(
        organization=organization, status=Opening.Status.CLOSED, matched_at=NOW - dt.timedelta(days=90)
    )

    # when
    opening_update(opening=opening, actor=Actor.user(recruiter), data={"status": "OPEN"}, now=NOW)

    # then
    opening.refresh_from_db()
    assert opening.matched_at is None


def test_runner_up_record_creates_the_runner_up_with_feedback_items_in_order(organization):
    # given
    opening = OpeningFactory.create(organization=organization)
    candidate = CandidateFactory.create(organization=organization)

    # when
    runner_up, _ = runner_up_record(
        actor=Actor.system(),
        candidate=candidate,
        opening=opening,
        stage=RunnerUp.Stage.FINAL_INTERVIEW,
        closeness=90,
        decided_at=NOW,
        feedback=FEEDBACK,
    )

    # then
    runner_up.refresh_from_db()
    assert (
        runner_up.organization_id,
        runner_up.stage,
        runner_up.rank,
        runner_up.closeness,
        runner_up.decided_at,
    ) == (
        organization.pk,
        "FINAL_INTERVIEW",
        2,
        90,
        NOW,
    )
    assert runner_up.feedback.free_text == "You came very close."
    assert _items(runner_up) == [
        ("DEVELOPMENT_AREA", "CERTIFICATION", "A SAFe certification", 0),
        ("DEVELOPMENT_AREA", "EXPERIENCE", "More public-sector work", 1),
        ("NEXT_STEP", "", "Take the SAFe course", 0),
        ("STRENGTH", "", "Clear stakeholder communication", 0),
        ("STRENGTH", "", "Strong case presentation", 1),
    ]


def test_runner_up_record_records_a_recorded_event(organization):
    # given
    opening = OpeningFactory.create(organization=organization)
    candidate = CandidateFactory.create(organization=organization)

    # when
    runner_up, _ = runner_up_record(
        actor=Actor.system(),
        candidate=candidate,
        opening=opening,
        stage="OFFER",
        decided_at=NOW,
        feedback=FEEDBACK,
    )

    # then
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_type, event.target_type, event.target_id) == (
        "runner_up.recorded",
        "SYSTEM",
        "openings.runnerup",
        runner_up.pk,
    )
    assert "feedback" in event.changes
    assert "stage" in event.changes


def test_runner_up_record_without_decided_at_uses_the_current_time(organization):
    # given
    opening = OpeningFactory.create(organization=organization)
    candidate = CandidateFactory.create(organization=organization)

    # when
    with time_machine.travel(NOW, tick=False):
        runner_up, _ = runner_up_record(
            actor=Actor.system(), candidate=candidate, opening=opening, stage="OFFER"
        )

    # then
    runner_up.refresh_from_db()
    assert runner_up.decided_at == NOW


def test_recording_the_same_runner_up_again_updates_it_and_replaces_the_feedback_items(organization):
    # given
    opening = OpeningFactory.create(organization=organization)
    candidate = CandidateFactory.create(organization=organization)
    runner_up_record(
        actor=Actor.system(),
        candidate=candidate,
        opening=opening,
        stage="SECOND_INTERVIEW",
        decided_at=NOW,
        feedback=FEEDBACK,
    )

    # when
    runner_up, _ = runner_up_record(
        actor=Actor.system(),
        candidate=candidate,
        opening=opening,
        stage="FINAL_INTERVIEW",
        decided_at=NOW,
        feedback=FeedbackInput(strengths=["Excellent references"], free_text="Close call."),
    )

    # then
    assert list(RunnerUp.objects.values_list("pk", "stage")) == [(runner_up.pk, "FINAL_INTERVIEW")]
    assert Feedback.objects.get().free_text == "Close call."
    assert _items(runner_up) == [("STRENGTH", "", "Excellent references", 0)]
    assert AuditEvent.objects.filter(action="runner_up.updated").get().changes == ["feedback", "stage"]


def test_runner_up_record_refuses_a_candidate_and_opening_of_different_organizations(
    organization, other_organization
):
    # given
    opening = OpeningFactory.create(organization=organization)
    candidate = CandidateFactory.create(organization=other_organization)

    # when
    with pytest.raises(ValidationError) as raised:
        runner_up_record(actor=Actor.system(), candidate=candidate, opening=opening, stage="OFFER")

    # then
    assert list(raised.value.message_dict) == ["opening"]
    assert not RunnerUp.objects.exists()


def test_recording_a_runner_up_again_leaves_sent_feedback_unchanged(organization):
    # given
    runner_up = RunnerUpFactory.create(opening=OpeningFactory.create(organization=organization))
    feedback = FeedbackFactory.create(runner_up=runner_up, free_text="As sent.", status=Feedback.Status.SENT)
    FeedbackItem.objects.create(feedback=feedback, kind=FeedbackItem.Kind.STRENGTH, text="As sent")

    # when
    runner_up_record(
        actor=Actor.system(),
        candidate=runner_up.candidate,
        opening=runner_up.opening,
        stage=runner_up.stage,
        decided_at=runner_up.decided_at,
        feedback=FEEDBACK,
    )

    # then
    feedback.refresh_from_db()
    assert (feedback.free_text, feedback.status) == ("As sent.", "SENT")
    assert _items(runner_up) == [("STRENGTH", "", "As sent", 0)]
