"""Hostile upload files, generated cheaply: shared by the tests and bench/uploads.py.

The spreadsheets are written as raw zip parts (no openpyxl), so a 550,000-row sheet costs
a second rather than a minute to make.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping

_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEETML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEETML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEETML}.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    f' xmlns:r="{_RELS}"><sheets><sheet name="计划" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_STRINGS = ("title", "学习党章")
_SHARED = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    + "".join(f"<si><t>{text}</t></si>" for text in _STRINGS)
    + "</sst>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def xlsx(sheet: Iterable[str], parts: Mapping[str, Iterable[bytes]] | None = None) -> bytes:
    """A minimal .xlsx whose first sheet's XML is the chunks of `sheet`; `parts` replace or add."""
    entries: dict[str, Iterable[bytes]] = {
        "[Content_Types].xml": [_CONTENT_TYPES.encode()],
        "_rels/.rels": [_ROOT_RELS.encode()],
        "xl/workbook.xml": [_WORKBOOK.encode()],
        "xl/_rels/workbook.xml.rels": [_WORKBOOK_RELS.encode()],
        "xl/sharedStrings.xml": [_SHARED.encode()],
        "xl/worksheets/sheet1.xml": (chunk.encode() for chunk in sheet),
    }
    entries.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in entries.items():
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
    return buffer.getvalue()


def _rows(count: int) -> Iterator[str]:
    """A header row and `count` rows; without r="…" (optional), the XML compresses 500:1."""
    yield _SHEET_HEAD + '<row><c t="s"><v>0</v></c></row>'
    row = '<row><c t="s"><v>1</v></c></row>'
    for start in range(0, count, 10_000):
        yield row * min(10_000, count - start)
    yield _SHEET_TAIL


def many_rows_xlsx(count: int = 550_000) -> bytes:
    """A title column and `count` topic rows, without a <dimension> (nothing is known upfront)."""
    return xlsx(_rows(count))


def zip_bomb_xlsx(megabytes: int = 1024) -> bytes:
    """A valid sheet and a shared-strings part that inflates to `megabytes` of blanks."""
    block = b" " * (1 << 20)
    strings = [_SHARED.encode()[:-6], *(block for _ in range(megabytes)), b"</sst>"]
    return xlsx(_rows(1), {"xl/sharedStrings.xml": strings})


def junk_xml_xlsx() -> bytes:
    """A proper zip whose XML parts are junk."""
    return xlsx(["<row><c>", "<<<>>>"], {"xl/workbook.xml": [b"<workbook><sheets"]})


def alias_bomb_yaml(levels: int = 9) -> bytes:
    """About 550 bytes that expand to 9**10 scalars when aliases are followed."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(levels):
        previous = "a" if level == 0 else f"l{level - 1}"
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    last = f"l{levels - 1}"
    plan = f"topics:\n  - title: 炸弹\n    materials: *{last}\n    questions: *{last}\n"
    return ("\n".join(lines) + "\n" + plan).encode()


def deep_yaml(depth: int = 5_000, key: str = "topics") -> bytes:
    """A list nested `depth` levels deep."""
    return f"{key}:\n  - title: {'[' * depth}{']' * depth}\n".encode()
