from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models

from talentpool.candidates.models import Candidate
from talentpool.rights.export import EXCLUDED_RELATIONS, EXPORTED_RELATIONS, candidate_export
from tests.flows.test_rights import PERSON, everything_about

pytestmark = pytest.mark.django_db


def relations_holding_candidate_data() -> set[str]:
    """Every FK or one-to-one that reaches a candidate, directly or through a row that does."""
    owned: set[type[models.Model]] = {Candidate}
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if not (field.concrete and (field.many_to_one or field.one_to_one)):
                    continue
                if field.related_model in owned:
                    label = f"{model._meta.label}.{field.name}"
                    if label not in found:
                        found.add(label)
                        changed = True
                    if model not in owned:
                        owned.add(model)
                        changed = True
    return found


def test_every_model_that_holds_a_candidates_data_is_exported_or_deliberately_excluded():
    # given
    relations = relations_holding_candidate_data()

    # when
    missing = relations - set(EXPORTED_RELATIONS) - set(EXCLUDED_RELATIONS)

    # then
    assert not missing, (
        f"Add these to EXPORTED_RELATIONS (and to candidate_export) or, with a reason, to "
        f"EXCLUDED_RELATIONS in talentpool/consent/export.py: {sorted(missing)}"
    )


def test_the_export_lists_no_relation_that_no_longer_exists():
    relations = relations_holding_candidate_data()
    assert set(EXPORTED_RELATIONS) | set(EXCLUDED_RELATIONS) <= relations


def test_the_profile_uses_json_resume_field_names(organization):
    # given
    candidate = everything_about(organization, **PERSON)
    candidate.links = ["https://www.linkedin.com/in/birgitte"]
    candidate.languages = ["da", "en"]
    candidate.save()

    # when
    data = candidate_export(candidate=candidate)

    # then
    basics = data["basics"]
    assert (basics["name"], basics["email"], basics["phone"]) == (
        "Birgitte Østergaard-Lund",
        PERSON["email"],
        PERSON["phone"],
    )
    assert basics["label"] == candidate.headline
    assert basics["profiles"] == [{"url": "https://www.linkedin.com/in/birgitte"}]
    assert data["skills"][0]["name"] == candidate.skills[0]
    assert "Projektledelse" in data["skills"][0]["keywords"]  # the concept, in the candidate's language
    assert data["languages"] == [{"language": "da"}, {"language": "en"}]


def test_the_export_holds_consent_history_messages_feedback_and_requests(organization):
    # given
    candidate = everything_about(organization, **PERSON)

    # when
    data = candidate_export(candidate=candidate)["talentpool"]

    # then
    assert [event["kind"] for event in data["consent_history"]] == ["GRANTED"]
    assert data["consent_history"][0]["text"]["version"] == 1
    assert {message["kind"] for message in data["messages"]} == {"WARM_REJECTION", "CHECK_IN"}
    assert data["applications"][0]["feedback"]["items"] == [
        {"kind": "STRENGTH", "category": "", "text": "Klar præsentation"}
    ]
    assert data["applications"][0]["notes"] == "Stærk i casen"
    assert data["feedback_requests"][0]["question"] == "Hvorfor?"
    assert len(data["match_alerts"]) == 1
    assert data["links"][0]["scope"] == "PROFILE"
    assert data["keep_warm"]["next_touchpoint"] == "check_in"
    assert data["cv"]["content_type"] == "application/pdf"
    assert "consent.granted" in [entry["action"] for entry in data["audit_trail"]]


def test_the_export_is_plain_json_and_holds_no_token_or_hash(organization):
    # given
    candidate = everything_about(organization, **PERSON)

    # when
    text = json.dumps(candidate_export(candidate=candidate), ensure_ascii=False)

    # then
    assert "token" not in text
    assert "client_hash" not in text
