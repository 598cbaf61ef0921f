from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integrations.cv.checks import DOCX, PDF, CvRejected
from talentpool.candidates.models import CvFile, PendingCv
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows.profile import (
    cv_pending_drop,
    cv_pending_find,
    cv_pending_keep,
    cv_text_extract,
    cv_text_extract_sweep,
    cv_upload,
)
from tests.cv_corpus import scanned_pdf, text_pdf
from tests.documents import docx_bytes, executable_bytes, pdf_bytes
from tests.links import signed_in

pytestmark = pytest.mark.django_db

CANDIDATE = Actor.candidate()


def upload(client, name: str, data: bytes, content_type: str = "application/octet-stream"):
    return client.post(
        reverse("candidate-cv"), {"cv": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def test_an_uploaded_pdf_becomes_the_candidates_cv_with_its_text_at_once(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = upload(client, "cv.pdf", pdf_bytes(["Sofie Kjærgaard", "Projektleder, PRINCE2"]))

    # then
    assert response.status_code == 302
    cv = CvFile.objects.get(candidate=candidate)
    assert (cv.content_type, cv.extracted_at is not None) == (PDF, True)
    assert "cv.pdf" not in str(cv.file.name)
    candidate.refresh_from_db()
    assert "Projektleder, PRINCE2" in candidate.cv_text


def test_an_uploaded_word_document_becomes_the_candidates_cv(client, candidate):
    # given
    signed_in(client, candidate)

    # when
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


def test_a_refused_file_leaves_the_current_cv_and_its_text_as_they_were(candidate):
    # given
    cv = cv_upload(candidate=candidate, data=pdf_bytes(["Gammelt CV"]), actor=CANDIDATE)
    assert isinstance(cv, CvFile)

    # when
    with pytest.raises(CvRejected):
        cv_upload(candidate=candidate, data=executable_bytes(), actor=CANDIDATE)

    # then
    candidate.refresh_from_db()
    assert candidate.cv_text == "Gammelt CV"
    assert CvFile.objects.get().sha256 == cv.sha256
    assert default_storage.exists(str(cv.file.name))


def test_an_oversized_file_gets_a_clear_message_and_is_not_kept(client, candidate, settings):
    # given
    candidate.language = "en"
    candidate.save(update_fields=["language"])
    settings.CV_MAX_BYTES = 20_000
    signed_in(client, candidate)

    # when
    response = upload(client, "cv.pdf", pdf_bytes(pad=50_000))

    # then
    assert response.status_code == 400
    assert "The file is larger than 0.0190735 MB" in response.content.decode()
    assert not CvFile.objects.exists()


def test_an_upload_without_a_file_asks_for_one(client, candidate):
    # given
    signed_in(client, candidate)

    # when
    response = client.post(reverse("candidate-cv"), {})

    # then
    assert response.status_code == 400
    assert not CvFile.objects.exists()


def test_a_cv_without_text_is_held_and_the_current_one_stays(candidate):
    # given
    cv_upload(candidate=candidate, data=pdf_bytes(["Gammelt CV"]), actor=CANDIDATE)

    # when
    held = cv_upload(candidate=candidate, data=scanned_pdf(), actor=CANDIDATE)

    # then
    assert isinstance(held, PendingCv)
    candidate.refresh_from_db()
    assert candidate.cv_text == "Gammelt CV"
    assert bytes(PendingCv.objects.get().data) == scanned_pdf()


def test_keeping_a_held_cv_with_an_earlier_key_keeps_nothing(candidate):
    # given: two uploads of files without text; the first form's key is stale
    first = cv_upload(candidate=candidate, data=scanned_pdf(), actor=CANDIDATE)
    assert isinstance(first, PendingCv)
    cv_upload(candidate=candidate, data=scanned_pdf() + b"\n", actor=CANDIDATE)

    # when
    kept = cv_pending_keep(candidate=candidate, key=first.key, actor=CANDIDATE)

    # then
    assert kept is None
    assert not CvFile.objects.exists()
    assert PendingCv.objects.count() == 1


def test_a_held_cv_is_kept_once_even_if_the_form_is_posted_twice(candidate):
    # given
    held = cv_upload(candidate=candidate, data=scanned_pdf(), actor=CANDIDATE)
    assert isinstance(held, PendingCv)

    # when
    first = cv_pending_keep(candidate=candidate, key=held.key, actor=CANDIDATE)
    second = cv_pending_keep(candidate=candidate, key=held.key, actor=CANDIDATE)

    # then
    assert (first is not None, second) == (True, None)
    assert AuditEvent.objects.filter(action="cv.uploaded").count() == 1


def test_dropping_a_held_cv_keeps_the_current_one(candidate):
    # given
    cv_upload(candidate=candidate, data=pdf_bytes(["Gammelt CV"]), actor=CANDIDATE)
    held = cv_upload(candidate=candidate, data=scanned_pdf(), actor=CANDIDATE)
    assert isinstance(held, PendingCv)

    # when
    dropped = cv_pending_drop(candidate=candidate, key=held.key)

    # then
    assert dropped is True
    assert not PendingCv.objects.exists()
    candidate.refresh_from_db()
    assert candidate.cv_text == "Gammelt CV"


@pytest.mark.clock("2026-03-02 09:00")
def test_a_held_cv_expires_after_an_hour_and_the_sweep_removes_it(candidate, time_machine):
    # given
    held = cv_upload(candidate=candidate, data=scanned_pdf(), actor=CANDIDATE)
    assert isinstance(held, PendingCv)

    # when
    time_machine.move_to("2026-03-02 10:01")

    # then
    assert cv_pending_find(candidate=candidate) is None
    assert cv_pending_keep(candidate=candidate, key=held.key, actor=CANDIDATE) is None
    cv_text_extract_sweep()
    assert not PendingCv.objects.exists()


def test_opening_the_confirmation_page_keeps_nothing(client, candidate):
    # given
    signed_in(client, candidate)
    upload(client, "scan.pdf", scanned_pdf())

    # when
    for _ in range(2):
        assert client.get(reverse("candidate-cv-confirm")).status_code == 200

    # then
    assert not CvFile.objects.exists()
    assert PendingCv.objects.count() == 1


def test_the_confirmation_page_without_a_held_file_goes_back_to_the_cv_page(client, candidate):
    signed_in(client, candidate)
    response = client.get(reverse("candidate-cv-confirm"))
    assert (response.status_code, response["Location"]) == (302, reverse("candidate-cv"))


def test_erasing_the_candidate_takes_the_held_file_along(candidate):
    # given
    cv_upload(candidate=candidate, data=scanned_pdf(), actor=CANDIDATE)

    # when
    candidate.delete()

    # then
    assert not PendingCv.objects.exists()


def stored_without_text(candidate, data: bytes) -> CvFile:
    """A CV stored before uploads were read at once: its text still waits for a worker."""
    cv = CvFile(organization=candidate.organization, candidate=candidate, content_type=PDF)
    cv.sha256, cv.size = "a" * 64, len(data)
    cv.file.save("cv", ContentFile(data), save=True)
    return cv


def test_a_cv_stored_before_without_text_is_read_by_the_worker_once(candidate):
    # given
    cv = stored_without_text(candidate, text_pdf(["Første"]))

    # when
    first = cv_text_extract(cv_file_id=cv.pk, sha256=cv.sha256)
    second = cv_text_extract(cv_file_id=cv.pk, sha256=cv.sha256)

    # then
    assert (first, second) == (True, False)
    candidate.refresh_from_db()
    assert candidate.cv_text == "Første"


def test_a_stored_cv_the_checks_refuse_gets_no_text_and_is_not_retried(candidate):
    # given
    cv = stored_without_text(candidate, b"%PDF-1.4 garbage")

    # when
    cv_text_extract(cv_file_id=cv.pk, sha256=cv.sha256)

    # then
    cv.refresh_from_db()
    assert cv.extracted_at is not None
    assert cv_text_extract_sweep() == 0


def test_the_sweep_queues_reading_again_for_a_stored_cv_still_without_text(candidate, time_machine):
    # given
    stored_without_text(candidate, text_pdf())

    # when
    time_machine.move_to("2099-01-01")
    queued = cv_text_extract_sweep()

    # then
    assert queued == 1


def test_an_uploaded_cv_is_never_waiting_for_the_sweep(candidate, time_machine):
    # given
    cv_upload(candidate=candidate, data=pdf_bytes(), actor=CANDIDATE)

    # when
    time_machine.move_to("2099-01-01")

    # then
    assert cv_text_extract_sweep() == 0


def test_the_cv_page_points_to_a_file_waiting_for_an_answer(client, candidate):
    # given
    signed_in(client, candidate)
    upload(client, "scan.pdf", scanned_pdf())

    # when
    page = client.get(reverse("candidate-cv")).content.decode()

    # then
    assert f'href="{reverse("candidate-cv-confirm")}"' in page


def test_a_double_click_on_keep_says_thank_you_both_times(client, candidate):
    # given
    signed_in(client, candidate)
    upload(client, "scan.pdf", scanned_pdf())
    pending = PendingCv.objects.get()
    form = {"key": pending.key, "sha256": pending.sha256, "action": "keep"}

    # when
    client.post(reverse("candidate-cv-confirm"), form)
    second = client.post(reverse("candidate-cv-confirm"), form, follow=True)

    # then
    assert CvFile.objects.get().sha256 == pending.sha256
    assert [message.level_tag for message in second.context["messages"]] == ["success", "success"]
