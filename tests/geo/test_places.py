from __future__ import annotations

import pytest

from talentpool.geo.places import distance_km, find_place, place_point


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Silkeborg", "Silkeborg"),
        ("8000 Aarhus C", "Aarhus C"),
        ("Kbh. NV", "København NV"),
        ("Malmø", "Malmö"),
        ("Gbg", "Gothenburg"),
        ("Köpenhamn", "Copenhagen"),
        ("Silkeborg, Midtjylland", "Silkeborg"),
        ("243 30 Höör", "Höör"),
        ("Næstved", "Næstved"),
        ("Gävle", "Gävle"),
    ],
)
def test_places_are_found_as_people_write_them(text, name):
    place = find_place(text)
    assert place is not None, text
    assert place.name == name


def test_a_shared_name_prefers_the_larger_place_unless_the_organizations_country_has_one():
    lund, give = find_place("Lund", country="DK"), find_place("Give", country="DK")
    assert lund is not None
    assert lund.country == "SE"  # Lund in Skåne, not a Danish hamlet
    assert give is not None
    assert give.country == "DK"


def test_a_pair_of_coordinates_is_its_own_point_and_nonsense_is_no_place():
    assert place_point("55.68, 12.57") == (55.68, 12.57)
    assert place_point("Remote") is None
    assert place_point("") is None


def test_the_distance_from_copenhagen_to_aarhus_is_about_157_km():
    assert distance_km(55.6761, 12.5683, 56.1629, 10.2039) == pytest.approx(157, abs=2)
