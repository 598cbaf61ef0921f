"""The check every CV goes through: cheap refusals here, parsing in a child process with limits."""

from __future__ import annotations

import os

import pytest
from django.utils import translation

from integrations.cv.checks import DOCX, PDF, CvRejected, check_cv
from tests.cv_corpus import _cfb, _stream, docx_file, scanned_pdf, text_pdf
from tests.documents import executable_bytes

LIMIT = 5 * 1024 * 1024
MEMORY = 512 * 1024 * 1024


def check(data: bytes, *, limit: int = LIMIT, seconds: float = 8.0, memory: int = MEMORY):
    return check_cv(data, max_bytes=limit, seconds=seconds, memory_bytes=memory)


def code_of(data: bytes, **kwargs) -> str:
    with pytest.raises(CvRejected) as rejected:
        check(data, **kwargs)
    return rejected.value.code


def test_a_pdf_is_accepted_with_its_text_and_what_reading_it_cost():
    checked = check(text_pdf(["Sofie Kjærgaard", "Projektleder"]))
    assert (checked.content_type, checked.text) == (PDF, "Sofie Kjærgaard\nProjektleder")
    assert checked.has_text
    assert 0 < checked.peak_rss_bytes < MEMORY
    assert len(checked.sha256) == 64


def test_a_word_document_is_accepted_with_its_text():
    checked = check(docx_file(["Åsa Öberg", "Snickare"]))
    assert (checked.content_type, checked.text) == (DOCX, "Åsa Öberg\nSnickare")


def test_a_scanned_pdf_is_accepted_without_text():
    checked = check(scanned_pdf())
    assert (checked.content_type, checked.text, checked.has_text) == (PDF, "", False)


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    assert code_of(text_pdf(), limit=100) == "too_large"


def test_a_program_is_refused_from_its_first_bytes_without_a_child_process():
    with pytest.raises(CvRejected) as rejected:
        check(executable_bytes())
    assert (rejected.value.code, rejected.value.peak_rss_bytes) == ("program", 0)


def test_an_encrypted_word_document_is_told_it_has_a_password_not_that_it_is_an_old_word_file():
    with translation.override("en"):
        with pytest.raises(CvRejected) as rejected:
            check(_cfb("EncryptionInfo", "EncryptedPackage"))
        assert rejected.value.code == "encrypted"
        assert "password" in str(rejected.value)


def test_an_old_word_file_is_refused_with_advice():
    with translation.override("en"):
        with pytest.raises(CvRejected) as rejected:
            check(_cfb("WordDocument"))
        assert rejected.value.code == "old_word"
        assert ".docx" in str(rejected.value)


def test_a_pdf_of_too_many_pages_is_refused_naming_the_limit():
    with translation.override("en"):
        with pytest.raises(CvRejected) as rejected:
            check(text_pdf(["Side"], pages=51))
        assert rejected.value.code == "too_many_pages"
        assert "more than 50 pages" in str(rejected.value)


def test_a_file_that_needs_more_memory_than_allowed_is_refused_as_too_complex():
    # given: a 3 MB picture, and 48 MiB of address space, about what the interpreter has on its own
    data = text_pdf(extra=[_stream(os.urandom(3 * 1024 * 1024))])

    # when / then
    assert code_of(data, memory=48 * 1024 * 1024) == "too_complex"


def test_a_file_that_takes_longer_than_allowed_is_refused_as_too_complex():
    assert code_of(text_pdf(), seconds=0.01) == "too_complex"


@pytest.mark.parametrize("language", ["en", "da", "sv"])
def test_every_refusal_has_a_message_in_the_page_language(language):
    with translation.override(language):
        for data in (b"", executable_bytes(), _cfb("WordDocument"), b"%PDF-1.7 \x00\x01"):
            with pytest.raises(CvRejected) as rejected:
                check(data)
            assert len(str(rejected.value)) > 30
