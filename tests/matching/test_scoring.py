from __future__ import annotations

import datetime as dt

import pytest

from talentpool.matching.scoring import distance_km, match_keys, requirements_met, title_concepts
from talentpool.openings.models import Opening

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.clock(NOW)
MALMO = {"lat": 55.605, "lon": 13.0038}


def opening(**data) -> Opening:
    fields = {
        "organization_id": 7,
        "title": "Projektledare",
        "must_have_skills": ["project_management", "prince2", "agile", "jira"],
        "languages": ["sv"],
        "location": "Malmö",
        "latitude": MALMO["lat"],
        "longitude": MALMO["lon"],
        **data,
    }
    return Opening(**fields)


def source(**data) -> dict:
    return {
        "organization_id": 7,
        "skills": ["project_management", "prince2", "agile"],
        "languages": ["sv", "en"],
        "location": {"lat": 55.7047, "lon": 13.191},  # Lund, about 17 km away
        "location_text": "Lund",
        "consent_expires_at": (NOW + dt.timedelta(days=30)).isoformat(),
        **data,
    }


def test_a_candidate_nearby_with_enough_must_haves_and_the_languages_meets_the_requirements():
    # three of four must-haves is the required 75 %
    assert requirements_met(opening(), source(), now=NOW)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"skills": ["project_management", "prince2"]}, "two of four must-haves"),
        ({"languages": ["en"]}, "no Swedish"),
        ({"consent_expires_at": (NOW - dt.timedelta(seconds=1)).isoformat()}, "consent ran out"),
        ({"consent_expires_at": None}, "no consent"),
        ({"organization_id": 8}, "another organization"),
        ({"location": {"lat": 59.3293, "lon": 18.0686}, "location_text": "Stockholm"}, "too far away"),
        ({"location": None, "location_text": ""}, "no place at all"),
    ],
)
def test_a_candidate_misses_the_requirements(change, why):
    assert not requirements_met(opening(), source(**change), now=NOW), why


def test_a_candidate_without_coordinates_living_in_the_named_place_is_near_whatever_the_accents():
    assert requirements_met(opening(), source(location=None, location_text="Malmo C"), now=NOW)


def test_an_opening_that_names_no_place_takes_candidates_from_anywhere():
    far = source(location={"lat": 69.6492, "lon": 18.9553}, location_text="Tromsø")
    assert requirements_met(opening(location="", latitude=None, longitude=None), far, now=NOW)


def test_the_distance_from_copenhagen_to_aarhus_is_about_157_km():
    assert distance_km(55.6761, 12.5683, 56.1629, 10.2039) == pytest.approx(157, abs=2)


def test_every_match_key_names_the_organization():
    keys = match_keys(
        organization_id=7,
        skills=["prince2"],
        headline="IT-projektleder",
        history=[("IT Project Manager", "FINAL_INTERVIEW")],
    )
    assert "7:skill:prince2" in keys
    assert "7:profile:skill:prince2" in keys
    assert any(key.startswith("7:history:FINAL_INTERVIEW:") for key in keys)
    assert all(key.startswith("7:") for key in keys)


def test_a_title_names_a_skill_only_when_the_skills_table_knows_the_words():
    assert title_concepts("IT Project Manager") == {"project", "manager", "skill:project_management"}
    # "på" folds to "paa" like an unknown skill's key would, but it is not a skill
    assert title_concepts("Sygeplejerske med fokus på digitalisering") == {
        "sygeplejerske",
        "fokus",
        "digitalisering",
        "skill:nursing",
    }
