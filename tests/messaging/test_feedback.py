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

    # then: one sentence per category, in the order the recruiter wrote them
    assert rendered.development_areas == [
        "Vi valgte en kandidat, der havde mere erfaring med SQL og dashboards i Power BI.",
        "Vi valgte en kandidat, der havde flere års erfaring med vores analyseplatform.",
    ]


@pytest.mark.parametrize(
    ("language", "category", "text", "expected"),
    [
        (
            "en",
            Category.COMMUNICATION,
            "Explaining numbers to colleagues outside finance",
            "The person we chose was stronger at explaining numbers to colleagues outside finance.",
        ),
        ("en", Category.SKILL, "Power BI", "The person we chose had more experience with Power BI."),
        (
            "en",
            Category.CERTIFICATION,
            "PRINCE2 certification",
            "The person we chose already had PRINCE2 certification.",
        ),
        (
            "sv",
            Category.PRESENTATION,
            "Att presentera resultat för ledningen",
            "I presentationen var den kandidat vi valde starkare på att presentera resultat för ledningen.",
        ),
        (
            "da",
            Category.COMPANY_UNDERSTANDING,
            "Vores kunder i detailhandlen",
            "Vi valgte en kandidat, der vidste mere om vores kunder i detailhandlen.",
        ),
    ],
)
def test_a_development_area_reads_as_one_natural_sentence_without_a_capital_mid_sentence(
    language, category, text, expected
):
    rendered = feedback_sentences(items((Kind.DEVELOPMENT_AREA, category, text)), language=language)

    assert rendered.development_areas == [expected]


def test_no_frame_says_when_it_came_to_or_the_difference_was():
    from talentpool.messaging.wording import DIFFERENCE_FRAMES

    frames = " ".join(frame for by_language in DIFFERENCE_FRAMES.values() for frame in by_language.values())
    for clumsy in (
        "When it came to",
        "the difference was",
        "var forskellen",
        "var skillnaden",
        "Når det gjaldt",
    ):
        assert clumsy not in frames


def test_the_brief_version_for_a_rejection_has_two_strengths_one_difference_and_no_next_steps():
    # given
    given = items(
        (Kind.STRENGTH, "", "your clear structure"),
        (Kind.STRENGTH, "", "your questions about our customers"),
        (Kind.STRENGTH, "", "your calm when we pushed back"),
        (Kind.DEVELOPMENT_AREA, Category.COMMUNICATION, "explaining numbers to colleagues outside finance"),
        (Kind.DEVELOPMENT_AREA, Category.SKILL, "Power BI"),
        (Kind.NEXT_STEP, "", "a course in Power BI"),
    )

    # when
    rendered = feedback_sentences(given, language="en", brief=True, note=" ".join(["word"] * 30))

    # then
    assert rendered.strengths == [
        "We especially valued your clear structure and your questions about our customers."
    ]
    assert rendered.development_areas == [
        "The person we chose was stronger at explaining numbers to colleagues outside finance."
    ]
    assert rendered.next_steps == []
    assert rendered.note == ""  # A long note waits for the feedback email.


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
