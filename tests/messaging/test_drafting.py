from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from talentpool.consent.models import MagicLink
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.consent import pool_leave
from talentpool.flows.decision import decision_record
from talentpool.messaging.drafting import (
    feedback_message_draft,
    message_approve,
    message_redraft,
    opening_invitation_draft,
    pool_invitation_draft,
    warm_rejection_draft,
)
from talentpool.messaging.models import Message
from talentpool.openings.models import Feedback
from talentpool.openings.services import FeedbackInput
from tests.factories import CandidateFactory, OpeningFactory
from tests.messaging.conftest import TUESDAY_10, in_pool

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10)]

SYSTEM = Actor.system()


def test_recording_a_runner_up_drafts_a_warm_rejection_in_their_language_after_commit(
    kystlys, mette, at_tuesday_10, django_capture_on_commit_callbacks
):
    # given
    candidate = CandidateFactory(organization=kystlys, first_name="Astrid", language="sv")
    opening = OpeningFactory(organization=kystlys, title="Marknadskoordinator")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(
            actor=Actor.user(mette),
            candidate=candidate,
            opening=opening,
            stage="CASE_ASSIGNMENT",
            decided_by_id=mette.pk,
            feedback=FeedbackInput(strengths=["Din analys av målgruppen var skarp."]),
        )

    # then: a Swedish draft naming the stage, offering feedback (not yet approved) and the pool
    message = Message.objects.get(kind=Message.Kind.WARM_REJECTION, candidate=candidate)
    assert message.status == Message.Status.DRAFT
    assert message.language == "sv"
    assert message.subject == "Din ansökan till tjänsten som Marknadskoordinator"
    assert "Tack för din tid och för caseuppgiften." in message.body_text
    assert "Din analys av målgruppen" not in message.body_text  # Draft feedback is not shared.
    assert "be om den skriftligt" in message.body_text
    assert "i 18 månader" in message.body_text
    assert "Gå med i talangpoolen" in message.body_text
    consent_link = MagicLink.objects.get(candidate=candidate, scope=MagicLink.Scope.CONSENT)
    assert consent_link.expires_at > TUESDAY_10 + dt.timedelta(days=20)
    assert "/me/link/" in message.body_text
    assert mail.outbox == []


def test_nothing_is_drafted_when_the_decision_is_rolled_back(
    kystlys, mette, django_capture_on_commit_callbacks
):
    # given
    candidate = CandidateFactory(organization=kystlys)
    opening = OpeningFactory(organization=kystlys)

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision_record(actor=SYSTEM, candidate=candidate, opening=opening, stage="FINAL_INTERVIEW")

    # then: the draft is queued for after commit, not written in the transaction
    assert callbacks
    assert not Message.objects.filter(candidate=candidate).exists()


def test_a_warm_rejection_includes_approved_feedback_with_strengths_and_the_difference(
    make_runner_up, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="da")

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # then
    text = message.body_text
    assert "Din præsentation af kampagneplanen var den klareste, vi så." in text
    assert "Vi satte især pris på dine skarpe spørgsmål om vores kunder." in text
    assert "Vi valgte en kandidat, der havde flere års erfaring med den analyseplatform, vi bruger" in text
    assert "Vil du tale om det, så svar bare på denne mail." in text
    assert "skriftligt" not in text
    assert "Google Analytics" not in text  # Next steps are for the feedback email.
    assert message.includes_feedback
    assert not MagicLink.objects.filter(scope=MagicLink.Scope.FEEDBACK_REQUEST).exists()


def test_a_warm_rejection_keeps_the_development_areas_back_when_they_may_not_be_shared(
    make_runner_up, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="en", share=False)

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # then
    assert "Your presentation of the campaign plan" in message.body_text
    assert "analytics platform" not in message.body_text


def test_a_candidate_already_in_the_pool_is_told_they_stay_in_it_not_invited_again(
    make_runner_up, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="en")
    in_pool(runner_up.candidate)

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # then
    assert "You stay in our talent pool" in message.body_text
    assert "Join the talent pool" not in message.body_text
    assert not MagicLink.objects.filter(scope=MagicLink.Scope.CONSENT).exists()


def test_the_warm_rejection_is_signed_and_sent_in_the_deciding_recruiters_name(make_runner_up, at_tuesday_10):
    # given
    runner_up = make_runner_up(language="en")

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # then
    assert message.sender == runner_up.decided_by
    assert message.from_email == '"Mette Højgaard, Kystlys A/S" <job@kystlys.example>'
    assert message.reply_to == "mette@kystlys.example"
    # Her title is Danish ("Talentchef"): an English message is signed without it.
    assert message.body_text.rstrip().endswith("Best wishes,\nMette Højgaard\nKystlys A/S")


def test_a_recruiters_title_signs_messages_in_the_organizations_language(make_runner_up, at_tuesday_10):
    # when
    message = warm_rejection_draft(runner_up=make_runner_up(language="da"), actor=SYSTEM)

    # then
    assert message.body_text.rstrip().endswith("Venlig hilsen\nMette Højgaard\nTalentchef, Kystlys A/S")


def test_a_warm_rejection_is_proposed_for_after_the_delay_at_a_humane_time(make_runner_up, at_tuesday_10):
    # given: decided on Tuesday at 10:00, with a 24-hour delay
    runner_up = make_runner_up(decided_at=TUESDAY_10)

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # then
    assert message.scheduled_at == TUESDAY_10 + dt.timedelta(hours=24)


def test_auto_approval_schedules_the_rejection_without_a_recruiter(kystlys, make_runner_up, at_tuesday_10):
    # given: decided on Friday at 17:00
    kystlys.auto_approve_messages = True
    kystlys.save()
    friday_17 = TUESDAY_10 + dt.timedelta(days=3, hours=7)
    runner_up = make_runner_up(decided_at=friday_17)

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM, now=friday_17)

    # then: not on Saturday (24 hours later) but in Monday's morning window, 09:00 to 11:30
    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert message.approved_by is None
    monday_9 = TUESDAY_10 + dt.timedelta(days=6, hours=-1)
    assert message.scheduled_at is not None
    assert monday_9 <= message.scheduled_at <= monday_9 + dt.timedelta(hours=2, minutes=30)


def test_redrafting_changes_a_draft_but_never_an_approved_message(make_runner_up, mette, at_tuesday_10):
    # given
    runner_up = make_runner_up(language="en", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    assert "Your presentation" not in draft.body_text

    # when the feedback is approved, the draft can follow it
    Feedback.objects.filter(runner_up=runner_up).update(status=Feedback.Status.APPROVED)
    assert message_redraft(message=draft, actor=Actor.user(mette))
    draft.refresh_from_db()

    # then
    assert "Your presentation" in draft.body_text
    assert Message.objects.filter(candidate=runner_up.candidate).count() == 1

    # and once approved, a resent decision leaves it alone
    message_approve(message=draft, actor=Actor.user(mette))
    Feedback.objects.filter(runner_up=runner_up).update(free_text="Changed after approval.")
    again = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    assert again.pk == draft.pk
    assert "Changed after approval." not in again.body_text
    assert AuditEvent.objects.filter(action="message.redrafted").count() == 1


def test_feedback_can_be_drafted_only_once_approved(make_runner_up, at_tuesday_10):
    # given
    runner_up = make_runner_up(language="sv", feedback=Feedback.Status.DRAFT)

    # when / then
    with pytest.raises(ValidationError):
        feedback_message_draft(runner_up=runner_up, actor=SYSTEM)
    Feedback.objects.filter(runner_up=runner_up).update(status=Feedback.Status.APPROVED)
    message = feedback_message_draft(runner_up=runner_up, actor=SYSTEM)
    assert message.kind == Message.Kind.FEEDBACK
    assert "Det som var starkt:" in message.body_text
    assert "Som ett nästa steg skulle vi föreslå en kurs i Google Analytics 4." in message.body_text


def test_a_past_runner_up_in_the_pool_can_be_invited_to_a_new_opening(kystlys, make_runner_up, at_tuesday_10):
    # given
    runner_up = make_runner_up(language="en")
    in_pool(runner_up.candidate)
    opening = OpeningFactory(organization=kystlys, title="Senior Project Manager", location="Aarhus")

    # when
    message = opening_invitation_draft(candidate=runner_up.candidate, opening=opening, actor=SYSTEM)

    # then
    assert message.subject == "A new role we thought of you for: Senior Project Manager"
    assert "in Aarhus" in message.body_text
    assert "during the process for the IT-projektleder role" in message.body_text


def test_someone_outside_the_pool_is_not_invited_to_an_opening(kystlys, at_tuesday_10):
    # given
    candidate = CandidateFactory(organization=kystlys)
    opening = OpeningFactory(organization=kystlys)

    # when / then
    with pytest.raises(ValidationError):
        opening_invitation_draft(candidate=candidate, opening=opening, actor=SYSTEM)


def test_a_pool_invitation_is_not_sent_to_someone_who_withdrew(kystlys, at_tuesday_10):
    # given

    candidate = in_pool(CandidateFactory(organization=kystlys, language="da"))
    pool_leave(candidate=candidate, actor=Actor.candidate())

    # when / then
    with pytest.raises(ValidationError):
        pool_invitation_draft(candidate=candidate, actor=SYSTEM)


def test_a_pool_invitation_says_what_joining_means(kystlys, at_tuesday_10):
    # given
    candidate = CandidateFactory(organization=kystlys, language="da")

    # when
    message = pool_invitation_draft(candidate=candidate, actor=SYSTEM)

    # then
    assert message.subject == "Skal vi holde kontakten?"
    assert "gemmer vi din profil i 18 måneder" in message.body_text
    assert "trække dit samtykke tilbage" in message.body_text
