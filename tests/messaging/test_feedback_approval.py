"""Approving a runner-up's feedback redrafts their warm rejection; approving a rejection whose
feedback is still a draft, or feedback in another language than the candidate's, asks first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.decision import FeedbackInAnotherLanguage, decision_feedback_approve
from talentpool.messaging.drafting import (
    FeedbackStillDraft,
    message_approve,
    message_edit,
    warm_rejection_draft,
)
from talentpool.messaging.feedback import feedback_language, feedback_language_mismatch
from talentpool.messaging.models import Message
from talentpool.openings.models import Feedback
from tests.messaging.conftest import FEEDBACK, TUESDAY_10, add_feedback

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10)]

SYSTEM = Actor.system()


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_approving_feedback_is_audited_and_redrafts_the_pending_rejection_with_it(
    make_runner_up, mette, at_tuesday_10
):
    # given: the rejection was drafted while the feedback was a draft
    runner_up = make_runner_up(language="en", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    assert "Would you like feedback?" in draft.body_text
    feedback = Feedback.objects.get(runner_up=runner_up)

    # when
    assert decision_feedback_approve(feedback=feedback, actor=Actor.user(mette), now=TUESDAY_10)

    # then
    feedback.refresh_from_db()
    assert (feedback.status, feedback.approved_by, feedback.approved_at) == (
        Feedback.Status.APPROVED,
        mette,
        TUESDAY_10,
    )
    assert AuditEvent.objects.filter(action="feedback.approved", actor_user=mette).count() == 1
    draft.refresh_from_db()
    assert "Your presentation of the campaign plan was the clearest we saw." in draft.body_text
    assert "Would you like feedback?" not in draft.body_text
    assert draft.includes_feedback


def test_approving_feedback_keeps_a_rejection_the_recruiter_reworded_by_hand(
    make_runner_up, mette, at_tuesday_10
):
    # given: the recruiter rewrote the drafted rejection in their own words
    runner_up = make_runner_up(language="en", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    message_edit(
        message=draft, actor=Actor.user(mette), subject=draft.subject, body_text="Dear Sam,\n\nMy own words."
    )
    feedback = Feedback.objects.get(runner_up=runner_up)

    # when
    decision_feedback_approve(feedback=feedback, actor=Actor.user(mette), now=TUESDAY_10)

    # then
    draft.refresh_from_db()
    assert "My own words." in draft.body_text


def test_approving_feedback_leaves_a_rejection_already_approved_as_it_is(
    make_runner_up, mette, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="en", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    message_approve(message=draft, actor=Actor.user(mette), feedback_draft_confirmed=True)
    before = Message.objects.get(pk=draft.pk).body_text

    # when
    decision_feedback_approve(feedback=Feedback.objects.get(runner_up=runner_up), actor=Actor.user(mette))

    # then
    assert Message.objects.get(pk=draft.pk).body_text == before


def test_approving_a_rejection_whose_feedback_is_a_draft_is_refused_unless_confirmed(
    make_runner_up, mette, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="da", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)

    # when / then
    with pytest.raises(FeedbackStillDraft):
        message_approve(message=draft, actor=Actor.user(mette))
    assert Message.objects.get(pk=draft.pk).status == Message.Status.DRAFT
    assert message_approve(message=draft, actor=Actor.user(mette), feedback_draft_confirmed=True)


def test_the_admin_asks_before_approving_a_rejection_whose_feedback_is_a_draft(
    make_runner_up, mette, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="da", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    url = reverse("admin:messaging_message_changelist")
    form = {"action": "approve", "_selected_action": [draft.pk]}

    # when: the action asks
    asked = admin_client(mette).post(url, form)

    # then
    assert asked.status_code == 200
    assert "Approve without feedback?" in asked.text
    assert Message.objects.get(pk=draft.pk).status == Message.Status.DRAFT

    # when: the recruiter confirms
    admin_client(mette).post(url, {**form, "confirmed": "yes"})

    # then
    assert Message.objects.get(pk=draft.pk).status == Message.Status.SCHEDULED


def test_feedback_in_another_language_than_the_candidates_is_flagged(make_runner_up, at_tuesday_10):
    # given: a Danish candidate, feedback written by a Swedish recruiter
    runner_up = make_runner_up(language="da", feedback=None)
    feedback = add_feedback(runner_up, status=Feedback.Status.DRAFT, **FEEDBACK["sv"])

    # then
    assert feedback_language(feedback) == "sv"
    assert feedback_language_mismatch(feedback, language="da") == "sv"
    assert feedback_language_mismatch(feedback, language="sv") is None


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_the_realistic_feedback_of_each_language_is_recognised(make_runner_up, at_tuesday_10, language):
    runner_up = make_runner_up(language=language)

    assert feedback_language(Feedback.objects.get(runner_up=runner_up)) == language


def test_short_feedback_that_says_nothing_about_its_language_is_not_flagged(make_runner_up, at_tuesday_10):
    runner_up = make_runner_up(language="da", feedback=None)
    feedback = add_feedback(runner_up, status=Feedback.Status.DRAFT, strengths=("Power BI", "SQL"))

    assert feedback_language_mismatch(feedback, language="da") is None


def test_approving_feedback_in_another_language_asks_first(make_runner_up, mette, at_tuesday_10):
    # given
    runner_up = make_runner_up(language="da", feedback=None)
    feedback = add_feedback(runner_up, status=Feedback.Status.DRAFT, **FEEDBACK["en"])

    # when / then: the service refuses, the admin asks, and approves once confirmed
    with pytest.raises(FeedbackInAnotherLanguage):
        decision_feedback_approve(feedback=feedback, actor=Actor.user(mette))
    url = reverse("admin:openings_feedback_changelist")
    form = {"action": "approve", "_selected_action": [feedback.pk]}
    asked = admin_client(mette).post(url, form)
    assert "Feedback in another language" in asked.text
    assert Feedback.objects.get(pk=feedback.pk).status == Feedback.Status.DRAFT
    admin_client(mette).post(url, {**form, "confirmed": "yes"})
    assert Feedback.objects.get(pk=feedback.pk).status == Feedback.Status.APPROVED


@pytest.mark.parametrize(
    ("changelist", "selected"),
    [
        ("admin:openings_runnerup_changelist", "runner_up"),
        ("admin:candidates_candidate_changelist", "candidate"),
    ],
)
def test_approving_drafts_from_runner_ups_or_candidates_asks_the_same_question(
    make_runner_up, mette, at_tuesday_10, changelist, selected
):
    # given
    runner_up = make_runner_up(language="da", feedback=Feedback.Status.DRAFT)
    draft = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    pk = runner_up.pk if selected == "runner_up" else runner_up.candidate_id
    form = {"action": "approve_messages", "_selected_action": [pk]}

    # when
    asked = admin_client(mette).post(reverse(changelist), form)

    # then: the page posts the same selection back
    assert "Approve without feedback?" in asked.text
    assert f'name="_selected_action" value="{pk}"' in asked.text
    assert Message.objects.get(pk=draft.pk).status == Message.Status.DRAFT
    admin_client(mette).post(reverse(changelist), {**form, "confirmed": "yes"})
    assert Message.objects.get(pk=draft.pk).status == Message.Status.SCHEDULED
