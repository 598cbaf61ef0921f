"""Decide whether an uploaded CV is a PDF or a Word document we are willing to keep.

The type comes from the file's first bytes, never from its name or the browser's word for it.
A DOCX is a zip: its entry count, total uncompressed size and compression ratio are bounded
(zip bombs), and macro-enabled documents are refused. A PDF must open with pypdf and must not
be encrypted. Every refusal carries a message a candidate can act on.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (PDF, DOCX)

DOCX_MAX_ENTRIES = 1000
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_RATIO = 100  # A Word document's XML compresses about 5 to 20 times.
DOCX_RATIO_FROM = 1024 * 1024  # Small entries may compress well beyond the ratio.
_CONTENT_TYPES_MAX = 256 * 1024

_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class CvRejected(Exception):
    """The file is not accepted; ``message`` tells the candidate why and what to do."""

    def __init__(self, code: str, message: str | Promise) -> None:
        self.code = code
        self.message = message
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)


def sniff(data: bytes) -> str | None:
    """The content type from the first bytes: PDF, a zip (maybe DOCX), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX
    return None


def check_cv(data: bytes, *, max_bytes: int) -> str:
    """Return the content type of an acceptable CV, or raise ``CvRejected``."""
    if not data:
        raise CvRejected("empty", _("The file is empty. Choose your CV as a PDF or Word (.docx) file."))
    if len(data) > max_bytes:
        raise CvRejected("too_large", too_large_message(max_bytes))
    if data.startswith(_OLE2):
        raise CvRejected(
            "old_word",
            _("Old Word files (.doc) are not accepted. Save your CV as .docx or PDF and upload it again."),
        )
    content_type = sniff(data)
    if content_type == PDF:
        _check_pdf(data)
    elif content_type == DOCX:
        _check_docx(data)
    else:
        raise CvRejected(
            "not_a_document",
            _("This file is not a PDF or a Word (.docx) document. Upload your CV in one of those formats."),
        )
    return content_type


def too_large_message(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    return _("The file is larger than %(size)s MB. Upload a smaller PDF or Word (.docx) file.") % {
        "size": f"{megabytes:g}"
    }


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise CvRejected(
                "encrypted",
                _("This PDF is protected by a password. Upload a copy without a password."),
            )
        if len(reader.pages) == 0:
            raise PyPdfError("no pages")
    except CvRejected:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
        raise CvRejected(
            "corrupt_pdf",
            _("This PDF is damaged and cannot be read. Save or export it again and upload the new copy."),
        ) from error


def _check_docx(data: bytes) -> None:
    damaged = CvRejected(
        "corrupt_docx",
        _("This Word document is damaged and cannot be read. Save it again and upload the new copy."),
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise damaged from error
    with archive:
        entries = archive.infolist()
        _check_zip_limits(entries)
        names = {entry.filename.lower() for entry in entries}
        if any(marker in name for name in names for marker in _MACRO_MARKERS):
            raise _macro_refusal()
        if "[content_types].xml" not in names:
            raise damaged
        try:
            with archive.open("[Content_Types].xml") as stream:
                content_types = stream.read(_CONTENT_TYPES_MAX + 1)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError) as error:
            raise damaged from error
    if len(content_types) > _CONTENT_TYPES_MAX or b"<!DOCTYPE" in content_types.upper():
        raise damaged
    lowered = content_types.lower()
    if any(marker.encode() in lowered for marker in _MACRO_MARKERS):
        raise _macro_refusal()
    try:
        root = ElementTree.fromstring(content_types)  # noqa: S314 - bounded, and DTDs were refused above
    except ElementTree.ParseError as error:
        raise damaged from error
    declared = {element.get("ContentType", "") for element in root}
    if _WORD_MAIN not in declared:
        raise CvRejected(
            "not_a_document",
            _("This file is not a Word (.docx) document. Upload your CV as a PDF or a .docx file."),
        )


def _check_zip_limits(entries: list[zipfile.ZipInfo]) -> None:
    bomb = CvRejected(
        "zip_bomb",
        _("This Word document unpacks to far more than a CV can hold, so we cannot accept it."),
    )
    if len(entries) > DOCX_MAX_ENTRIES:
        raise bomb
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > DOCX_MAX_UNCOMPRESSED:
            raise bomb
        if entry.file_size > DOCX_RATIO_FROM and entry.file_size > DOCX_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise bomb


def _macro_refusal() -> CvRejected:
    return CvRejected(
        "macros",
        _(
            "This Word document contains macros, which we do not accept. "
            "Save it as an ordinary .docx or PDF and upload it again."
        ),
    )
