from __future__ import annotations

import io
import zipfile

import pytest

from integrations.cv.checks import DOCX, DOCX_MAX_ENTRIES, PDF, CvRejected, check_cv, sniff
from tests.documents import (
    corrupt_pdf_bytes,
    docx_bytes,
    executable_bytes,
    macro_docx_bytes,
    pdf_bytes,
    zip_bomb_docx_bytes,
)

LIMIT = 5 * 1024 * 1024


def code_of(data: bytes, limit: int = LIMIT) -> str:
    with pytest.raises(CvRejected) as rejected:
        check_cv(data, max_bytes=limit)
    return rejected.value.code


def test_a_pdf_is_accepted_as_a_pdf():
    assert check_cv(pdf_bytes(), max_bytes=LIMIT) == PDF


def test_a_word_document_is_accepted_as_docx():
    assert check_cv(docx_bytes(), max_bytes=LIMIT) == DOCX


def test_the_type_comes_from_the_first_bytes():
    assert (sniff(pdf_bytes()), sniff(docx_bytes()), sniff(executable_bytes())) == (PDF, DOCX, None)


def test_a_file_over_the_limit_is_refused():
    assert code_of(pdf_bytes(pad=2000), limit=1000) == "too_large"


def test_an_empty_file_is_refused():
    assert code_of(b"") == "empty"


def test_a_renamed_executable_is_refused():
    assert code_of(executable_bytes()) == "not_a_document"


def test_an_old_word_file_is_refused_with_advice():
    with pytest.raises(CvRejected) as rejected:
        check_cv(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, max_bytes=LIMIT)
    assert rejected.value.code == "old_word"
    assert ".docx" in str(rejected.value)


def test_a_corrupt_pdf_is_refused():
    assert code_of(corrupt_pdf_bytes()) == "corrupt_pdf"


def test_a_truncated_pdf_is_refused():
    assert code_of(pdf_bytes()[:40]) == "corrupt_pdf"


def test_a_damaged_zip_is_refused_as_a_damaged_word_document():
    assert code_of(docx_bytes()[:100]) == "corrupt_docx"


def test_a_macro_enabled_document_is_refused():
    assert code_of(macro_docx_bytes()) == "macros"


def test_a_vba_project_is_refused_even_under_an_ordinary_content_type():
    data = docx_bytes(extra_entries={"word/vbaProject.bin": b"\x00" * 100})
    assert code_of(data) == "macros"


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    assert code_of(zip_bomb_docx_bytes()) == "zip_bomb"


def test_a_zip_that_unpacks_beyond_the_total_limit_is_refused(monkeypatch):
    # given: many moderately compressible entries whose sum is too large
    monkeypatch.setattr("integrations.cv.checks.DOCX_MAX_UNCOMPRESSED", 1024 * 1024)
    entries = {f"word/media/part{index}.bin": bytes(range(256)) * 1024 for index in range(8)}

    # when / then
    assert code_of(docx_bytes(extra_entries=entries)) == "zip_bomb"


def test_a_zip_with_too_many_entries_is_refused():
    entries = {f"word/part{index}.xml": b"<x/>" for index in range(DOCX_MAX_ENTRIES + 1)}
    assert code_of(docx_bytes(extra_entries=entries)) == "zip_bomb"


def test_a_spreadsheet_is_not_a_word_document():
    data = docx_bytes(main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    assert code_of(data) == "not_a_document"


def test_a_zip_without_content_types_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert code_of(buffer.getvalue()) == "corrupt_docx"


def test_content_types_with_a_dtd_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types xmlns="x">&a;</Types>',
        )
    assert code_of(buffer.getvalue()) == "corrupt_docx"


def test_an_encrypted_pdf_is_refused_with_advice():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert code_of(buffer.getvalue()) == "encrypted"


def test_every_refusal_has_a_message_for_the_candidate():
    for data in (b"", executable_bytes(), corrupt_pdf_bytes(), macro_docx_bytes(), zip_bomb_docx_bytes()):
        with pytest.raises(CvRejected) as rejected:
            check_cv(data, max_bytes=LIMIT)
        assert len(str(rejected.value)) > 30
