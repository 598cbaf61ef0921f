"""Taking an erased person's details out of text and JSON kept for other reasons.

Some rows outlive a person because they belong to someone else: a recruiter's match digest, an
outgoing webhook's payload, the stored answer to an API request. Erasure keeps those rows and takes
the person out of them: in text, their details become ``ERASED``; in JSON, each object that names
them becomes ``{"erased": true}``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

ERASED = "[erased]"
ERASED_OBJECT: dict[str, Any] = {"erased": True}


@dataclass(frozen=True)
class Person:
    """What identifies a person in text: a row naming one of ``keys`` mentions them."""

    keys: tuple[str, ...]  # full name, email, phone: each alone identifies them
    parts: tuple[str, ...]  # first and last name: redacted only where a key shows it is them

    @classmethod
    def of(cls, *, first_name: str, last_name: str, email: str, phone: str) -> Person:
        full_name = f"{first_name} {last_name}".strip()
        keys = (email, phone, full_name, html.escape(full_name))  # as HTML bodies write it, too
        parts = (first_name, last_name, html.escape(first_name), html.escape(last_name))
        return cls(
            keys=tuple(dict.fromkeys(value for value in keys if len(value) >= 3)),
            parts=tuple(dict.fromkeys(value for value in parts if len(value) >= 2)),
        )

    def mentioned_in(self, text: str) -> bool:
        folded = text.casefold()
        return any(key.casefold() in folded for key in self.keys)

    def redact(self, text: str) -> str:
        """``text`` without any of the person's details, if it mentions them; else unchanged."""
        return self.scrub(text) if self.mentioned_in(text) else text

    def scrub(self, text: str) -> str:
        """``text`` without any of the person's details (for a row known to be about them)."""
        for value in sorted({*self.keys, *self.parts}, key=len, reverse=True):
            text = re.sub(re.escape(value), ERASED, text, flags=re.IGNORECASE)
        return text

    def redact_json(self, value: Any) -> tuple[Any, bool]:
        """``value`` with every object that names the person replaced; and whether any was."""
        if isinstance(value, dict):
            if any(isinstance(item, str) and self.mentioned_in(item) for item in value.values()):
                return dict(ERASED_OBJECT), True
            changed = False
            result = {}
            for key, item in value.items():
                result[key], hit = self.redact_json(item)
                changed |= hit
            return result, changed
        if isinstance(value, list):
            items = [self.redact_json(item) for item in value]
            return [item for item, _ in items], any(hit for _, hit in items)
        if isinstance(value, str) and self.mentioned_in(value):
            return self.redact(value), True
        return value, False
