"""Bad input is a 4xx in the one error shape, never a 500."""

from __future__ import annotations

import json
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
        ({"updated_after": ""}, "updated_after"),
        ({"updated_after": "2026-01-01T00:00:00+20:00"}, "updated_after"),
        ({"updated_after": "2026-01-01T00:00:00-15:00"}, "updated_after"),
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


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_paths_and_methods_answer_json_with_debug_on_or_off(api, settings, debug):
    settings.DEBUG = debug

    for response, status in [
        (api.get("/api/v1/nowhere/"), 404),
        (api.get("/api/nowhere"), 404),
        (api.delete("/api/v1/candidates/"), 405),
        (api.post("/api/v1/candidates/", "a=1", content_type="application/x-www-form-urlencoded"), 415),
    ]:
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"code", "message", "fields"}


def test_a_path_without_its_trailing_slash_is_served_not_redirected(api, organization):
    body = {"first_name": "Ole", "email": "ole@example.dk"}

    created = api.post("/api/v1/candidates", body, format="json")
    listed = api.get("/api/v1/candidates")
    one = api.get(f"/api/v1/candidates/{created.json()['id']}")

    assert created.status_code == 201
    assert listed.status_code == 200
    assert [row["email"] for row in listed.json()["results"]] == ["ole@example.dk"]
    assert one.status_code == 200


def test_a_body_over_the_limit_is_413_naming_the_limit(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = '{"first_name": "A", "email": "a@example.dk", "cv_text": "' + "x" * (1024 * 1024) + '"}'

    response = api.post("/api/v1/candidates/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "code": "body_too_large",
        "message": "The request body is over the limit of 1 MiB; send fewer items.",
        "fields": {},
    }


def test_the_documented_bulk_of_500_candidates_each_with_a_cv_fits_under_the_limit(api):
    cv_text = "Erfaren sygeplejerske med speciale i ældrepleje, kørekort B og ønske om nattevagter. " * 580
    body = {
        "candidates": [
            {"source": "ats", "external_id": str(n), "first_name": "Æbelø", "email": f"p{n}@example.dk",
             "cv_text": cv_text[:50_000]}
            for n in range(500)
        ]
    }  # fmt: skip
    encoded = json.dumps(body)  # non-ASCII escaped, as many clients send it

    response = api.post("/api/v1/candidates/bulk-upsert/", encoded, content_type="application/json")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == 500


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"in_pool": ""}, "in_pool", "Give a value, or leave the parameter out."),
        ({"source": ""}, "source", "Give a value, or leave the parameter out."),
        ({"cursor": ""}, "cursor", "The cursor is not valid; use the `next` link of a previous page."),
        ({"in_pol": "true"}, "in_pol", "Unknown parameter."),
    ],
)
def test_an_empty_or_unknown_list_parameter_is_a_400_naming_it(api, params, field, message):
    response = api.get("/api/v1/candidates/", params)

    assert response.status_code == 400
    assert response.json()["fields"] == {field: [message]}


def test_an_empty_search_parameter_is_a_400_naming_it(api):
    response = api.get("/api/v1/search/candidates/", {"sort": ""})

    assert response.status_code == 400
    assert response.json()["fields"] == {"sort": ["Give a value, or leave the parameter out."]}


def test_a_method_the_resource_does_not_have_is_405_whatever_its_headers(api):
    first = api.post("/api/v1/candidates/", {"first_name": "A", "email": "a@example.dk"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="k-1")  # fmt: skip

    response = api.generic("TRACE", "/api/v1/candidates/upsert/", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == 201
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
