"""The candidate's export from their data page: a zip of their data and their CV file."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.profile import cv_upload
from tests.cv_corpus import docx_file
from tests.documents import pdf_bytes
from tests.links import signed_in

pytestmark = pytest.mark.django_db


def test_the_export_downloads_the_candidates_data_and_cv_file_as_a_zip(client, candidate):
    # given
    signed_in(client, candidate)
    cv = pdf_bytes(["Sofie Kjærgaard", "Projektleder"])
    cv_upload(candidate=candidate, data=cv, actor=Actor.candidate())

    # when
    response = client.post(reverse("candidate-data-export"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="my-data.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["cv.pdf", "data.json"]
        data = json.loads(archive.read("data.json"))
        assert archive.read("cv.pdf") == cv
    assert data["basics"]["email"] == candidate.email
    assert data["talentpool"]["cv"]["file"] == "cv.pdf"
    assert "Projektleder" in data["talentpool"]["cv"]["text"]
    assert AuditEvent.objects.filter(action="candidate.exported", actor_type="CANDIDATE").exists()


def test_the_export_of_a_candidate_without_a_cv_holds_only_the_data(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-data-export"))

    # then
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["data.json"]
        assert json.loads(archive.read("data.json"))["talentpool"]["cv"]["file"] is None


def test_a_word_cv_is_exported_under_its_own_extension(client, candidate):
    # given
    signed_in(client, candidate)
    cv = docx_file(["Søren Ærtebjerg", "Sygeplejerske"])
    cv_upload(candidate=candidate, data=cv, actor=Actor.candidate())

    # when
    response = client.post(reverse("candidate-data-export"))

    # then
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read("cv.docx") == cv
