"""Bad input is a 4xx in the one error shape, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_no_api_key_is_401(client):
    response = APIClient().get("/api/v1/candidates/")

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "fields": {},
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer tp_1234.abc", "Bearer", "Bearer a b"])
def test_a_wrong_api_key_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/candidates/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_api_key_is_401(api):
    from django.utils import timezone

    api.api_key.revoked_at = timezone.now()
    api.api_key.save()

    assert api.get("/api/v1/candidates/").status_code == 401


def test_bad_json_is_400(api):
    response = api.post("/api/v1/candidates/", '{"first_name": "Ida",', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert set(response.json()) == {"code", "message", "fields"}


def test_wrong_types_are_400_naming_the_fields(api):
    response = api.post(
        "/api/v1/candidates/",
        {
            "first_name": ["Ida"],
            "email": 42,
            "years_of_experience": "many",
            "skills": "python",
            "latitude": "north",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "first_name",
        "email",
        "years_of_experience",
        "skills",
        "latitude",
    }


def test_unknown_fields_are_400_naming_them(api):
    response = api.post(
        "/api/v1/candidates/",
        {"first_name": "Ida", "email": "ida@example.dk", "shoe_size": 38, "organization": 2},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The request is not valid; see `fields`.",
        "fields": {"organization": ["Unknown field."], "shoe_size": ["Unknown field."]},
    }


@pytest.mark.parametrize("body", ["[]", "42", "null", '"text"'])
def test_a_body_that_is_not_an_object_is_400(api, body):
    response = api.post("/api/v1/candidates/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] in {"invalid", "parse_error"}


def test_a_body_that_is_not_json_is_415(api):
    response = api.post(
        "/api/v1/candidates/", "first_name=Ida", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_nul_character_is_refused_not_stored(api):
    response = api.post(
        "/api/v1/candidates/", {"first_name": "I\x00da", "email": "i@example.dk"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["first_name"]


def test_nested_errors_are_dotted_paths(api):
    response = api.post(
        "/api/v1/runner-ups/",
        {
            "candidate": {"source": "ats", "external_id": "1"},
            "opening": {"id": 1},
            "stage": "FINAL_INTERVIEW",
            "feedback": {"development_areas": [{"category": "CHARM", "text": "Smile"}]},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "feedback.development_areas.0.category": ['"CHARM" is not a valid choice.']
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nowhere/",
        "/api/v1/candidates/abc/",
        "/api/v1/candidates/99999999999999999999999/",
        "/api/v1/candidates/99999999999999999999999/consent/",
    ],
)
def test_unknown_urls_under_the_api_are_json_404s(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_a_method_not_allowed_is_405(api):
    response = api.put("/api/v1/candidates/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "garbage"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "x"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"updated_after": "yesterday"}, "updated_after"),
        ({"in_pool": "perhaps"}, "in_pool"),
    ],
)
def test_bad_list_parameters_are_400(api, params, field):
    response = api.get("/api/v1/candidates/", params)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_throttled_requests_get_429_with_retry_after(api, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates: dict[str, Any] = {**api_settings.DEFAULT_THROTTLE_RATES, "api_key": "2/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        statuses = [api.get("/api/v1/candidates/").status_code for _ in range(3)]
        response = api.get("/api/v1/candidates/")
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.parametrize("value", ["-2.5e+149", "1.5", "0", "99999999999999999999", "x"])
def test_id_filters_take_only_ids(api, value):
    response = api.get("/api/v1/runner-ups/", {"opening": value})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["opening"]
