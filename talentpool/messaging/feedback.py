"""Structured feedback told as sentences in the candidate's language.

Recruiters write feedback items either as whole sentences (“Your presentation of the campaign
plan was the clearest we saw.”) or as short phrases (“your presentation of the campaign plan”).
Sentences are kept as written; phrases of one kind (or one category of development area) are
joined into one sentence with a frame written for each language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from talentpool.messaging.wording import (
    DIFFERENCE_FRAMES,
    NEXT_STEPS_FRAME,
    STRENGTHS_FRAME,
    join_items,
)
from talentpool.openings.models import Feedback, FeedbackItem

SENTENCE_ENDINGS = (".", "!", "?", "…")


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
    return " ".join(text.split()).rstrip(".;,:")


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
    items: Sequence[FeedbackItem], *, language: str, note: str = "", include_development_areas: bool = True
) -> FeedbackSentences:
    """Render feedback items into sentences: strengths, development areas by category, next steps."""
    ordered = sorted(items, key=lambda item: (item.position, item.pk or 0))
    strengths = [i.text for i in ordered if i.kind == FeedbackItem.Kind.STRENGTH]
    next_steps = [i.text for i in ordered if i.kind == FeedbackItem.Kind.NEXT_STEP]
    development: list[str] = []
    if include_development_areas:
        for category in FeedbackItem.Category:
            texts = [
                i.text
                for i in ordered
                if i.kind == FeedbackItem.Kind.DEVELOPMENT_AREA and i.category == category
            ]
            development += sentences(texts, frame=DIFFERENCE_FRAMES[category], language=language)
    return FeedbackSentences(
        strengths=sentences(strengths, frame=STRENGTHS_FRAME, language=language),
        development_areas=development,
        next_steps=sentences(next_steps, frame=NEXT_STEPS_FRAME, language=language),
        note=note.strip(),
    )


def shareable_feedback(feedback: Feedback | None, *, language: str) -> FeedbackSentences | None:
    """The feedback a message may carry: only approved feedback, and its development areas only
    where the recruiter marked them for sharing. None when there is nothing approved to share."""
    if feedback is None or feedback.status not in (Feedback.Status.APPROVED, Feedback.Status.SENT):
        return None
    rendered = feedback_sentences(
        list(feedback.items.all()),
        language=language,
        note=feedback.free_text if feedback.share_with_candidate else "",
        include_development_areas=feedback.share_with_candidate,
    )
    return None if rendered.is_empty else rendered
