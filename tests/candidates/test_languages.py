from __future__ import annotations

import pytest

from talentpool.candidates.languages import (
    candidate_language_guess,
    language_of_phone,
    language_of_text,
)
from talentpool.candidates.services import candidate_create
from talentpool.core.actors import Actor
from talentpool.core.models import Organization

DANISH_ORG = Organization(name="Kystlys A/S", language="da", country="DK")
SWEDISH_ORG = Organization(name="Fjällbo Bygg AB", language="sv", country="SE")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jeg har arbejdet som tømrer i otte år og er vant til at styre et sjak på byggepladsen.", "da"),
        ("Jag har jobbat som snickare i åtta år och är van att leda ett arbetslag på bygget.", "sv"),
        ("I have worked as a carpenter for eight years and I am used to leading a team on site.", "en"),
        ("Python, Django, PostgreSQL", None),
    ],
)
def test_the_language_of_a_text_is_told_when_it_is_clear(text, language):
    assert language_of_text(text) == language


@pytest.mark.parametrize(
    ("phone", "language"),
    [("+45 20 30 40 50", "da"), ("0046701234567", "sv"), ("+44 7700 900123", "en"), ("20304050", None)],
)
def test_a_phone_numbers_country_code_tells_the_language(phone, language):
    assert language_of_phone(phone) == language


def test_a_danish_organization_never_writes_english_only_because_nobody_said():
    assert candidate_language_guess({"first_name": "Sofie"}, organization=DANISH_ORG) == "da"
    assert candidate_language_guess({"first_name": "Karin"}, organization=SWEDISH_ORG) == "sv"


def test_the_ad_comes_first_then_where_they_live_then_their_phone_then_their_cv():
    person = {"location": "Malmö", "phone": "+45 20304050", "cv_text": "I have worked as a nurse for years."}
    english_ad = "We are looking for a nurse with experience in elderly care and a driving licence."
    assert candidate_language_guess(person, organization=DANISH_ORG, ad_text=english_ad) == "en"
    assert candidate_language_guess(person, organization=DANISH_ORG) == "sv"
    assert candidate_language_guess({**person, "location": ""}, organization=DANISH_ORG) == "da"
    only_cv = {"cv_text": "I have worked as a nurse for eight years and I am used to night shifts."}
    assert candidate_language_guess(only_cv, organization=DANISH_ORG) == "en"


@pytest.mark.django_db
def test_a_candidate_created_without_a_language_gets_the_guess_and_one_given_is_kept(organization):
    organization.language, organization.country = "da", "DK"
    organization.save()

    guessed = candidate_create(
        organization=organization, actor=Actor.system(), data={"first_name": "Ida", "email": "ida@example.dk"}
    )
    given = candidate_create(
        organization=organization,
        actor=Actor.system(),
        data={"first_name": "Tom", "email": "tom@example.com", "language": "en"},
    )

    assert guessed.language == "da"
    assert given.language == "en"
