"""Every file of the corpus (``tests/cv_corpus.py``) through the candidate's own upload page.

Hostile files are refused with their reason and change nothing; valid ones replace the CV with
their text; files without text wait for the candidate's word. None takes 10 s or 512 MiB.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from integrations.cv.checks import rejection, too_large_message
from talentpool.candidates.models import CvFile, PendingCv
from tests.cv_corpus import CORPUS, Sample
from tests.links import signed_in

pytestmark = pytest.mark.django_db

SECONDS = 10
MEMORY = 512 * 1024 * 1024
HOSTILE = [sample for sample in CORPUS if sample.hostile]
VALID = [sample for sample in CORPUS if not sample.hostile and not sample.confirm]
WITHOUT_TEXT = [sample for sample in CORPUS if sample.confirm]
OLD_TEXT = "Gammelt CV: tømrer med svendebrev"


def name_of(sample: Sample) -> str:
    return sample.name


@pytest.fixture
def current_cv(candidate):
    """The candidate already has a readable CV; a refused upload must leave it as it is."""
    candidate.language = "en"
    candidate.cv_text = OLD_TEXT
    candidate.save(update_fields=["language", "cv_text"])
    cv = CvFile(organization=candidate.organization, candidate=candidate, content_type="application/pdf")
    cv.sha256, cv.size = "0" * 64, 7
    cv.file.save("cv", ContentFile(b"%PDF-1."), save=True)
    return cv


def upload(client, sample: Sample, caplog) -> tuple[Any, float, int]:
    """Post the file as the browser does; the answer, its seconds, and the child's peak memory."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="talentpool.flows.profile"):
        started = time.monotonic()
        upload = SimpleUploadedFile(sample.filename, sample.data(), content_type="application/octet-stream")
        response = client.post(reverse("candidate-cv"), {"cv": upload})
        seconds = time.monotonic() - started
    peaks = [getattr(record, "peak_rss_bytes", 0) for record in caplog.records]
    return response, seconds, max(peaks, default=0)


def test_the_corpus_has_at_least_forty_files_of_every_kind():
    assert len(CORPUS) >= 40
    assert len(HOSTILE) >= 30
    assert VALID
    assert WITHOUT_TEXT
    assert len({sample.name for sample in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("sample", HOSTILE, ids=name_of)
def test_a_hostile_file_is_refused_with_its_reason_and_the_current_cv_stays(
    client, candidate, current_cv, sample, caplog
):
    # given
    signed_in(client, candidate)

    # when
    response, seconds, peak = upload(client, sample, caplog)

    # then: refused, with the reason in the page
    assert response.status_code == 400
    with translation.override("en"):
        if sample.refused == "too_large":
            reason = too_large_message(5 * 1024 * 1024)
        else:
            reason = str(rejection(str(sample.refused)).message)
    assert reason in response.content.decode()
    # and nothing changed
    cv = CvFile.objects.get(candidate=candidate)
    assert (cv.pk, cv.sha256, cv.file.name) == (current_cv.pk, current_cv.sha256, current_cv.file.name)
    candidate.refresh_from_db()
    assert candidate.cv_text == OLD_TEXT
    assert not PendingCv.objects.exists()
    # within the limits
    assert seconds < SECONDS
    assert peak < MEMORY


@pytest.mark.parametrize("sample", VALID, ids=name_of)
def test_a_valid_file_replaces_the_cv_with_its_text(
    client, candidate, current_cv, sample, caplog, django_capture_on_commit_callbacks
):
    # given
    signed_in(client, candidate)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds, peak = upload(client, sample, caplog)

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate-cv")
    cv = CvFile.objects.get(candidate=candidate)
    assert cv.sha256 == hashlib.sha256(sample.data()).hexdigest()
    assert cv.extracted_at is not None
    candidate.refresh_from_db()
    assert sample.text in candidate.cv_text
    assert seconds < SECONDS
    assert 0 < peak < MEMORY


@pytest.mark.parametrize("sample", WITHOUT_TEXT, ids=name_of)
def test_a_file_without_text_waits_for_the_candidate_and_is_kept_when_they_confirm(
    client, candidate, current_cv, sample, caplog
):
    # given
    signed_in(client, candidate)

    # when: uploaded
    response, seconds, peak = upload(client, sample, caplog)

    # then: the candidate is asked, and nothing has changed yet
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate-cv-confirm")
    assert CvFile.objects.get(candidate=candidate).sha256 == current_cv.sha256
    page = client.get(reverse("candidate-cv-confirm"))
    assert (
        "We could not read text from this file; recruiters will see the file but it will not be searchable."
        in page.content.decode()
    )
    assert seconds < SECONDS
    assert peak < MEMORY

    # when: they keep it
    key = PendingCv.objects.get(candidate=candidate).key
    response = client.post(reverse("candidate-cv-confirm"), {"key": key, "action": "keep"})

    # then
    assert response.status_code == 302
    cv = CvFile.objects.get(candidate=candidate)
    assert cv.sha256 == hashlib.sha256(sample.data()).hexdigest()
    candidate.refresh_from_db()
    assert candidate.cv_text == ""
    assert not PendingCv.objects.exists()


@pytest.mark.parametrize(("language", "expected"), [("da", "aktivt indhold"), ("sv", "aktivt innehåll")])
def test_the_reason_is_given_in_the_candidates_language(
    client, candidate, current_cv, language, expected, caplog
):
    # given
    candidate.language = language
    candidate.save(update_fields=["language"])
    signed_in(client, candidate)
    sample = next(sample for sample in HOSTILE if sample.name == "pdf with JavaScript on opening")

    # when
    response, _seconds, _peak = upload(client, sample, caplog)

    # then
    assert response.status_code == 400
    assert expected in response.content.decode()
