from __future__ import annotations

import pytest

from talentpool.candidates.models import SkillAlias
from talentpool.candidates.selectors import skill_alias_map
from talentpool.candidates.services import candidate_create
from talentpool.candidates.skills import (
    key_for_unknown,
    normalise_skills,
    skill_key,
    skill_label,
    skill_suggestions,
)
from talentpool.core.actors import Actor


@pytest.mark.parametrize(
    "label", ["projektleder", "Projektledare", "project manager", "PM", "  Project   Management "]
)
def test_danish_swedish_and_english_labels_of_project_management_share_one_key(label):
    assert skill_key(label) == "project_management"


@pytest.mark.parametrize("label", ["k8s", "Kubernetes", "kube"])
def test_kubernetes_spellings_share_one_key(label):
    assert skill_key(label) == "kubernetes"


def test_a_label_outside_the_table_becomes_a_readable_key_of_its_own():
    assert skill_key("Grøn omstilling") == "groen_omstilling"
    assert key_for_unknown("C++ / Qt") == "c++_qt"


def test_normalising_drops_blanks_and_duplicates_and_keeps_the_first_order():
    assert normalise_skills(["PRINCE2", "", "agile", "prince 2", "Agil"]) == ["prince2", "agile"]


def test_a_key_reads_in_the_candidates_language():
    assert skill_label("project_management", "da") == "Projektledelse"
    assert skill_label("project_management", "sv") == "Projektledning"
    assert skill_label("project_management", "en") == "Project management"
    assert skill_label("groen_omstilling", "da") == "groen omstilling"


def test_suggestions_complete_a_prefix_in_the_given_language():
    suggestions = dict(skill_suggestions("projektl", language="da"))
    assert suggestions["project_management"] == "Projektledelse"


@pytest.mark.django_db
def test_an_organizations_own_alias_takes_precedence_over_the_table(organization, other_organization):
    # given Kystlys calls PRINCE2 work "PPM"
    SkillAlias.objects.create(organization=organization, label="  PPM ", key="prince2")
    # when candidates of each organization say "PPM"
    mine = candidate_create(
        organization=organization,
        actor=Actor.system(),
        data={"first_name": "A", "email": "a@x.dk", "skills": ["PPM"]},
    )
    theirs = candidate_create(
        organization=other_organization,
        actor=Actor.system(),
        data={"first_name": "B", "email": "b@x.se", "skills": ["PPM"]},
    )
    # then only Kystlys maps it to the canonical key
    assert mine.skills == ["prince2"]
    assert theirs.skills == ["ppm"]
    assert skill_alias_map(organization_id=organization.pk) == {"ppm": "prince2"}
