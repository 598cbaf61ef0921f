"""Recruiters download a stored CV through the admin, never from a public /media/ address."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import CvFile
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.profile import cv_upload
from tests.cv_corpus import docx_file
from tests.documents import pdf_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CV = pdf_bytes(["Sofie Kjærgaard", "Projektleder"])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cv(candidate) -> CvFile:
    stored = cv_upload(candidate=candidate, data=CV, actor=Actor.candidate())
    assert isinstance(stored, CvFile)
    return stored


def download_url(cv: CvFile) -> str:
    return reverse("admin:candidates_cvfile_download", args=[cv.pk])


def test_a_recruiter_of_the_organization_downloads_the_cv_as_an_attachment(recruiter, cv):
    # when
    response = logged_in(recruiter).get(download_url(cv))

    # then
    assert response.status_code == 200
    assert response.getvalue() == CV
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''CV%20Sofie%20Kj%C3%A6rgaard.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_word_cv_is_downloaded_as_docx(recruiter, candidate):
    # given
    data = docx_file(["Søren Ærtebjerg", "Sygeplejerske"])
    cv = cv_upload(candidate=candidate, data=data, actor=Actor.candidate())
    assert isinstance(cv, CvFile)

    # when
    response = logged_in(recruiter).get(download_url(cv))

    # then
    assert response.getvalue() == data
    assert response["Content-Disposition"].endswith(".docx")


def test_the_download_is_recorded_in_the_audit_trail(recruiter, cv):
    # when
    logged_in(recruiter).get(download_url(cv))

    # then
    event = AuditEvent.objects.get(action="cv.downloaded")
    assert (event.actor_type, event.context) == ("USER", {"cv_file_id": cv.pk})


def test_a_recruiter_of_another_organization_gets_a_404(other_recruiter, cv):
    assert logged_in(other_recruiter).get(download_url(cv)).status_code == 404


def test_a_signed_in_user_who_is_not_staff_is_sent_to_the_login(candidate, cv):
    user = UserFactory(username="ikke-ansat", is_staff=False)
    response = logged_in(user).get(download_url(cv))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_nobody_signed_in_is_sent_to_the_login(client, cv):
    response = client.get(download_url(cv))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_candidate_page_links_to_the_download_and_not_to_storage(recruiter, candidate, cv):
    # when
    page = logged_in(recruiter).get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))

    # then
    html = page.content.decode()
    assert download_url(cv) in html
    assert "/media/" not in html
    assert str(cv.file.name) not in html


def test_the_cv_file_pages_link_to_the_download_and_not_to_storage(recruiter, cv):
    client = logged_in(recruiter)
    for url in (
        reverse("admin:candidates_cvfile_changelist"),
        reverse("admin:candidates_cvfile_change", args=[cv.pk]),
    ):
        html = client.get(url).content.decode()
        assert download_url(cv) in html, url
        assert "/media/" not in html, url


@pytest.mark.parametrize("debug", [True, False])
def test_stored_cvs_are_not_served_under_media(client, settings, cv, debug):
    # given
    settings.DEBUG = debug

    # when
    response = client.get(f"/media/{cv.file.name}")

    # then
    assert response.status_code == 404
    assert CV not in response.content
