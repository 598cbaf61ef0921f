from __future__ import annotations

import socket

import pytest
from elasticsearch import Elasticsearch

from integrations.search import client as search_client

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_health_reports_database_broker_and_search_engine(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["components"].items()} == {
        "database": "ok",
        "broker": "ok",
        "search": "ok",
    }


def test_health_is_503_and_names_the_search_engine_when_it_is_down(client):
    # given a search engine that does not answer
    previous = search_client.get_client()
    search_client.set_client(Elasticsearch(f"http://127.0.0.1:{unused_port()}", max_retries=0))
    try:
        # when
        response = client.get("/health/")
    finally:
        search_client.set_client(previous)
    # then
    assert response.status_code == 503
    components = response.json()["components"]
    assert components["search"]["status"] == "down"
    assert components["database"]["status"] == "ok"


def test_health_does_not_change_anything_on_post(client):
    assert client.post("/health/").status_code == 405
