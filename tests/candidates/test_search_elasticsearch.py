"""What only real Elasticsearch does: Danish and Swedish stemming (osmem has no stemmer for them)."""

from __future__ import annotations

import pytest

from tests.candidates.test_search import pooled, search

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def test_danish_stemming_finds_the_singular_from_the_plural(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(
            organization, headline="Erfaren projektleder", cv_text="Jeg har ledet mange projekter."
        )
    assert search(organization, text="projektledere") == [candidate.pk]


def test_swedish_stemming_finds_the_definite_form(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate = pooled(organization, headline="Platschef", cv_text="Ansvarig för byggprojekt i Göteborg.")
    assert search(organization, text="byggprojekten") == [candidate.pk]
