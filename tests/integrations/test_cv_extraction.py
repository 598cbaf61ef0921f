from __future__ import annotations

import io
import zipfile

import pytest

from integrations.cv.checks import DOCX, PDF
from integrations.cv.extraction import ExtractionError, extract_text, tidy
from tests.documents import docx_bytes, pdf_bytes


def test_the_text_of_a_pdf_is_extracted():
    assert extract_text(pdf_bytes(["Sofie Jensen", "Projektleder"]), PDF) == "Sofie Jensen\nProjektleder"


def test_the_text_of_a_word_document_is_extracted_paragraph_by_paragraph():
    text = extract_text(docx_bytes(["Sofie Jensen", "Projektleder & Scrum master"]), DOCX)
    assert text == "Sofie Jensen\nProjektleder & Scrum master"


def test_extracted_text_is_cut_at_the_character_limit():
    text = extract_text(docx_bytes(["a" * 500] * 10), DOCX, max_chars=1200)
    assert len(text) == 1200


def test_only_the_first_pages_are_read():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _ in range(5):
        writer.append(PdfReader(io.BytesIO(pdf_bytes(["Side"]))))
    buffer = io.BytesIO()
    writer.write(buffer)

    assert extract_text(buffer.getvalue(), PDF, max_pages=2).count("Side") == 2


def test_reading_stops_when_the_time_is_up():
    assert extract_text(pdf_bytes(["Sofie"]), PDF, max_seconds=-1) == ""


def test_a_word_document_with_an_entity_declaration_is_not_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaa">]><d>&a;&a;</d>'
        )
    with pytest.raises(ExtractionError):
        extract_text(buffer.getvalue(), DOCX)


def test_an_unreadable_file_raises_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text(b"%PDF-1.4 nothing else", PDF)


def test_whitespace_and_control_characters_are_tidied():
    assert tidy("  Sofie\x00   Jensen \n\n\n\n Aarhus\t\t") == "Sofie Jensen\n\nAarhus"
