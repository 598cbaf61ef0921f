"""Read an uploaded CV's bytes: what it is, whether we keep it, and its text.

Everything here parses hostile input, so it runs in a child process with limits on time and
memory (``integrations.cv.sandbox``) and imports nothing from Django. ``read_cv`` either returns
the type and the text (possibly empty: a scanned PDF) or raises ``Refused`` with a code that
``integrations.cv.checks`` turns into a message for the candidate.

What is refused, and why:
- the type comes from the first bytes, never the name: programs and anything other than a PDF or
  a Word document (.docx) are refused; an OLE file is an old .doc, or an encrypted .docx;
- PDF: a user password (a PDF that opens without one, with only an owner password, is read),
  active content (JavaScript, launch and other actions that run or fetch something, embedded
  files, rich media, XFA forms), any Flate stream that inflates past a ceiling per stream or in
  total (flate bombs; pypdf's own decoders get the same ceilings), more pages than a CV has;
- DOCX: encrypted entries, compression other than stored or deflated, too many entries, entries
  that inflate past a ceiling or a ratio (measured while reading, never from the declared sizes,
  whose lies the CRC check then catches), zips or OLE objects inside, macros and ActiveX, XML
  with a DTD (entities, external entities, billion laughs: defusedxml forbids them), external
  relationships other than hyperlinks (remote templates), DDE fields, a missing main document.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, EncodedStreamObject, IndirectObject, NameObject

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (PDF, DOCX)

# The reasons a file is refused; ``integrations.cv.checks`` has a message for each.
EMPTY = "empty"
TOO_LARGE = "too_large"
PROGRAM = "program"
NOT_A_DOCUMENT = "not_a_document"
OLD_WORD = "old_word"
ENCRYPTED = "encrypted"
ACTIVE_CONTENT = "active_content"
MACROS = "macros"
BOMB = "bomb"
TOO_MANY_PAGES = "too_many_pages"
CORRUPT_PDF = "corrupt_pdf"
CORRUPT_DOCX = "corrupt_docx"
UNSAFE_XML = "unsafe_xml"
TOO_COMPLEX = "too_complex"


@dataclass(frozen=True)
class Limits:
    max_pages: int = 50
    max_chars: int = 100_000
    # PDF: the inflated size of one stream, and of all of them together.
    pdf_max_stream_bytes: int = 32 * 1024 * 1024
    pdf_max_total_stream_bytes: int = 128 * 1024 * 1024
    pdf_max_objects: int = 100_000
    # DOCX: what the zip may unpack to, measured while reading.
    zip_max_entries: int = 1000
    zip_max_entry_bytes: int = 32 * 1024 * 1024
    zip_max_total_bytes: int = 64 * 1024 * 1024
    zip_max_ratio: int = 100  # A Word document's XML compresses about 5 to 20 times.
    zip_ratio_from: int = 1024 * 1024  # Small entries may compress well beyond the ratio.
    xml_max_bytes: int = 10 * 1024 * 1024


class Refused(Exception):
    """The file is not kept; ``code`` is one of the reasons above, ``detail`` is for the log."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(code if not detail else f"{code}: {detail}")


@dataclass(frozen=True)
class Reading:
    content_type: str
    text: str
    pages: int


def read_cv(data: bytes, *, limits: Limits | None = None, seconds: float = 8.0) -> Reading:
    """Decide on a CV and read its text, or raise ``Refused``. Text reading stops at the deadline."""
    limits = limits or Limits()
    deadline = time.monotonic() + seconds
    refusal = first_bytes_refusal(data)
    if refusal:
        raise Refused(refusal)
    if sniff(data) == PDF:
        return _read_pdf(data, limits=limits, deadline=deadline)
    return _read_docx(data, limits=limits, deadline=deadline)


# Sniffing ---------------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PROGRAMS = (
    b"\x7fELF",  # Linux
    b"MZ",  # Windows (PE)
    b"#!",  # a script
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, or Java
    b"\x00asm",  # WebAssembly
)


def sniff(data: bytes) -> str:
    """The kind of file from its first bytes: PDF, DOCX (any zip), "ole", "program" or "unknown"."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX
    if data.startswith(_OLE2):
        return "ole"
    if data.startswith(_PROGRAMS):
        return "program"
    return "unknown"


def first_bytes_refusal(data: bytes) -> str | None:
    """The reason to refuse a file without parsing it, or None for a PDF or a zip."""
    if not data:
        return EMPTY
    kind = sniff(data)
    if kind in CONTENT_TYPES:
        return None
    if kind == "ole":
        return _ole_kind(data)
    return PROGRAM if kind == "program" else NOT_A_DOCUMENT


def _ole_kind(data: bytes) -> str:
    # An OLE compound file is an old Word document, or Office's wrapper for an encrypted .docx
    # (streams "EncryptionInfo" and "EncryptedPackage"); stream names are stored in UTF-16.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return ENCRYPTED
    if "WordDocument".encode("utf-16-le") in data:
        return OLD_WORD
    return NOT_A_DOCUMENT


# PDF ----------------------------------------------------------------------------------------------

# Keys and action types that run, launch, fetch or carry something.
_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia", "/XFA"}
)
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE", "/Rendition", "/Movie", "/Sound"}
)
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/RichMediaSettings", "/RichMediaContent", "/Filespec"})
_ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/Movie", "/Sound", "/Screen", "/FileAttachment", "/3D"})


def _read_pdf(data: bytes, *, limits: Limits, deadline: float) -> Reading:
    if b"%%EOF" not in data[-2048:]:
        # pypdf would piece together what it can of a cut-off file; we ask for the whole file.
        raise Refused(CORRUPT_PDF, "truncated")
    stream_limit = limits.pdf_max_stream_bytes
    pypdf_limits = apply_configuration(
        zlib_maximum_output_length=stream_limit,
        lzw_maximum_output_length=stream_limit,
        run_length_maximum_output_length=stream_limit,
        brotli_maximum_output_length=stream_limit,
        array_based_stream_maximum_output_length=stream_limit,
        jbig2_maximum_output_length=stream_limit,
        image_maximum_buffer_size=stream_limit,
        stream_decoding_work_maximum_length=limits.pdf_max_total_stream_bytes,
        jbig2dec_binary=None,  # never run another program on the file
    )
    try:
        with pypdf_limits:
            return _read_pdf_within_limits(data, limits=limits, deadline=deadline)
    except (Refused, MemoryError):
        raise
    except LimitReachedError as error:
        raise Refused(BOMB, type(error).__name__) from error
    except Exception as error:
        # Whatever pypdf trips over in a hostile or broken file, the answer is "damaged".
        raise Refused(CORRUPT_PDF, type(error).__name__) from error


def _read_pdf_within_limits(data: bytes, *, limits: Limits, deadline: float) -> Reading:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        # Only an owner password (permissions) opens with the empty user password.
        raise Refused(ENCRYPTED)
    _pdf_scan(reader, limits=limits, deadline=deadline)
    count = len(reader.pages)
    if count == 0:
        raise Refused(CORRUPT_PDF, "no pages")
    if count > limits.max_pages:
        raise Refused(TOO_MANY_PAGES, str(count))
    parts: list[str] = []
    length = 0
    for page in reader.pages:
        if time.monotonic() > deadline or length >= limits.max_chars:
            break
        try:
            text = page.extract_text() or ""
        except (LimitReachedError, MemoryError):
            raise
        except Exception:  # noqa: S112 - one page pypdf cannot read does not lose the others
            continue
        parts.append(text)
        length += len(text)
    return Reading(PDF, tidy("\n\n".join(parts))[: limits.max_chars], count)


def _pdf_objects(reader: PdfReader) -> Iterator[Any]:
    for generation, numbers in list(reader.xref.items()):
        for number in list(numbers):
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in list(reader.xref_objStm):
        yield reader.get_object(number)


def _pdf_scan(reader: PdfReader, *, limits: Limits, deadline: float) -> None:
    """Refuse active content and flate bombs, looking at every object in the file."""
    total = 0
    for index, obj in enumerate(_pdf_objects(reader)):
        if index > limits.pdf_max_objects or time.monotonic() > deadline:
            raise Refused(TOO_COMPLEX, "objects")
        for dictionary in _dictionaries(obj):
            _pdf_check_dictionary(dictionary)
        if isinstance(obj, EncodedStreamObject):
            total += _inflated_size(obj, limit=limits.pdf_max_stream_bytes)
            if total > limits.pdf_max_total_stream_bytes:
                raise Refused(BOMB, "streams in total")


def _dictionaries(obj: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    """The dictionaries directly inside an object (indirect ones are visited on their own)."""
    if depth > 50:
        raise Refused(TOO_COMPLEX, "nesting")
    if isinstance(obj, DictionaryObject):
        yield obj
        for value in obj.values():
            if not isinstance(value, IndirectObject):
                yield from _dictionaries(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if not isinstance(value, IndirectObject):
                yield from _dictionaries(value, depth + 1)


def _pdf_check_dictionary(dictionary: DictionaryObject) -> None:
    active = _ACTIVE_KEYS.intersection(str(key) for key in dictionary)
    if active:
        raise Refused(ACTIVE_CONTENT, min(active))
    for key, names in (("/S", _ACTIVE_ACTIONS), ("/Type", _ACTIVE_TYPES), ("/Subtype", _ACTIVE_SUBTYPES)):
        value = dictionary.get(key)
        if isinstance(value, NameObject) and str(value) in names:
            raise Refused(ACTIVE_CONTENT, str(value))


def _inflated_size(stream: EncodedStreamObject, *, limit: int) -> int:
    """The size a Flate stream inflates to, read in pieces and refused past ``limit``."""
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    if str(first) not in ("/FlateDecode", "/Fl"):
        return len(stream._data)
    inflater = zlib.decompressobj()
    size = 0
    pending = stream._data
    while pending and not inflater.eof:
        try:
            chunk = inflater.decompress(pending, 1024 * 1024)
        except zlib.error:
            return size  # Damaged data; pypdf decides what to make of it if it is ever read.
        size += len(chunk)
        if size > limit:
            raise Refused(BOMB, "stream")
        pending = inflater.unconsumed_tail
    return size


# DOCX ---------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata", "ms-office.activex")
_EMBEDDED_FOLDERS = ("word/embeddings/", "word/activex/")
_TEXT_PARTS = re.compile(r"word/(header|footer)\d*\.xml")
_DDE = re.compile(r"^\s*DDE(AUTO)?\b", re.IGNORECASE)
_HYPERLINK = "/hyperlink"


def _read_docx(data: bytes, *, limits: Limits, deadline: float) -> Reading:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:
        raise Refused(CORRUPT_DOCX, type(error).__name__) from error
    with archive:
        try:
            parts = _docx_parts(archive, limits=limits, deadline=deadline)
        except (Refused, MemoryError):
            raise
        except Exception as error:
            # A bad CRC (sizes that lie), a truncated entry, a broken header: damaged.
            raise Refused(CORRUPT_DOCX, type(error).__name__) from error
    try:
        main = _docx_main_part(parts)
        for name, xml in parts.items():
            if name.endswith(".rels"):
                _check_relationships(xml)
        texts = []
        length = 0
        for name in [main, *sorted(name for name in parts if _TEXT_PARTS.fullmatch(name))]:
            if time.monotonic() > deadline or length >= limits.max_chars:
                break
            text = _wordml_text(parts[name], max_chars=limits.max_chars - length)
            texts.append(text)
            length += len(text)
    except (Refused, MemoryError):
        raise
    except DefusedXmlException as error:
        raise Refused(UNSAFE_XML, type(error).__name__) from error
    except Exception as error:
        raise Refused(CORRUPT_DOCX, type(error).__name__) from error
    return Reading(DOCX, tidy("\n\n".join(texts))[: limits.max_chars], 0)


def _docx_parts(archive: zipfile.ZipFile, *, limits: Limits, deadline: float) -> dict[str, bytes]:
    """Read every entry to its end within the limits; return the XML parts (names lower-cased)."""
    entries = archive.infolist()
    if len(entries) > limits.zip_max_entries:
        raise Refused(BOMB, "entries")
    names = [entry.filename.lower() for entry in entries]
    if len(set(names)) != len(names):
        raise Refused(CORRUPT_DOCX, "duplicate names")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise Refused(ENCRYPTED, "zip entry")
    if any(entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries):
        raise Refused(CORRUPT_DOCX, "compression")
    if any(marker in name for name in names for marker in _MACRO_MARKERS):
        raise Refused(MACROS)
    if any(name.startswith(_EMBEDDED_FOLDERS) for name in names):
        raise Refused(ACTIVE_CONTENT, "embedded object")
    if sum(entry.file_size for entry in entries) > limits.zip_max_total_bytes:
        raise Refused(BOMB, "declared size")
    if "[content_types].xml" not in names:
        # A Word document that lost its table of parts is damaged; any other zip (an OpenDocument
        # text, an archive of files) is not a Word document at all.
        raise Refused(CORRUPT_DOCX if "word/document.xml" in names else NOT_A_DOCUMENT, "no content types")
    parts: dict[str, bytes] = {}
    total = 0
    for entry, name in zip(entries, names, strict=True):
        if entry.is_dir():
            continue
        if time.monotonic() > deadline:
            raise Refused(TOO_COMPLEX, "zip")
        keep = name.endswith((".xml", ".rels"))
        kept: list[bytes] = []
        size = 0
        with archive.open(entry) as stream:
            while chunk := stream.read(256 * 1024):
                if size == 0 and chunk.startswith((b"PK\x03\x04", _OLE2)):
                    raise Refused(ACTIVE_CONTENT, "nested archive")
                size += len(chunk)
                total += len(chunk)
                if size > limits.zip_max_entry_bytes or total > limits.zip_max_total_bytes:
                    raise Refused(BOMB, "inflated size")
                if size > limits.zip_ratio_from and size > limits.zip_max_ratio * max(entry.compress_size, 1):
                    raise Refused(BOMB, "ratio")
                if keep:
                    if size > limits.xml_max_bytes:
                        raise Refused(BOMB, "xml size")
                    kept.append(chunk)
        if size != entry.file_size:
            raise Refused(CORRUPT_DOCX, "size differs from the declared one")
        if keep:
            parts[name] = b"".join(kept)
    return parts


def _elements(xml: bytes) -> Iterator[Any]:
    """The elements of an XML part as each ends, children cleared as it goes (memory stays flat).

    No DTD at all: entities (billion laughs) and external entities (XXE) cannot be declared.
    """
    for _event, element in SafeElementTree.iterparse(io.BytesIO(xml), events=("end",), forbid_dtd=True):
        yield element
        element.clear()


def _docx_main_part(parts: dict[str, bytes]) -> str:
    declared: dict[str, str] = {}
    everything: list[str] = []
    for element in _elements(parts["[content_types].xml"]):
        content_type = str(element.get("ContentType", "")).lower()
        everything.append(content_type)
        if element.tag == f"{_CT}Override":
            declared[str(element.get("PartName", "")).lstrip("/").lower()] = content_type
    if any(marker in content_type for content_type in everything for marker in _MACRO_MARKERS):
        raise Refused(MACROS)
    mains = [name for name, content_type in declared.items() if content_type == _WORD_MAIN.lower()]
    if not mains:
        raise Refused(NOT_A_DOCUMENT, "no Word main part")
    if mains[0] not in parts:
        raise Refused(CORRUPT_DOCX, "main part missing")
    # Every XML part goes through the hardened parser once, so no part may carry a DTD.
    for xml in parts.values():
        for _element in _elements(xml):
            pass
    return mains[0]


def _check_relationships(xml: bytes) -> None:
    for relationship in _elements(xml):
        if relationship.tag != f"{_REL}Relationship":
            continue
        external = str(relationship.get("TargetMode", "")).lower() == "external"
        if external and not str(relationship.get("Type", "")).endswith(_HYPERLINK):
            # A remote template, frame or object is fetched when a recruiter opens the file.
            raise Refused(ACTIVE_CONTENT, "external relationship")


def _wordml_text(xml: bytes, *, max_chars: int) -> str:
    out: list[str] = []
    field_code: list[str] = []
    length = 0
    events = SafeElementTree.iterparse(io.BytesIO(xml), events=("end",), forbid_dtd=True)
    for _event, element in events:
        tag = element.tag
        if tag == f"{_W}t" and element.text:
            if length < max_chars:
                out.append(element.text)
                length += len(element.text)
        elif tag == f"{_W}instrText" and element.text:
            field_code.append(element.text)
        elif tag == f"{_W}fldSimple":
            field_code.append(str(element.get(f"{_W}instr", "")))
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}p":
            if _DDE.match("".join(field_code)):
                raise Refused(ACTIVE_CONTENT, "DDE field")
            field_code.clear()
            out.append("\n")
            element.clear()
    return "".join(out)


# Text ---------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def tidy(text: str) -> str:
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def has_text(text: str) -> bool:
    """Whether a CV's text has words a search can find (a scanned page has none)."""
    return any(character.isalpha() for character in text)
