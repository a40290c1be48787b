"""Hostile list files, built in memory by the tests that need them (none is checked in): a
workbook is a zip, and a few megabytes of zip can unzip to gigabytes. A part is given as
segments (bytes, times repeated); each segment is deflated once and its blocks repeated, so a
1.6 GB part is built in about a second, with the checksum a real one has."""

from __future__ import annotations

import struct
import zlib

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
ROSTER_HEADER = "Staff ID,First name,Surname,Mobile,Role"
Segments = list[tuple[bytes, int]]


def _deflated(segments: Segments) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, unzipped size) of the segments in order."""
    stream, crc, size = [], 0, 0
    for chunk, times in segments:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        # A sync flush ends the blocks on a byte boundary, referring only to this chunk: repeatable.
        block = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
        stream.append(block * times)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        size += len(chunk) * times
    stream.append(b"\x03\x00")  # the final, empty block
    return b"".join(stream), crc, size


def zip_of(parts: dict[str, Segments]) -> bytes:
    """A zip (deflated, no zip64: each part under 4 GB) of the parts, in order."""
    body, directory = bytearray(), bytearray()
    for name, segments in parts.items():
        data, crc, size = _deflated(segments)
        encoded = name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body)) + encoded
        body += b"PK\x03\x04" + fields + encoded + data
    end = struct.pack("<HHHHIIH", 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return bytes(body + directory + b"PK\x05\x06" + end)


def workbook(sheet: Segments, shared_strings: Segments | None = None,
             other_parts: dict[str, Segments] | None = None) -> bytes:
    """An XLSX whose first sheet's <sheetData> holds `sheet`, with a shared-strings table and other parts when given."""
    strings_type = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    parts = {
        "[Content_Types].xml": [(
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + (strings_type if shared_strings is not None else b"") + b"</Types>", 1)],
        "_rels/.rels": [(
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>', 1)],
        "xl/workbook.xml": [(
            b"<workbook " + MAIN + b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>', 1)],
        "xl/_rels/workbook.xml.rels": [(
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>', 1)],
        "xl/worksheets/sheet1.xml": [(b"<worksheet " + MAIN + b"><sheetData>", 1), *sheet,
                                     (b"</sheetData></worksheet>", 1)],
        **({"xl/sharedStrings.xml": [(b"<sst " + MAIN + b">", 1), *shared_strings, (b"</sst>", 1)]}
           if shared_strings is not None else {}),
        **(other_parts or {}),
    }
    return zip_of(parts)


def inline_row(number: int, *cells: str) -> bytes:
    """A sheet row of text cells written in the sheet itself."""
    return (f'<row r="{number}">'.encode()
            + b"".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>'.encode() for cell in cells) + b"</row>")


HEADER_ROW = inline_row(1, *ROSTER_HEADER.split(","))
