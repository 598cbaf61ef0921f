from __future__ import annotations

import pytest

from talentpool.messaging.feedback import feedback_sentences, shareable_feedback
from talentpool.messaging.wording import join_items
from talentpool.openings.models import Feedback, FeedbackItem
from tests.messaging.conftest import add_feedback

pytestmark = pytest.mark.django_db

Kind, Category = FeedbackItem.Kind, FeedbackItem.Category


def items(*specs: tuple[str, str, str]) -> list[FeedbackItem]:
    return [FeedbackItem(kind=k, category=c, text=t, position=i) for i, (k, c, t) in enumerate(specs)]


def test_strengths_written_as_phrases_are_joined_into_one_sentence():
    # given
    given = items(
        (Kind.STRENGTH, "", "your clear structure"),
        (Kind.STRENGTH, "", "your questions about our customers"),
        (Kind.STRENGTH, "", "your calm when we pushed back"),
    )

    # when
    rendered = feedback_sentences(given, language="en")

    # then
    assert rendered.strengths == [
        "We especially valued your clear structure, your questions about our customers "
        "and your calm when we pushed back."
    ]


def test_strengths_written_as_sentences_are_kept_as_written():
    # given
    given = items((Kind.STRENGTH, "", "Your presentation of the campaign plan was the clearest we saw."))

    # when
    rendered = feedback_sentences(given, language="en")

    # then
    assert rendered.strengths == ["Your presentation of the campaign plan was the clearest we saw."]


def test_development_areas_are_told_by_category_as_facts_in_danish():
    # given
    given = items(
        (Kind.DEVELOPMENT_AREA, Category.SKILL, "SQL"),
        (Kind.DEVELOPMENT_AREA, Category.EXPERIENCE, "flere års erfaring med vores analyseplatform"),
        (Kind.DEVELOPMENT_AREA, Category.SKILL, "dashboards i Power BI"),
    )

    # when
    rendered = feedback_sentences(given, language="da")

    # then: one sentence per category, in the categories' order
    assert rendered.development_areas == [
        "Når det gjaldt kompetencer, var forskellen SQL og dashboards i Power BI.",
        "Når det gjaldt erfaring, var forskellen flere års erfaring med vores analyseplatform.",
    ]


def test_next_steps_are_suggested_in_swedish():
    # given
    given = items(
        (Kind.NEXT_STEP, "", "en kurs i Google Analytics 4"), (Kind.NEXT_STEP, "", "mer tid med kunder")
    )

    # when
    rendered = feedback_sentences(given, language="sv")

    # then
    assert rendered.next_steps == [
        "Som ett nästa steg skulle vi föreslå en kurs i Google Analytics 4 och mer tid med kunder."
    ]


def test_a_sentence_is_capitalised_and_whitespace_tidied():
    # given
    given = items((Kind.STRENGTH, "", "  your  case was  excellent! "))

    # when
    rendered = feedback_sentences(given, language="en")

    # then
    assert rendered.strengths == ["Your case was excellent!"]


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "a, b and c"), ("da", "a, b og c"), ("sv", "a, b och c"), ("en", "a")]
)
def test_lists_are_joined_in_each_language(language, expected):
    given = ["a", "b", "c"] if expected != "a" else ["a"]
    assert join_items(given, language=language) == expected


def test_feedback_that_is_not_approved_is_not_shared(make_runner_up):
    # given
    runner_up = make_runner_up(language="en", feedback=Feedback.Status.DRAFT)

    # when / then
    assert shareable_feedback(runner_up.feedback, language="en") is None


def test_development_areas_stay_internal_unless_marked_for_sharing(make_runner_up):
    # given
    runner_up = make_runner_up(language="en", share=False)

    # when
    shared = shareable_feedback(runner_up.feedback, language="en")

    # then: the strengths and next steps may go out, the gap and the note may not
    assert shared is not None
    assert shared.strengths
    assert shared.development_areas == []
    assert shared.note == ""


def test_empty_approved_feedback_is_nothing_to_share(make_runner_up):
    # given
    runner_up = make_runner_up(language="en", feedback=None)
    feedback = add_feedback(runner_up)

    # when / then
    assert shareable_feedback(feedback, language="en") is None
