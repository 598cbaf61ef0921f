"""How a candidate's profile is scored against an opening: evidence, hard requirements, level, place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from talentpool.core.models import Organization
from talentpool.matching.scoring import (
    THRESHOLD,
    CandidateFacts,
    OpeningNeeds,
    hard_requirements_met,
    hard_requirements_missed,
    reasons_text,
    score_match,
)
from talentpool.openings.models import Opening
from talentpool.skills.profile import PastPlace, profile_of

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
VEJLE = (55.7113, 9.5357)
ORGANIZATION = Organization(pk=7, country="DK", default_radius_km=50)


def opening(**fields) -> OpeningNeeds:
    data = {
        "organization_id": 7,
        "title": "Tømrer til renovering",
        "must_have_skills": ["Tømrersvend", "Tagrenovering"],
        "nice_to_have_skills": ["Efterisolering"],
        "hard_skills": [],
        "languages": ["da"],
        "location": "Vejle",
        "latitude": VEJLE[0],
        "longitude": VEJLE[1],
        **fields,
    }
    instance = Opening(**data)
    instance.organization = ORGANIZATION
    return OpeningNeeds.of(instance)


def candidate(candidate_id: int = 1, **fields: Any) -> CandidateFacts:
    data = {
        "skills": [],
        "headline": "",
        "cv_text": "",
        "years_of_experience": 6,
        "location": "Vejle",
        "latitude": VEJLE[0],
        "longitude": VEJLE[1],
        "languages": ["da"],
        "preferred_language": "da",
        **fields,
    }
    return CandidateFacts(candidate_id=candidate_id, organization_id=7, profile=profile_of(**data))


def score(needs: OpeningNeeds, facts: CandidateFacts) -> float:
    return score_match(needs, facts).score


@pytest.mark.parametrize(
    ("headline", "skills"),
    [
        ("Tømrer", ["Tagrenovering"]),
        ("Snickare", ["Takrenovering"]),
        ("Carpenter", ["Roof renovation"]),
    ],
)
def test_the_same_trade_in_danish_swedish_or_english_meets_a_danish_opening(headline, skills):
    assert score(opening(), candidate(headline=headline, skills=skills)) >= 60


def test_a_must_have_shown_only_in_the_cv_counts():
    # given two carpenters, one listing roof work, the other only writing about it
    listed = candidate(headline="Tømrer", skills=["Tagrenovering"])
    written = candidate(headline="Tømrer", cv_text="Jeg har lavet tagrenovering på parcelhuse i ti år.")
    nothing = candidate(headline="Tømrer")
    # then the CV counts almost as much as the list, and more than nothing
    assert score(opening(), listed) >= score(opening(), written) > score(opening(), nothing)


def test_versions_and_qualifiers_do_not_hide_a_skill():
    needs = opening(title="Konstruktør", must_have_skills=["SolidWorks"], nice_to_have_skills=[])
    assert score(needs, candidate(skills=["SolidWorks 2023 (certificeret)"])) == score(
        needs, candidate(skills=["SolidWorks"])
    )


def test_a_compound_written_with_another_linking_letter_is_the_same_trade():
    needs = opening(title="Lastbilmekaniker", must_have_skills=["Lastbilmekaniker"], nice_to_have_skills=[])
    assert score(needs, candidate(headline="Lastbilsmekaniker")) == score(
        needs, candidate(headline="Lastbilmekaniker")
    )


def test_a_specific_certificate_implies_the_general_skill():
    needs = opening(title="Kok", must_have_skills=["Fødevaresikkerhed"], nice_to_have_skills=[])
    assert score(needs, candidate(headline="Kok", skills=["HACCP"])) > score(needs, candidate(headline="Kok"))


def test_a_student_with_the_right_words_ranks_below_an_experienced_person_for_a_senior_role():
    needs = opening(experience_level="SENIOR")
    student = candidate(headline="Tømrerlærling, 3. år", skills=["Tagrenovering"], years_of_experience=1)
    experienced = candidate(headline="Tømrer", skills=["Tagrenovering"], years_of_experience=12)
    assert score(needs, experienced) - score(needs, student) > 30


def test_a_person_outside_the_radius_is_not_matched_unless_the_opening_is_remote():
    aalborg = candidate(headline="Tømrer", location="Aalborg", latitude=57.0488, longitude=9.9217)
    assert hard_requirements_missed(opening(radius_km=100), aalborg, now=NOW) == ["distance"]
    assert hard_requirements_met(opening(radius_km=200), aalborg, now=NOW)
    assert hard_requirements_met(opening(remote=True), aalborg, now=NOW)


def test_a_place_written_without_coordinates_is_found_for_the_radius():
    needs = opening(radius_km=30)
    assert hard_requirements_met(
        needs, candidate(location="7100 Vejle", latitude=None, longitude=None), now=NOW
    )
    assert not hard_requirements_met(
        needs, candidate(location="Kbh. NV", latitude=None, longitude=None), now=NOW
    )


def test_the_organizations_default_radius_applies_when_the_opening_states_none():
    # Horsens is about 26 km from Vejle, Aarhus about 63 km; the default is 50 km
    horsens = candidate(location="Horsens", latitude=None, longitude=None)
    aarhus = candidate(location="Aarhus", latitude=None, longitude=None)
    assert hard_requirements_met(opening(), horsens, now=NOW)
    assert not hard_requirements_met(opening(), aarhus, now=NOW)


def test_nearer_ranks_a_little_higher_within_the_radius():
    near = candidate(headline="Tømrer", skills=["Tagrenovering"])
    farther = candidate(
        headline="Tømrer", skills=["Tagrenovering"], location="Horsens", latitude=55.86, longitude=9.85
    )
    assert 0 < score(opening(), near) - score(opening(), farther) < 10


def test_a_required_language_is_a_hard_requirement():
    swedish = candidate(headline="Snickare", languages=["sv", "en"], preferred_language="sv")
    assert hard_requirements_missed(opening(), swedish, now=NOW) == ["languages"]


def test_a_hard_requirement_must_be_shown_and_a_denial_counts_against_it():
    needs = opening(hard_skills=["Kørekort B"])
    assert hard_requirements_met(needs, candidate(headline="Tømrer", skills=["B-kørekort"]), now=NOW)
    assert hard_requirements_met(needs, candidate(headline="Tømrer", cv_text="Jeg har kørekort."), now=NOW)
    no_licence = candidate(headline="Tømrer", cv_text="Jeg har desværre ikke kørekort endnu.")
    assert hard_requirements_missed(needs, no_licence, now=NOW) == ["Kørekort B"]
    assert not hard_requirements_met(needs, candidate(headline="Tømrer"), now=NOW)


def test_a_protected_title_shows_its_authorisation_unless_the_profile_says_it_is_pending():
    needs = opening(
        title="Sygeplejerske",
        must_have_skills=["Autoriseret sygeplejerske"],
        hard_skills=["Autoriseret sygeplejerske"],
    )
    assert hard_requirements_met(needs, candidate(headline="Sygeplejerske, 12 år i hjemmeplejen"), now=NOW)
    waiting = candidate(headline="Sygeplejerske – venter på dansk autorisation")
    assert not hard_requirements_met(needs, waiting, now=NOW)


def test_a_hard_requirement_written_as_an_abbreviation_and_its_meaning_is_met_by_either():
    needs = opening(title="Spårtekniker", hard_skills=["GSS – Grundläggande säkerhet på spår"], languages=[])
    by_abbreviation = candidate(headline="Spårtekniker", skills=["GSS", "B-körkort"])
    spelled_out = candidate(headline="Banarbetare", skills=["grundläggande säkerhet spår"])
    assert hard_requirements_met(needs, by_abbreviation, now=NOW)
    assert hard_requirements_met(needs, spelled_out, now=NOW)
    assert not hard_requirements_met(needs, candidate(headline="Spårtekniker", skills=["BEST"]), now=NOW)


def test_details_the_vocabulary_does_not_know_beside_a_known_hard_requirement_do_not_decide_it():
    needs = opening(
        title="Lärare åk 4–6", hard_skills=["Lärarlegitimation med behörighet Ma + NO åk 4–6"], languages=[]
    )
    certified = candidate(headline="Grundlärare", skills=["Lärarlegitimation åk 4–6 Ma, NO, Tk"])
    assert hard_requirements_met(needs, certified, now=NOW)
    assert not hard_requirements_met(
        needs, candidate(headline="Fritidspedagog", skills=["NO åk 4–6"]), now=NOW
    )


def test_a_school_subject_in_capitals_is_not_a_denial():
    needs = opening(title="Lärare", hard_skills=["Lärarlegitimation"], languages=[])
    assert hard_requirements_met(needs, candidate(skills=["Lärarlegitimation 4–6 Ma/NO/Sv"]), now=NOW)
    assert not hard_requirements_met(needs, candidate(cv_text="Jag har no lärarlegitimation än."), now=NOW)


def test_an_authorisation_word_in_the_profile_of_a_titled_person_shows_their_authorisation():
    needs = opening(title="Lärare", hard_skills=["Lärarlegitimation"], languages=[])
    assert hard_requirements_met(
        needs, candidate(headline="Mellanstadielärare", skills=["legitimerad", "matte"]), now=NOW
    )
    assert not hard_requirements_met(
        needs, candidate(headline="Mellanstadielärare", skills=["matte"]), now=NOW
    )


def test_the_newly_qualified_are_juniors_not_learners():
    needs = opening(title="Barnmorska", must_have_skills=["Barnmorska"], languages=[])
    graduate = candidate(headline="Nyutexaminerad barnmorska", years_of_experience=1)
    student = candidate(headline="Barnmorskestudent", years_of_experience=0)
    assert score(needs, graduate) > score(needs, student) * 1.5


def test_a_past_place_in_a_similar_role_raises_the_score_more_for_a_later_stage():
    needs = opening()
    profile: dict[str, Any] = {"headline": "Tømrer", "skills": ["Tagrenovering"]}
    final = candidate(**profile, history=[PastPlace("Tømrer, renovering", "FINAL_INTERVIEW")])
    screening = candidate(**profile, history=[PastPlace("Tømrer, renovering", "SCREENING")])
    other_role = candidate(**profile, history=[PastPlace("Lagermedarbejder", "FINAL_INTERVIEW")])
    none = candidate(**profile)
    assert score(needs, final) > score(needs, screening) > score(needs, none) == score(needs, other_role)


def test_an_intern_place_says_little_about_a_manager_role_with_the_same_noun():
    needs = opening(title="Køkkenchef", must_have_skills=["Køkkenledelse"], nice_to_have_skills=[])
    profile: dict[str, Any] = {"headline": "Kok", "skills": ["Køkkenledelse"]}
    intern = candidate(**profile, history=[PastPlace("Køkkenpraktikant", "OFFER")])
    assert score(needs, intern) == score(needs, candidate(**profile))


def test_a_deciding_gap_still_open_lowers_the_score_and_a_closed_one_is_a_reason():
    needs = opening(
        title="Lagerchef", must_have_skills=["Truckcertifikat", "Lagerstyring"], nice_to_have_skills=[]
    )
    place = PastPlace("Lagerchef", "SECOND_INTERVIEW", gaps=("Mangler truckcertifikat",))
    still_open = candidate(headline="Lagerleder", skills=["Lagerstyring"], history=[place])
    closed = candidate(headline="Lagerleder", skills=["Lagerstyring", "Truckcertifikat"], history=[place])
    assert score(needs, closed) > score(needs, still_open)
    match = score_match(needs, closed)
    assert any(reason["kind"] == "gap_closed" for reason in match.reasons)
    assert "closed the gap: Forklift licence (runner-up for Lagerchef, second interview)" in reasons_text(
        match.reasons
    )


def test_the_reasons_are_structured_and_read_as_one_sentence_in_the_recruiters_language():
    match = score_match(opening(), candidate(headline="Tømrer", skills=["Tagrenovering"]))
    kinds = [reason["kind"] for reason in match.reasons]
    assert kinds[:3] == ["role", "skill", "skill"]
    roofing = next(reason for reason in match.reasons if reason.get("requirement") == "Tagrenovering")
    assert (roofing["concept"], roofing["found_in"], roofing["must"]) == ("roofing", ["profile"], True)
    assert (
        reasons_text(match.reasons, language="da")
        == "har Tømrer (overskrift) og Tagdækning (profil); 0 km væk; taler dansk"
    )
    assert reasons_text(match.reasons, language="en").endswith("0 km away; speaks Danish")


def test_an_unrelated_profile_scores_below_the_threshold():
    assert score(opening(), candidate(headline="Bogholder", skills=["e-conomic", "Bogføring"])) < THRESHOLD


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "taler dansk og engelsk"),
        ("sv", "talar danska och engelska"),
        ("en", "speaks Danish and English"),
    ],
)
def test_required_languages_are_named_in_the_readers_words_not_as_codes(language, expected):
    from talentpool.matching.scoring import reasons_text

    assert reasons_text([{"kind": "languages", "codes": ["da", "en"]}], language=language) == expected
