"""The candidate-experience question: a signed link, a page that records only on POST, results."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.rights import candidate_erase
from talentpool.messaging.drafting import feedback_message_draft, warm_rejection_draft
from talentpool.messaging.experience import experience_summary, experience_token
from talentpool.messaging.models import ExperienceResponse
from tests.messaging.conftest import TUESDAY_10

pytestmark = [pytest.mark.django_db, pytest.mark.clock(TUESDAY_10)]

SYSTEM = Actor.system()


def rating_links(html: str) -> list[str]:
    return re.findall(r'href="(http[^"]*/me/experience/[^"?]+/\?rating=\d)"', html)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_the_rejection_and_the_feedback_email_ask_how_the_process_felt(
    make_runner_up, at_tuesday_10, language
):
    # given
    runner_up = make_runner_up(language=language)

    # when
    rejection = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    feedback = feedback_message_draft(runner_up=runner_up, actor=SYSTEM)

    # then: five one-click ratings in the HTML, one link in the text
    for message in (rejection, feedback):
        assert [link[-1] for link in rating_links(message.body_html)] == ["1", "2", "3", "4", "5"]
        assert "/me/experience/" in message.body_text


def test_opening_the_link_shows_the_choice_and_records_nothing(make_runner_up, at_tuesday_10):
    # given: a mail scanner follows the "4" link
    runner_up = make_runner_up(language="sv")
    message = warm_rejection_draft(runner_up=runner_up, actor=SYSTEM)
    four = rating_links(message.body_html)[3]

    # when
    response = Client().get(path_of(four))

    # then
    assert response.status_code == 200
    assert 'value="4" checked' in response.text
    assert "Hur upplevde du vår rekryteringsprocess för tjänsten som IT-projektleder?" in response.text
    assert not ExperienceResponse.objects.exists()


def test_posting_the_answer_records_it_once_and_thanks_in_the_candidates_language(
    make_runner_up, at_tuesday_10
):
    # given
    runner_up = make_runner_up(language="da")
    token = experience_token(candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id)
    url = reverse("experience", args=[token])

    # when: answered, then changed
    Client().post(url, {"rating": "2", "comment": "Lang ventetid"})
    response = Client().post(url, {"rating": "4", "comment": "Lang ventetid, men god samtale"}, follow=True)

    # then
    answer = ExperienceResponse.objects.get()
    assert (answer.rating, answer.comment) == (4, "Lang ventetid, men god samtale")
    assert answer.candidate == runner_up.candidate
    assert answer.opening == runner_up.opening
    assert response.redirect_chain[-1][0].startswith(reverse("experience-thanks"))
    assert 'lang="da"' in response.text
    assert AuditEvent.objects.filter(action="experience_response.updated").count() == 1


def test_a_post_without_a_rating_records_nothing(make_runner_up, at_tuesday_10):
    runner_up = make_runner_up()
    token = experience_token(candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id)

    response = Client().post(reverse("experience", args=[token]), {"rating": "9"})

    assert response.status_code == 400
    assert not ExperienceResponse.objects.exists()


def test_a_tampered_link_gets_a_friendly_page_in_the_browsers_language(make_runner_up, at_tuesday_10):
    runner_up = make_runner_up()
    token = experience_token(candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id)

    response = Client().get(reverse("experience", args=[token[:-2] + "xx"]), HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()


def test_erasing_the_candidate_removes_their_answers(make_runner_up, at_tuesday_10):
    # given
    runner_up = make_runner_up()
    token = experience_token(candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id)
    Client().post(reverse("experience", args=[token]), {"rating": "5", "comment": "Tak"})

    # when
    candidate_erase(candidate=runner_up.candidate, actor=SYSTEM)

    # then
    assert not ExperienceResponse.objects.exists()
    assert Client().get(reverse("experience", args=[token])).status_code == 404


def test_the_dashboard_shows_the_average_per_opening_and_the_comments(
    kystlys, mette: User, make_runner_up, at_tuesday_10
):
    # given: two answers for one opening, one for another
    first, second, third = (make_runner_up() for _ in range(3))
    for runner_up, rating, comment in ((first, 4, "God og ærlig samtale"), (second, 5, ""), (third, 2, "")):
        token = experience_token(candidate_id=runner_up.candidate_id, opening_id=runner_up.opening_id)
        Client().post(reverse("experience", args=[token]), {"rating": str(rating), "comment": comment})

    # when
    summary = experience_summary(organization_id=kystlys.pk)
    client = Client()
    client.force_login(mette)
    page = client.get(reverse("admin_dashboard")).text

    # then
    assert summary["experience"].count == 3
    assert summary["experience"].average == pytest.approx(3.7)
    assert sorted(row.average for row in summary["experience_per_opening"]) == [2.0, 4.0, 5.0]
    assert 'id="experience-average">3.7<' in page
    assert "God og ærlig samtale" in page
