from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from talentpool.core.actors import Actor
from talentpool.core.models import Membership
from talentpool.messaging.drafting import warm_rejection_draft
from talentpool.messaging.feedback_requests import feedback_request_create
from talentpool.messaging.models import FeedbackRequest, Message
from tests.factories import CandidateFactory, MembershipFactory, MessageFactory, UserFactory
from tests.messaging.conftest import TUESDAY_10

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10)]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def drafts(make_runner_up, at_tuesday_10) -> list[Message]:
    return [
        warm_rejection_draft(runner_up=make_runner_up(language=language), actor=Actor.system())
        for language in ("da", "en")
    ]


def test_the_message_page_shows_the_rendered_message(mette, drafts):
    # when
    response = logged_in(mette).get(reverse("admin:messaging_message_change", args=[drafts[0].pk]))

    # then: the HTML in a sandboxed frame, the text, and the draft's text to edit
    assert response.status_code == 200
    page = response.text
    assert 'sandbox=""' in page
    assert "srcdoc=" in page
    assert page.count("Din præsentation af kampagneplanen") == 3  # The frame, the text, the field.
    assert 'name="body_text"' in page


def test_bulk_approval_schedules_every_selected_draft(mette, drafts, django_capture_on_commit_callbacks):
    # given: one message already sent is among the selection
    sent = MessageFactory(
        candidate=drafts[0].candidate, organization=drafts[0].organization, status="SENT", sent_at=TUESDAY_10
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(mette).post(
            reverse("admin:messaging_message_changelist"),
            {"action": "approve", "_selected_action": [m.pk for m in [*drafts, sent]]},
            follow=True,
        )

    # then: the decisions were two days ago, so both go out now
    assert response.status_code == 200
    assert "2 of 3 messages approved." in response.text
    statuses = dict(Message.objects.filter(pk__in=[m.pk for m in drafts]).values_list("pk", "status"))
    assert set(statuses.values()) == {Message.Status.SENT}
    assert Message.objects.get(pk=drafts[0].pk).approved_by == mette
    assert len(mail.outbox) == 2


def test_a_recruiter_can_reword_a_draft_and_its_html_follows(mette, drafts):
    # given
    draft = drafts[1]

    # when
    logged_in(mette).post(
        reverse("admin:messaging_message_change", args=[draft.pk]),
        {"subject": "About the IT role", "body_text": "Dear Sofie,\n\nA personal note & thanks."},
    )

    # then
    draft.refresh_from_db()
    assert draft.subject == "About the IT role"
    assert draft.body_text == "Dear Sofie,\n\nA personal note & thanks.\n"
    assert "A personal note &amp; thanks." in draft.body_html


def test_another_organizations_recruiter_sees_none_of_the_messages(other_recruiter, drafts):
    # when
    listing = logged_in(other_recruiter).get(reverse("admin:messaging_message_changelist"))
    page = logged_in(other_recruiter).get(reverse("admin:messaging_message_change", args=[drafts[0].pk]))

    # then
    assert drafts[0].subject not in listing.text
    assert page.status_code == 302


def test_overdue_feedback_requests_stand_out_in_the_queue(kystlys, mette, make_runner_up):
    # given: one request overdue, one not yet due
    late = make_runner_up(language="en")
    fresh = make_runner_up(
        language="en", candidate=CandidateFactory(organization=kystlys, last_name="Nyborg")
    )
    feedback_request_create(candidate=late.candidate, runner_up=late, actor=Actor.candidate(), now=TUESDAY_10)
    feedback_request_create(
        candidate=fresh.candidate,
        runner_up=fresh,
        actor=Actor.candidate(),
        now=TUESDAY_10 + dt.timedelta(days=14),
    )
    client = logged_in(mette)

    # when (a week after the 5 working days ran out for the first)
    url = reverse("admin:messaging_feedbackrequest_changelist")
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=14), tick=False):
        everything = client.get(url)
        overdue = client.get(url + "?due=overdue")

    # then
    assert "1 feedback request is overdue." in everything.text
    assert "overdue by 6 days" in everything.text
    assert overdue.text.count("overdue by") == 1
    assert "Nyborg" not in overdue.text


def test_feedback_requests_are_due_in_working_days(kystlys, make_runner_up):
    # given: asked on a Thursday
    runner_up = make_runner_up()
    thursday = TUESDAY_10 + dt.timedelta(days=2)

    # when
    request = feedback_request_create(
        candidate=runner_up.candidate, runner_up=runner_up, actor=Actor.candidate(), now=thursday
    )
    again = feedback_request_create(
        candidate=runner_up.candidate, runner_up=runner_up, actor=Actor.candidate(), now=thursday
    )

    # then: five working days later is the next Thursday, by its end; asking twice is one request
    assert request.due_at.astimezone(thursday.tzinfo).date() == (thursday + dt.timedelta(days=7)).date()
    assert again.pk == request.pk
    assert FeedbackRequest.objects.count() == 1


def test_drafting_feedback_from_the_queue(mette, make_runner_up, at_tuesday_10):
    # given
    runner_up = make_runner_up(language="en")
    request = feedback_request_create(
        candidate=runner_up.candidate, runner_up=runner_up, actor=Actor.candidate()
    )

    # when
    logged_in(mette).post(
        reverse("admin:messaging_feedbackrequest_changelist"),
        {"action": "draft_feedback", "_selected_action": [request.pk]},
    )

    # then
    message = Message.objects.get(kind=Message.Kind.FEEDBACK)
    assert message.status == Message.Status.DRAFT
    assert message.candidate == runner_up.candidate


def test_a_viewer_cannot_approve_messages(kystlys, drafts):
    # given
    viewer = UserFactory(username="viewer", is_staff=True)
    MembershipFactory(user=viewer, organization=kystlys, role=Membership.Role.VIEWER)

    # when
    logged_in(viewer).post(
        reverse("admin:messaging_message_changelist"),
        {"action": "approve", "_selected_action": [m.pk for m in drafts]},
    )

    # then
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.DRAFT}
