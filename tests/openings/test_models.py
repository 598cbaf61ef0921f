from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from talentpool.consent.models import ConsentText
from talentpool.core.models import Membership
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import Message
from talentpool.openings.models import FeedbackItem, Opening, RunnerUp
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

DECIDED_AT = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(DECIDED_AT)]


def _runner_up(**overrides) -> RunnerUp:
    """Create a runner-up row directly, so only the database constraints stand in the way."""
    opening = overrides.pop("opening", None) or OpeningFactory.create()
    candidate = overrides.pop("candidate", None) or CandidateFactory.create(organization=opening.organization)
    values = {"stage": RunnerUp.Stage.FINAL_INTERVIEW, "decided_at": DECIDED_AT, **overrides}
    return RunnerUp.objects.create(
        organization=opening.organization, opening=opening, candidate=candidate, **values
    )


def test_a_candidate_is_runner_up_for_an_opening_only_once():
    # given
    existing = RunnerUpFactory.create()

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        _runner_up(opening=existing.opening, candidate=existing.candidate)


def test_a_runner_up_rank_of_zero_is_refused():
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        _runner_up(rank=0)


def test_a_runner_up_closeness_above_100_is_refused():
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        _runner_up(closeness=101)


def test_a_runner_up_with_an_unknown_stage_is_refused():
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        _runner_up(stage="COFFEE")


def test_a_development_area_without_a_category_is_refused():
    # given
    feedback = FeedbackFactory.create()

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackItem.objects.create(
            feedback=feedback,
            kind=FeedbackItem.Kind.DEVELOPMENT_AREA,
            category="",
            text="More SAFe experience",
        )


def test_a_duplicate_opening_source_and_external_id_in_one_organization_is_refused(organization):
    # given
    OpeningFactory.create(organization=organization, source="teamtailor", external_id="job-7")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Opening.objects.create(
            organization=organization, title="Tester", source="teamtailor", external_id="job-7"
        )


def test_the_same_opening_source_and_external_id_in_two_organizations_is_allowed(
    organization, other_organization
):
    # given
    OpeningFactory.create(organization=organization, source="teamtailor", external_id="job-7")

    # when
    Opening.objects.create(
        organization=other_organization, title="Tester", source="teamtailor", external_id="job-7"
    )

    # then
    assert Opening.objects.filter(external_id="job-7").count() == 2


def test_a_match_alert_is_unique_per_opening_and_candidate():
    # given
    existing = MatchAlertFactory.create()

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchAlert.objects.create(
            organization=existing.organization,
            opening=existing.opening,
            candidate=existing.candidate,
            score=0.5,
        )


def test_a_message_dedupe_key_is_unique_per_organization():
    # given
    existing = MessageFactory.create(dedupe_key="warm-rejection:7:12")

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            organization=existing.organization,
            candidate=existing.candidate,
            kind=Message.Kind.WARM_REJECTION,
            dedupe_key="warm-rejection:7:12",
            language="da",
            to_email=existing.to_email,
            subject="Again",
            body_text="Again",
        )


def test_the_same_message_dedupe_key_in_two_organizations_is_allowed(organization, other_organization):
    # given
    MessageFactory.create(
        candidate=CandidateFactory.create(organization=organization), dedupe_key="check-in:1"
    )

    # when
    MessageFactory.create(
        candidate=CandidateFactory.create(organization=other_organization), dedupe_key="check-in:1"
    )

    # then
    assert Message.objects.filter(dedupe_key="check-in:1").count() == 2


def test_a_message_without_a_candidate_or_recipient_user_is_refused(organization):
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            organization=organization,
            kind=Message.Kind.MATCH_ALERT_DIGEST,
            dedupe_key="digest:1",
            language="da",
            to_email="mette@kystlys.dk",
            subject="New matches",
            body_text="3 new matches",
        )


def test_a_user_is_member_of_an_organization_only_once(organization):
    # given
    user = UserFactory.create()
    MembershipFactory.create(user=user, organization=organization)

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organization=organization, role=Membership.Role.VIEWER)


def test_a_consent_text_version_is_unique_per_organization_and_language(organization):
    # given
    ConsentTextFactory.create(organization=organization, language="da", version=3)

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentText.objects.create(organization=organization, language="da", version=3, title="T", body="B")
