"""Hostile upload files, generated cheaply: shared by the tests and bench/uploads.py.

The spreadsheets are written as raw zip parts (no openpyxl), so a 550,000-row sheet costs
a fraction of a second rather than a minute to make.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STRINGS = ("title", "学习党章")
_SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
_SHEET_TAIL = "</sheetData></worksheet>"
Parts = Mapping[str, Iterable[bytes]]


def _relationships(targets: Iterable[tuple[str, str]]) -> bytes:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'<Relationships xmlns="{_PACKAGE}/relationships">{items}</Relationships>'.encode()


def _fixed_parts(sheets: int) -> dict[str, Iterable[bytes]]:
    """Everything but the sheets: content types, relationships, workbook, shared strings."""
    kind = f"{_SHEETML}.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}"/>'
        for n in range(1, sheets + 1)
    )
    types = (
        f'<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
        '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEETML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEETML}.sharedStrings+xml"/>'
        f"{overrides}</Types>"
    )
    names = "".join(
        f'<sheet name="表{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    workbook = f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{names}</sheets></workbook>'
    strings = "".join(f"<si><t>{text}</t></si>" for text in _STRINGS)
    targets = [("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, sheets + 1)]
    return {
        "[Content_Types].xml": [types.encode()],
        "_rels/.rels": [_relationships([("officeDocument", "xl/workbook.xml")])],
        "xl/workbook.xml": [workbook.encode()],
        "xl/_rels/workbook.xml.rels": [
            _relationships([*targets, ("sharedStrings", "sharedStrings.xml")])
        ],
        "xl/sharedStrings.xml": [f'<sst xmlns="{_MAIN}">{strings}</sst>'.encode()],
    }


def workbook(sheets: list[Iterable[str]], parts: Parts | None = None) -> bytes:
    """A minimal .xlsx with one sheet per chunk stream in `sheets`; `parts` replace or add."""
    entries = _fixed_parts(len(sheets))
    for number, sheet in enumerate(sheets, start=1):
        entries[f"xl/worksheets/sheet{number}.xml"] = (chunk.encode() for chunk in sheet)
    entries.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in entries.items():
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
    return buffer.getvalue()


def xlsx(sheet: Iterable[str], parts: Parts | None = None) -> bytes:
    """A minimal one-sheet .xlsx."""
    return workbook([sheet], parts)


def sheet_rows(count: int) -> Iterator[str]:
    """Sheet XML: a title header and `count` rows; without r="…" (optional) it packs 400:1."""
    yield _SHEET_HEAD + '<row><c t="s"><v>0</v></c></row>'
    row = '<row><c t="s"><v>1</v></c></row>'
    for start in range(0, count, 10_000):
        yield row * min(10_000, count - start)
    yield _SHEET_TAIL


def many_rows_xlsx(count: int = 550_000) -> bytes:
    """A title column and `count` topic rows, without a <dimension> (nothing known upfront)."""
    return xlsx(sheet_rows(count))


def many_sheets_xlsx(sheets: int, rows: int) -> bytes:
    """Several big sheets without <dimension>: openpyxl scans each once when it opens the file."""
    return workbook([sheet_rows(rows) for _ in range(sheets)])


def zip_bomb_xlsx(megabytes: int = 1024) -> bytes:
    """A valid sheet and a shared-strings part that inflates to `megabytes` of blanks."""
    block = b" " * (1 << 20)
    strings = [f'<sst xmlns="{_MAIN}">'.encode(), *(block for _ in range(megabytes)), b"</sst>"]
    return xlsx(sheet_rows(1), {"xl/sharedStrings.xml": strings})


def junk_xml_xlsx() -> bytes:
    """A proper zip whose XML parts are junk."""
    return xlsx(["<row><c>", "<<<>>>"], {"xl/workbook.xml": [b"<workbook><sheets"]})


def alias_bomb_yaml(levels: int = 9, key: str = "materials") -> bytes:
    """About 550 bytes that expand to 9**10 scalars when aliases are followed."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(levels):
        previous = "a" if level == 0 else f"l{level - 1}"
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    last = f"l{levels - 1}"
    body = f"topics:\n  - title: 炸弹\n    {key}: *{last}\n"
    return ("\n".join(lines) + "\n" + body).encode()


def faq_alias_bomb_yaml(levels: int = 9) -> bytes:
    """The same bomb in a FAQ base's shape."""
    text = alias_bomb_yaml(levels, key="phrasings").decode()
    return text.replace("topics:", "entries:").replace("title: 炸弹", "id: bomb").encode()


def deep_yaml(depth: int = 5_000, key: str = "topics") -> bytes:
    """A list nested `depth` levels deep."""
    return f"{key}:\n  - title: {'[' * depth}{']' * depth}\n".encode()


def flat_yaml(items: int = 300_000) -> bytes:
    """One flow list of `items` one-character scalars: under 1 MB, a node count bomb."""
    return ("topics: [" + ",".join(["1"] * items) + "]\n").encode()
