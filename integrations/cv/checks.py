"""The one check every uploaded CV goes through before it may replace anything.

The cheap decisions happen here (empty, too large, the type from the first bytes: programs, old
Word files, encrypted Office files and anything that is not a PDF or a zip are refused without
parsing). Everything that parses the file, and its text, runs in a child process with limits
(``integrations.cv.sandbox`` and ``integrations.cv.reading``). A refusal carries a message that
names the real reason, in the active language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integrations.cv import reading
from integrations.cv.reading import CONTENT_TYPES, DOCX, PDF, Limits, first_bytes_refusal, has_text
from integrations.cv.sandbox import read_in_child

__all__ = ["CONTENT_TYPES", "DOCX", "PDF", "CheckedCv", "CvRejected", "check_cv"]

MAX_PAGES = Limits().max_pages

MESSAGES: dict[str, Promise] = {
    reading.EMPTY: _("The file is empty. Choose your CV as a PDF or Word (.docx) file."),
    reading.PROGRAM: _(
        "This file is a program, not a document. Upload your CV as a PDF or Word (.docx) file."
    ),
    reading.NOT_A_DOCUMENT: _(
        "This file is not a PDF or a Word (.docx) document. Upload your CV in one of those formats."
    ),
    reading.OLD_WORD: _(
        "Old Word files (.doc) are not accepted. Save your CV as .docx or PDF and upload it again."
    ),
    reading.ENCRYPTED: _(
        "This file is protected by a password, so we cannot read it. "
        "Save a copy without a password and upload that."
    ),
    reading.ACTIVE_CONTENT: _(
        "This file contains active content (such as scripts, embedded files or content fetched "
        "from elsewhere when it is opened), which we do not accept. "
        "Save or print it as an ordinary PDF and upload that."
    ),
    reading.MACROS: _(
        "This Word document contains macros, which we do not accept. "
        "Save it as an ordinary .docx or PDF and upload it again."
    ),
    reading.BOMB: _(
        "This file unpacks to far more than a CV can hold, so we cannot accept it. "
        "Save or export it again and upload the new copy."
    ),
    reading.CORRUPT_PDF: _(
        "This PDF is damaged and cannot be read. Save or export it again and upload the new copy."
    ),
    reading.CORRUPT_DOCX: _(
        "This Word document is damaged and cannot be read. Save it again and upload the new copy."
    ),
    reading.UNSAFE_XML: _(
        "This Word document contains XML definitions that can be used to attack the systems "
        "that read it, so we do not accept it. Save it again from Word as .docx or PDF and upload that."
    ),
    reading.TOO_COMPLEX: _(
        "We could not read this file within our limits of time and memory. "
        "Save or export it again (for example as PDF) and upload the new copy."
    ),
}


class CvRejected(Exception):
    """The file is not accepted; ``message`` tells the candidate why and what to do."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        detail: str = "",
        *,
        seconds: float = 0.0,
        peak_rss_bytes: int = 0,
    ) -> None:
        self.code = code
        self.message = message
        self.detail = detail  # for the log: our own words, never the file's content
        # What reading the file cost (nothing when its first bytes were enough).
        self.seconds = seconds
        self.peak_rss_bytes = peak_rss_bytes
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class CheckedCv:
    """A CV that passed every check, with the text read from it (empty for a scan)."""

    data: bytes
    content_type: str
    text: str
    sha256: str
    peak_rss_bytes: int
    seconds: float

    @property
    def has_text(self) -> bool:
        return has_text(self.text)


def check_cv(data: bytes, *, max_bytes: int, seconds: float, memory_bytes: int) -> CheckedCv:
    """Check a CV's bytes and read its text, within ``seconds`` and ``memory_bytes``.

    Raises ``CvRejected``.
    """
    if len(data) > max_bytes:
        raise CvRejected(reading.TOO_LARGE, too_large_message(max_bytes))
    refusal = first_bytes_refusal(data)  # nothing is parsed for this
    if refusal:
        raise rejection(refusal)
    outcome = read_in_child(data, seconds=seconds, memory_bytes=memory_bytes)
    if outcome.refused:
        refused = rejection(outcome.refused, outcome.detail)
        refused.seconds, refused.peak_rss_bytes = outcome.seconds, outcome.peak_rss_bytes
        raise refused
    return CheckedCv(
        data=data,
        content_type=outcome.content_type,
        text=outcome.text,
        sha256=hashlib.sha256(data).hexdigest(),
        peak_rss_bytes=outcome.peak_rss_bytes,
        seconds=outcome.seconds,
    )


def rejection(code: str, detail: str = "") -> CvRejected:
    if code == reading.TOO_MANY_PAGES:
        message = _("This PDF has more than %(pages)s pages. Upload your CV on its own.") % {
            "pages": MAX_PAGES
        }
        return CvRejected(code, message, detail)
    return CvRejected(code, MESSAGES.get(code, MESSAGES[reading.TOO_COMPLEX]), detail)


def too_large_message(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    return _("The file is larger than %(size)s MB. Upload a smaller PDF or Word (.docx) file.") % {
        "size": f"{megabytes:g}"
    }
