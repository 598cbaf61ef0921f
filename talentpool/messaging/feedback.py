"""Structured feedback told as sentences in the candidate's language.

Recruiters write feedback items either as whole sentences (“Your presentation of the campaign
plan was the clearest we saw.”) or as short phrases (“your presentation of the campaign plan”).
Sentences are kept as written; phrases of one kind (or one category of development area) are
joined into one sentence with a frame written for each language, starting in lower case where
the recruiter wrote an ordinary word with a capital ("Explaining numbers ..." inside a sentence).

A warm rejection carries a brief version: two strengths, the deciding difference in one
sentence, the recruiter's note only if it is short, and no next steps (those are for the
feedback email).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from talentpool.candidates.languages import language_of_text
from talentpool.messaging.wording import (
    DIFFERENCE_FRAMES,
    NEXT_STEPS_FRAME,
    STRENGTHS_FRAME,
    join_items,
)
from talentpool.openings.models import Feedback, FeedbackItem

SENTENCE_ENDINGS = (".", "!", "?", "…")
BRIEF_STRENGTHS = 2
BRIEF_NOTE_WORDS = 20


@dataclass(frozen=True)
class FeedbackSentences:
    strengths: list[str] = field(default_factory=list)
    development_areas: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.strengths or self.development_areas or self.next_steps or self.note)


def is_sentence(text: str) -> bool:
    return text.rstrip().endswith(SENTENCE_ENDINGS)


def as_sentence(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith(SENTENCE_ENDINGS) else f"{text}."


def _phrase(text: str) -> str:
    """A phrase to go inside a sentence: "Explaining numbers to colleagues" starts in lower case;
    "Power BI", "PRINCE2 certification" and a single word ("Python") keep their capitals."""
    phrase = " ".join(text.split()).rstrip(".;,:")
    words = phrase.split(" ")
    first = words[0]
    ordinary_start = first[:1].isupper() and first[1:].islower() and first.isalpha()
    rest_lower = all(not any(ch.isupper() for ch in word) for word in words[1:])
    if len(words) >= 2 and ordinary_start and rest_lower:
        return first[:1].lower() + phrase[1:]
    return phrase


def sentences(texts: Iterable[str], *, frame: dict[str, str], language: str) -> list[str]:
    """Whole sentences as written, then the phrases joined into one framed sentence."""
    whole, phrases = [], []
    for text in texts:
        if not text.strip():
            continue
        if is_sentence(text.strip()):
            whole.append(as_sentence(text))
        else:
            phrases.append(_phrase(text))
    if phrases:
        whole.append(frame[language].format(items=join_items(phrases, language=language)))
    return whole


def feedback_sentences(
    items: Sequence[FeedbackItem],
    *,
    language: str,
    note: str = "",
    include_development_areas: bool = True,
    brief: bool = False,
) -> FeedbackSentences:
    """Render feedback items into sentences: strengths, development areas by category, next steps.

    ``brief`` (for the warm rejection): two strengths, the first category's difference as one
    sentence, a note only if it is short, no next steps.
    """
    ordered = sorted(items, key=lambda item: (item.position, item.pk or 0))
    strengths = [i.text for i in ordered if i.kind == FeedbackItem.Kind.STRENGTH]
    next_steps = [i.text for i in ordered if i.kind == FeedbackItem.Kind.NEXT_STEP]
    areas = [i for i in ordered if i.kind == FeedbackItem.Kind.DEVELOPMENT_AREA and i.text.strip()]
    # Categories in the order the recruiter wrote them: the first one is what decided it.
    categories = list(dict.fromkeys(i.category or FeedbackItem.Category.SKILL for i in areas))
    development: list[str] = []
    if include_development_areas:
        for category in categories[:1] if brief else categories:
            texts = [i.text for i in areas if (i.category or FeedbackItem.Category.SKILL) == category]
            development += sentences(texts, frame=DIFFERENCE_FRAMES[category], language=language)
    if brief:
        strengths, next_steps, development = strengths[:BRIEF_STRENGTHS], [], development[:1]
        if len(note.split()) > BRIEF_NOTE_WORDS:
            note = ""
    return FeedbackSentences(
        strengths=sentences(strengths, frame=STRENGTHS_FRAME, language=language),
        development_areas=development,
        next_steps=sentences(next_steps, frame=NEXT_STEPS_FRAME, language=language),
        note=note.strip(),
    )


def shareable_feedback(
    feedback: Feedback | None, *, language: str, brief: bool = False
) -> FeedbackSentences | None:
    """The feedback a message may carry: only approved feedback, and its development areas only
    where the recruiter marked them for sharing. None when there is nothing approved to share."""
    if feedback is None or feedback.status not in (Feedback.Status.APPROVED, Feedback.Status.SENT):
        return None
    rendered = feedback_sentences(
        list(feedback.items.all()),
        language=language,
        note=feedback.free_text if feedback.share_with_candidate else "",
        include_development_areas=feedback.share_with_candidate,
        brief=brief,
    )
    return None if rendered.is_empty else rendered


# Fewer marker words than a CV needs: feedback is a few short lines.
FEEDBACK_MIN_MARKERS = 3


def feedback_language(feedback: Feedback) -> str | None:
    """The language the feedback is written in (da, sv or en), when its words say so clearly."""
    texts = [item.text for item in feedback.items.all()] + [feedback.free_text]
    return language_of_text("\n".join(texts), min_markers=FEEDBACK_MIN_MARKERS)


def feedback_language_mismatch(feedback: Feedback, *, language: str) -> str | None:
    """The feedback's language if it is recognisably not ``language`` (the candidate's), else None."""
    written_in = feedback_language(feedback)
    return written_in if written_in is not None and written_in != language else None
