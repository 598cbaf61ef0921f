from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integrations.cv.checks import DOCX, PDF
from talentpool.candidates.models import CvFile
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.profile import cv_replace, cv_text_extract, cv_text_extract_sweep
from tests.documents import (
    corrupt_pdf_bytes,
    docx_bytes,
    executable_bytes,
    macro_docx_bytes,
    pdf_bytes,
    zip_bomb_docx_bytes,
)
from tests.links import signed_in

pytestmark = pytest.mark.django_db


def upload(client, name: str, data: bytes, content_type: str = "application/octet-stream"):
    return client.post(
        reverse("candidate-cv"), {"cv": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def test_an_uploaded_pdf_becomes_the_candidates_cv_and_its_text_is_extracted(
    client, candidate, django_capture_on_commit_callbacks
):
    # given
    signed_in(client, candidate)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "cv.pdf", pdf_bytes(["Sofie Kjærgaard", "Projektleder, PRINCE2"]))

    # then
    assert response.status_code == 302
    cv = CvFile.objects.get(candidate=candidate)
    assert (cv.content_type, cv.extracted_at is not None) == (PDF, True)
    assert "cv.pdf" not in str(cv.file.name)
    candidate.refresh_from_db()
    assert "Projektleder, PRINCE2" in candidate.cv_text


def test_an_uploaded_word_document_becomes_the_candidates_cv(
    client, candidate, django_capture_on_commit_callbacks
):
    # given
    signed_in(client, candidate)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "CV.DOCX", docx_bytes(["Erfaren elektriker", "Autorisation"]))

    # then
    assert CvFile.objects.get(candidate=candidate).content_type == DOCX
    candidate.refresh_from_db()
    assert candidate.cv_text == "Erfaren elektriker\nAutorisation"


def test_a_new_cv_replaces_the_old_one_and_the_old_file_is_deleted(
    client, candidate, django_capture_on_commit_callbacks
):
    # given
    signed_in(client, candidate)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "old.pdf", pdf_bytes(["Gammelt CV"]))
    old_name = str(CvFile.objects.get().file.name)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "new.docx", docx_bytes(["Nyt CV"]))

    # then
    cv = CvFile.objects.get()
    assert cv.file.name != old_name
    assert not default_storage.exists(old_name)
    assert default_storage.exists(str(cv.file.name))
    candidate.refresh_from_db()
    assert candidate.cv_text == "Nyt CV"
    assert AuditEvent.objects.filter(action="cv.replaced").count() == 1


def test_the_type_is_sniffed_from_the_content_not_the_name(
    client, candidate, django_capture_on_commit_callbacks
):
    # given
    signed_in(client, candidate)

    # when: a Word document named .pdf
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "cv.pdf", docx_bytes(), content_type="application/pdf")

    # then
    assert response.status_code == 302
    assert CvFile.objects.get().content_type == DOCX


@pytest.fixture
def english_candidate(candidate):
    # The messages are compared in English; the pages speak the candidate's language.
    candidate.language = "en"
    candidate.save(update_fields=["language"])
    return candidate


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cv.docx", zip_bomb_docx_bytes(), "unpacks to far more than a CV can hold"),
        ("cv.pdf", executable_bytes(), "is not a PDF or a Word (.docx) document"),
        ("cv.docx", macro_docx_bytes(), "contains macros"),
        ("cv.pdf", corrupt_pdf_bytes(), "This PDF is damaged"),
        ("cv.pdf", b"", "The file is empty"),
    ],
    ids=["zip bomb", "renamed executable", "macro document", "corrupt pdf", "empty file"],
)
def test_a_bad_file_gets_a_clear_message_and_no_server_error(client, english_candidate, name, data, message):
    # given
    signed_in(client, english_candidate)

    # when
    response = upload(client, name, data)

    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    assert not CvFile.objects.exists()
    assert not default_storage.exists("cv")


def test_an_oversized_file_gets_a_clear_message_and_is_not_kept(client, english_candidate, settings):
    # given
    settings.CV_MAX_BYTES = 20_000
    signed_in(client, english_candidate)

    # when
    response = upload(client, "cv.pdf", pdf_bytes(pad=50_000))

    # then
    assert response.status_code == 400
    assert "The file is larger than 0.0190735 MB" in response.content.decode()
    assert not CvFile.objects.exists()


def test_an_oversized_file_is_refused_at_the_default_limit_of_five_megabytes(client, english_candidate):
    # given
    signed_in(client, english_candidate)

    # when
    response = upload(client, "cv.pdf", pdf_bytes(pad=5 * 1024 * 1024))

    # then
    assert response.status_code == 400
    assert "The file is larger than 5 MB" in response.content.decode()


def test_an_upload_without_a_file_asks_for_one(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-cv"), {})

    # then
    assert response.status_code == 400
    assert not CvFile.objects.exists()


def test_text_extraction_for_a_replaced_file_does_nothing(candidate):
    # given
    first = cv_replace(
        candidate=candidate, data=pdf_bytes(["Første"]), content_type=PDF, actor=Actor.candidate()
    )
    first_sha = first.sha256
    cv_replace(candidate=candidate, data=pdf_bytes(["Anden"]), content_type=PDF, actor=Actor.candidate())

    # when
    extracted = cv_text_extract(cv_file_id=first.pk, sha256=first_sha)

    # then
    assert extracted is False
    candidate.refresh_from_db()
    assert candidate.cv_text == ""


def test_text_extraction_run_twice_changes_nothing_the_second_time(candidate):
    # given
    cv = cv_replace(
        candidate=candidate, data=pdf_bytes(["Første"]), content_type=PDF, actor=Actor.candidate()
    )
    assert cv_text_extract(cv_file_id=cv.pk, sha256=cv.sha256) is True

    # when / then
    assert cv_text_extract(cv_file_id=cv.pk, sha256=cv.sha256) is False


def test_a_file_whose_text_cannot_be_read_is_kept_without_text_and_not_retried(candidate):
    # given: the stored file was damaged after the upload check
    cv = cv_replace(candidate=candidate, data=pdf_bytes(), content_type=PDF, actor=Actor.candidate())
    with default_storage.open(str(cv.file.name), "wb") as stream:
        stream.write(b"%PDF-1.4 garbage")

    # when
    cv_text_extract(cv_file_id=cv.pk, sha256=cv.sha256)

    # then
    cv.refresh_from_db()
    assert cv.extracted_at is not None
    assert cv_text_extract_sweep() == 0


def test_the_sweep_queues_extraction_again_for_a_cv_whose_task_was_lost(candidate, time_machine):
    # given
    cv_replace(candidate=candidate, data=pdf_bytes(), content_type=PDF, actor=Actor.candidate())

    # when
    time_machine.move_to("2099-01-01")
    queued = cv_text_extract_sweep()

    # then
    assert queued == 1
