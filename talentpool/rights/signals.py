"""Signals of the candidate's rights, for apps above the flows that keep traces of a person."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the erasure's transaction, before the candidate's rows are deleted, with
# ``candidate`` and ``person`` (a talentpool.core.redaction.Person). Receivers take the person out
# of what they keep for other reasons; they raise to roll the erasure back.
candidate_erasing = Signal()
