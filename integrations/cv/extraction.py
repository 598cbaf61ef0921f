"""Read the text of an accepted CV, within limits of pages, characters and time.

Runs in a worker (the task also has Celery time limits). A file that cannot be read yields an
``ExtractionError``; the caller keeps the file and stores no text.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from integrations.cv.checks import DOCX, PDF

MAX_PAGES = 30
MAX_CHARS = 100_000
MAX_SECONDS = 20.0
DOCX_MAX_XML_BYTES = 20 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_HEADER = re.compile(r"word/header\d*\.xml")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ExtractionError(Exception):
    """The file's text cannot be read."""


def extract_text(
    data: bytes,
    content_type: str,
    *,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_CHARS,
    max_seconds: float = MAX_SECONDS,
) -> str:
    """The CV's text, whitespace tidied, cut at ``max_chars``."""
    deadline = time.monotonic() + max_seconds
    if content_type == PDF:
        raw = _pdf_text(data, max_pages=max_pages, max_chars=max_chars, deadline=deadline)
    elif content_type == DOCX:
        raw = _docx_text(data, max_chars=max_chars, deadline=deadline)
    else:
        raise ExtractionError(f"unsupported content type {content_type!r}")
    return tidy(raw)[:max_chars]


def tidy(text: str) -> str:
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _pdf_text(data: bytes, *, max_pages: int, max_chars: int, deadline: float) -> str:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = reader.pages
        count = min(len(pages), max_pages)
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
        raise ExtractionError(f"unreadable PDF: {type(error).__name__}") from error
    parts: list[str] = []
    length = 0
    for number in range(count):
        if time.monotonic() > deadline or length >= max_chars:
            break
        try:
            text = pages[number].extract_text() or ""
        except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            continue  # One bad page does not lose the others.
        parts.append(text)
        length += len(text)
    return "\n\n".join(parts)


def _docx_text(data: bytes, *, max_chars: int, deadline: float) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            headers = sorted(name for name in names if _HEADER.fullmatch(name))
            texts: list[str] = []
            length = 0
            for name in ["word/document.xml", *headers]:
                if name not in names or time.monotonic() > deadline or length >= max_chars:
                    continue
                with archive.open(name) as stream:
                    xml = stream.read(DOCX_MAX_XML_BYTES + 1)
                if len(xml) > DOCX_MAX_XML_BYTES:
                    raise ExtractionError(f"{name} is too large")
                text = _wordml_text(xml, max_chars=max_chars - length, deadline=deadline)
                texts.append(text)
                length += len(text)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ElementTree.ParseError) as error:
        raise ExtractionError(f"unreadable DOCX: {type(error).__name__}") from error
    return "\n\n".join(texts)


def _wordml_text(xml: bytes, *, max_chars: int, deadline: float) -> str:
    if b"<!DOCTYPE" in xml[:4096].upper() or b"<!ENTITY" in xml.upper():
        raise ExtractionError("a DTD in a Word document")
    out: list[str] = []
    length = 0
    for _event, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):  # noqa: S314 - DTDs refused
        tag = element.tag
        if tag == f"{_W}t" and element.text:
            out.append(element.text)
            length += len(element.text)
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}p":
            out.append("\n")
            element.clear()
            if length >= max_chars or time.monotonic() > deadline:
                break
    return "".join(out)
