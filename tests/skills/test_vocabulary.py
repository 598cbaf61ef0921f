from __future__ import annotations

import re

import pytest

from talentpool.skills.curated import CONCEPTS, EXISTING_KEYS
from talentpool.skills.evidence import label_concepts, profile_evidence
from talentpool.skills.labels import label_form, skill_suggestions
from talentpool.skills.vocabulary import KINDS, vocabulary

# The rules of the curated table (see its docstring) ------------------------------------------


def test_every_curated_concept_has_a_valid_key_kind_and_three_labels():
    keys = [concept.key for concept in CONCEPTS]
    assert len(keys) == len(set(keys))
    for concept in CONCEPTS:
        assert re.fullmatch(r"[a-z0-9_]+", concept.key), concept.key
        assert concept.kind in KINDS, concept.key
        assert all((concept.en, concept.da, concept.sv)), concept.key


def test_no_label_or_alias_belongs_to_two_curated_concepts():
    owner: dict[str, str] = {}
    for concept in CONCEPTS:
        for label in {label_form(text) for text in (concept.en, concept.da, concept.sv, *concept.aliases)}:
            assert owner.setdefault(label, concept.key) == concept.key, (label, owner[label], concept.key)


def test_broader_links_name_existing_concepts_and_never_loop():
    keys = {concept.key for concept in CONCEPTS}
    broader = {concept.key: concept.broader for concept in CONCEPTS}
    for key, parents in broader.items():
        assert set(parents) <= keys, key
        seen, frontier = {key}, list(parents)
        while frontier:
            parent = frontier.pop()
            assert parent != key, f"{key} reaches itself"
            if parent not in seen:
                seen.add(parent)
                frontier.extend(broader[parent])


def test_every_key_of_the_first_skills_table_is_still_a_concept():
    # Profiles and openings stored before skills were kept as typed name these keys.
    assert {concept.key for concept in CONCEPTS} >= EXISTING_KEYS
    assert label_concepts("project_management") == ["project_management"]


# Understanding what people type --------------------------------------------------------------


@pytest.mark.parametrize("label", ["Tømrer", "tømrere", "Snickare", "snickaren", "Carpenter", "carpenters"])
def test_a_trade_in_danish_swedish_and_english_is_one_concept(label):
    assert label_concepts(label) == ["carpenter"]


@pytest.mark.parametrize(
    "label",
    ["Truckcertifikat", "truckkort", "Forklift licence", "Truckcertifikat (B)", "Truckcertifikat 2024"],
)
def test_licences_are_recognised_whatever_the_language_qualifier_or_year(label):
    assert label_concepts(label) == ["forklift_licence"]


def test_a_compound_with_another_linking_letter_is_the_same_concept():
    assert label_concepts("lastbilmekaniker") == label_concepts("lastbilsmekaniker")


def test_a_typo_of_a_known_word_is_understood():
    assert label_concepts("Sygeplejeske") == label_concepts("Sygeplejerske") == ["nurse"]


def test_a_word_the_vocabulary_does_not_know_keeps_its_own_key_and_still_meets_itself():
    assert label_concepts("Ordrestyring.dk") == ["ordrestyring.dk"]


def test_an_organizations_alias_takes_precedence_over_the_vocabulary():
    assert label_concepts("PPM", aliases={"ppm": "prince2"}) == ["prince2"]


def test_a_specific_skill_implies_the_general_one_with_less_weight():
    evidence = profile_evidence(skills=["HACCP"])
    assert evidence.concepts["haccp"][0] > evidence.concepts["food_safety"][0] > 0


def test_a_denied_skill_is_no_evidence_and_is_remembered_as_denied():
    evidence = profile_evidence(cv_text="Jeg har desværre ikke kørekort endnu. Jeg har truckcertifikat.")
    assert "driving_licence_b" not in evidence.concepts
    assert "driving_licence_b" in evidence.denied
    assert "forklift_licence" in evidence.concepts


def test_a_skill_listed_as_pending_is_no_evidence():
    evidence = profile_evidence(skills=["D-körkort (ej klart)", "YKB"])
    assert "driving_licence_d" not in evidence.concepts
    assert "driver_cpc" in evidence.concepts


def test_licence_classes_next_to_a_licence_word_or_in_a_drivers_profile_are_licences():
    assert "driving_licence_b" in profile_evidence(skills=["B-kort"]).concepts
    driver = profile_evidence(headline="Chauffør", skills=["CE", "kode 95"])
    assert {"driving_licence_ce", "driver_cpc"} <= set(driver.concepts)
    assert "driving_licence_ce" not in profile_evidence(headline="Produktudvikler", skills=["CE"]).concepts


def test_suggestions_complete_a_prefix_in_the_given_language_curated_concepts_first():
    suggestions = dict(skill_suggestions("projektl", language="da"))
    assert suggestions["project_management"] == "Projektledelse"
    assert vocabulary().concepts["project_management"].curated
