"""Words that messages build sentences from, written per language rather than translated.

Whole email bodies live in per-language template files; the phrases here are the pieces the
code assembles (stages, list joins, feedback sentences, the stop footer).
"""

from __future__ import annotations

from collections.abc import Sequence

from talentpool.openings.models import FeedbackItem, RunnerUp

Stage = RunnerUp.Stage
Category = FeedbackItem.Category

STAGES: dict[str, dict[str, str]] = {
    Stage.SCREENING: {
        "en": "the first screening",
        "da": "den første screening",
        "sv": "den första urvalsrundan",
    },
    Stage.FIRST_INTERVIEW: {
        "en": "the first interview",
        "da": "den første samtale",
        "sv": "den första intervjun",
    },
    Stage.CASE_ASSIGNMENT: {"en": "the case assignment", "da": "caseopgaven", "sv": "caseuppgiften"},
    Stage.SECOND_INTERVIEW: {
        "en": "the second interview",
        "da": "den anden samtale",
        "sv": "den andra intervjun",
    },
    Stage.FINAL_INTERVIEW: {
        "en": "the final interview",
        "da": "den afsluttende samtale",
        "sv": "slutintervjun",
    },
    Stage.OFFER: {"en": "the very last round", "da": "den allersidste runde", "sv": "den allra sista rundan"},
}

AND = {"en": "and", "da": "og", "sv": "och"}

# Frames for feedback written as short phrases rather than whole sentences.
STRENGTHS_FRAME = {
    "en": "We especially valued {items}.",
    "da": "Vi satte især pris på {items}.",
    "sv": "Vi uppskattade särskilt {items}.",
}
NEXT_STEPS_FRAME = {
    "en": "As a next step, we would suggest {items}.",
    "da": "Som et næste skridt vil vi foreslå {items}.",
    "sv": "Som ett nästa steg skulle vi föreslå {items}.",
}
# A development area is told as a fact about the person we chose, not a verdict on the reader,
# in one sentence per category with the recruiter's words inside it.
DIFFERENCE_FRAMES: dict[str, dict[str, str]] = {
    Category.SKILL: {
        "en": "The person we chose had more experience with {items}.",
        "da": "Vi valgte en kandidat, der havde mere erfaring med {items}.",
        "sv": "Vi valde en kandidat som hade mer erfarenhet av {items}.",
    },
    Category.EXPERIENCE: {
        "en": "The person we chose had {items}.",
        "da": "Vi valgte en kandidat, der havde {items}.",
        "sv": "Vi valde en kandidat som hade {items}.",
    },
    Category.CERTIFICATION: {
        "en": "The person we chose already had {items}.",
        "da": "Vi valgte en kandidat, der allerede havde {items}.",
        "sv": "Vi valde en kandidat som redan hade {items}.",
    },
    Category.COMMUNICATION: {
        "en": "The person we chose was stronger at {items}.",
        "da": "Vi valgte en kandidat, der var stærkere til {items}.",
        "sv": "Vi valde en kandidat som var starkare på {items}.",
    },
    Category.PRESENTATION: {
        "en": "In the presentation, the person we chose was stronger on {items}.",
        "da": "I præsentationen var den kandidat, vi valgte, stærkere på {items}.",
        "sv": "I presentationen var den kandidat vi valde starkare på {items}.",
    },
    Category.COMPANY_UNDERSTANDING: {
        "en": "The person we chose knew more about {items}.",
        "da": "Vi valgte en kandidat, der vidste mere om {items}.",
        "sv": "Vi valde en kandidat som visste mer om {items}.",
    },
}

# Not "stop these emails" in English: SpamAssassin's END_FUTURE_EMAILS matches that phrase.
STOP_FOOTER_TEXT = {
    "en": "Would you rather not hear from us like this? Turn these check-ins off with one click: {url}",
    "da": "Vil du hellere være fri for mails som denne? Stop dem med ét klik: {url}",
    "sv": "Vill du hellre slippa mejl som det här? Stoppa dem med ett klick: {url}",
}
STOP_FOOTER_LINK = {
    "en": ("Would you rather not hear from us like this?", "Turn these check-ins off"),
    "da": ("Vil du hellere være fri for mails som denne?", "Stop disse mails"),
    "sv": ("Vill du hellre slippa mejl som det här?", "Stoppa de här mejlen"),
}


def join_items(items: Sequence[str], *, language: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the language's own words (no serial comma)."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[language]} {items[-1]}"


def stage_words(stage: str, *, language: str) -> str:
    return STAGES.get(stage, STAGES[Stage.FINAL_INTERVIEW])[language]
