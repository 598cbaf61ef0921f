"""What ``read_cv`` decides, in this process (the sandbox runs the same code with limits)."""

from __future__ import annotations

import pytest

from integrations.cv.reading import DOCX, PDF, Limits, Refused, has_text, read_cv, sniff, tidy
from tests.cv_corpus import docx_file, scanned_pdf, text_pdf
from tests.documents import executable_bytes


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(Refused) as refused:
        read_cv(data, **kwargs)
    return refused.value.code


def test_the_type_comes_from_the_first_bytes():
    assert (sniff(text_pdf()), sniff(docx_file()), sniff(executable_bytes()), sniff(b"hej")) == (
        PDF,
        DOCX,
        "program",
        "unknown",
    )


def test_the_text_of_a_pdf_is_read():
    reading = read_cv(text_pdf(["Sofie Jensen", "Projektleder"]))
    assert (reading.content_type, reading.text, reading.pages) == (PDF, "Sofie Jensen\nProjektleder", 1)


def test_the_text_of_a_word_document_is_read_paragraph_by_paragraph_with_headers():
    data = docx_file(
        ["Sofie Jensen", "Projektleder & Scrum master"],
        entries={
            "word/header1.xml": '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:p><w:r><w:t>sofie@example.dk</w:t></w:r></w:p></w:hdr>"
        },
    )
    assert read_cv(data).text == "Sofie Jensen\nProjektleder & Scrum master\n\nsofie@example.dk"


def test_text_is_cut_at_the_character_limit():
    reading = read_cv(docx_file(["a" * 500] * 10), limits=Limits(max_chars=1200))
    assert len(reading.text) == 1200


def test_a_file_that_cannot_be_checked_in_time_is_refused_as_too_complex():
    assert refusal(text_pdf(["Sofie"], pages=3), seconds=0) == "too_complex"


def test_a_scanned_pdf_has_no_text():
    reading = read_cv(scanned_pdf())
    assert not has_text(reading.text)


def test_a_pdf_is_refused_past_the_page_limit():
    assert refusal(text_pdf(pages=4), limits=Limits(max_pages=3)) == "too_many_pages"


def test_a_flate_stream_is_refused_past_its_ceiling():
    assert refusal(text_pdf(["x" * 2000], compress=True), limits=Limits(pdf_max_stream_bytes=1000)) == "bomb"


def test_a_word_document_that_unpacks_past_the_total_is_refused():
    data = docx_file(entries={f"word/media/part{index}.bin": bytes(range(256)) * 1024 for index in range(8)})
    assert refusal(data, limits=Limits(zip_max_total_bytes=1024 * 1024)) == "bomb"


def test_a_zip_without_content_types_but_with_a_document_is_a_damaged_word_document():
    assert refusal(docx_file(without=["[Content_Types].xml"])) == "corrupt_docx"


def test_whitespace_and_control_characters_are_tidied():
    assert tidy("  Sofie\x00   Jensen \n\n\n\n Aarhus\t\t") == "Sofie Jensen\n\nAarhus"
