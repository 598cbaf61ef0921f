"""Match quality on the hand-labelled sets (bench/matching_data) cannot silently regress.

``bench/matching_quality.py`` measures the whole road (the API, the candidates' consent links,
the engine's recall); this test scores the same sets in-process with the same code, in seconds.
The floors sit a little under the figures in the README, so that a change that costs quality
fails here and has to say why.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bench.matching_quality import DATA, baseline_scores, evaluate_rankings, offline_rankings

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
pytestmark = pytest.mark.clock(NOW)
FLOORS = {"precision_at_5": 0.88, "grade3_recall_at_3": 0.85, "ndcg_at_10": 0.91}


@pytest.mark.parametrize("name", ["set_a", "set_b"])
def test_match_alerts_on_a_labelled_set_stay_above_the_floor_and_well_above_word_overlap(name):
    # given a labelled pool and its openings
    dataset = json.loads((DATA / f"{name}.json").read_text())
    # when each opening is matched
    ours = evaluate_rankings(dataset, offline_rankings(dataset, now=NOW))
    # then the alerts hold the floor, and beat plain word overlap by a wide margin
    for metric, floor in FLOORS.items():
        assert getattr(ours, metric) >= floor, (metric, ours)
    baseline = baseline_scores(dataset)
    assert ours.precision_at_5 >= baseline.precision_at_5 + 0.15
    assert ours.grade3_recall_at_3 >= baseline.grade3_recall_at_3 + 0.2
