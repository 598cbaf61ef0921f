from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from integrations.email.rendering import leftover_markers
from talentpool.core.actors import Actor
from talentpool.messaging.drafting import message_template_save, warm_rejection_draft
from talentpool.messaging.keep_warm import keep_warm_run
from talentpool.messaging.models import Message, MessageTemplate
from tests.factories import CandidateFactory
from tests.messaging.conftest import in_pool

pytestmark = pytest.mark.django_db


def template(organization, **fields) -> MessageTemplate:
    values = {
        "organization": organization,
        "kind": Message.Kind.WARM_REJECTION,
        "language": "en",
        "subject": "About {{ opening_title }}",
        "text": "Hi {{ first_name }},\n\nThank you for {{ stage }}.\n\n{{ sender_name }}",
        "html": "",
    }
    return MessageTemplate(**(values | fields))


def test_an_unknown_placeholder_is_refused_when_the_template_is_saved(organization):
    # given
    draft = template(organization, text="Hi {{ first_name }}, your score was {{ candidate.score }}.")

    # when / then
    with pytest.raises(ValidationError) as error:
        message_template_save(template=draft, actor=Actor.system())
    assert "“{{ candidate }}” is not a placeholder for this message." in error.value.message_dict["text"]
    assert not MessageTemplate.objects.exists()


def test_a_placeholder_of_another_kind_is_refused(organization):
    # given: the profile link belongs to check-ins, not to rejections
    draft = template(organization, html="<p>{{ profile_url }}</p>")

    # when / then
    with pytest.raises(ValidationError) as error:
        message_template_save(template=draft, actor=Actor.system())
    assert "html" in error.value.message_dict


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}{{ first_name }}",
        '{% include "emails/layout.html" %}',
        "{% if first_name %}{{ secret_key }}{% endif %}",
        "{% for s in strengths %}{{ s }}{{ settings }}{% endfor %}",
        "{{ first_name|default:password }}",
        "{% url 'admin:index' %}",
        "{{ first_name ",
    ],
)
def test_tags_and_placeholders_outside_the_sandbox_are_refused(organization, source):
    with pytest.raises(ValidationError):
        message_template_save(template=template(organization, text=source), actor=Actor.system())


def test_conditions_loops_and_filters_over_known_placeholders_are_accepted(organization):
    # given
    source = (
        "{% if strengths %}{% for s in strengths %}- {{ s|capfirst }}\n{% endfor %}{% endif %}"
        "{% if sender_name != organization %}{{ sender_name|upper }}{% endif %}{# a note #}"
    )

    # when
    saved = template(organization, text=source)
    message_template_save(template=saved, actor=Actor.system())

    # then
    assert saved.pk


def test_the_organizations_template_is_used_and_its_html_follows_the_text(
    kystlys, make_runner_up, at_tuesday_10
):
    # given
    template(
        kystlys,
        text="Hi {{ first_name }},\n\nThank you for {{ stage }}. See {{ consent_url }}\n\n{{ sender_name }}",
    ).save()
    runner_up = make_runner_up(language="en")

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=Actor.system())

    # then
    assert message.subject == "About IT-projektleder"
    assert message.body_text.startswith("Hi Sofie,\n\nThank you for the final interview. See http")
    assert '<p style="margin:0 0 16px;">Hi Sofie,</p>' in message.body_html
    assert '<a href="http' in message.body_html
    for part in (message.subject, message.body_text, message.body_html):
        assert leftover_markers(part) == []


def test_a_template_in_another_language_does_not_replace_the_default(kystlys, make_runner_up, at_tuesday_10):
    # given
    message_template_save(template=template(kystlys, language="sv"), actor=Actor.system())
    runner_up = make_runner_up(language="da")

    # when
    message = warm_rejection_draft(runner_up=runner_up, actor=Actor.system())

    # then
    assert message.subject == "Din ansøgning til stillingen som IT-projektleder"


def test_a_keep_warm_template_cannot_drop_the_way_to_stop(kystlys, at_tuesday_10):
    # given: a check-in template with no stop link in it
    template(
        kystlys,
        kind=Message.Kind.CHECK_IN,
        language="da",
        subject="Hej igen",
        text="Hej {{ first_name }}, opdater din profil: {{ profile_url }}",
    ).save()
    candidate = in_pool(CandidateFactory(organization=kystlys, language="da"))
    keep_warm_run()

    # when
    with time_machine.travel(candidate.touchpoint_plan.next_due_at, tick=False):
        (message,) = keep_warm_run()

    # then
    assert message.subject == "Hej igen"
    assert "/me/stop/" in message.body_text
    assert "/me/stop/" in message.body_html


def test_the_admin_previews_an_unsaved_template_for_a_real_candidate(kystlys, mette, make_runner_up):
    # given
    runner_up = make_runner_up(language="en")
    client = Client()
    client.force_login(mette)

    # when
    response = client.post(
        reverse("admin:messaging_messagetemplate_preview_add"),
        {
            "organization": kystlys.pk,
            "kind": "WARM_REJECTION",
            "language": "en",
            "subject": "About {{ opening_title }}",
            "text": "Hi {{ first_name }},\n\n{{ strengths|join:' ' }}",
            "html": "",
            "preview_candidate": runner_up.candidate.pk,
        },
    )

    # then: rendered with the candidate's real name and feedback, and nothing saved
    assert response.status_code == 200
    assert "About IT-projektleder" in response.text
    assert "Hi Sofie," in response.text
    assert "Your presentation of the campaign plan was the clearest we saw." in response.text
    assert not MessageTemplate.objects.exists()


def test_the_admin_preview_shows_why_a_template_is_refused(kystlys, mette):
    # given
    client = Client()
    client.force_login(mette)

    # when
    response = client.post(
        reverse("admin:messaging_messagetemplate_preview_add"),
        {
            "organization": kystlys.pk,
            "kind": "CHECK_IN",
            "language": "da",
            "subject": "Hej",
            "text": "{{ nope }}",
        },
    )

    # then
    assert response.status_code == 200
    assert "“{{ nope }}” is not a placeholder for this message." in response.text


def test_the_admin_starts_a_new_template_from_the_default_wording(mette):
    # given
    client = Client()
    client.force_login(mette)

    # when
    response = client.get(reverse("admin:messaging_messagetemplate_add") + "?kind=CHECK_IN&language=sv")

    # then
    assert response.status_code == 200
    assert "Något nytt sedan sist?" in response.text
    assert "formaction=" in response.text
