"""Rows of the first worksheet of an untrusted .xlsx, the zip checked before openpyxl opens it.

An .xlsx is a zip of XML parts. openpyxl reads some parts whole (shared strings, styles,
the workbook) and, for a sheet without a ``<dimension>``, scans the whole sheet once when it
opens the workbook. So the zip's central directory is checked first: its entry count and
the uncompressed size each entry declares (Python's zipfile never inflates an entry past its
declared size, so the declaration is a real bound). Rows are then streamed in read-only mode
and the caller stops at its limit; nothing past ``max_rows`` or ``max_columns`` is built.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Generator
from typing import Any

MAX_ENTRIES = 500
# openpyxl scans about 10 MB of sheet XML a second, and every sheet without a <dimension>
# is scanned whole on opening: these caps keep a hostile workbook near a second. A plan of
# 100 long topics is about 1 MB of XML.
MAX_PART_BYTES = 4 << 20
MAX_TOTAL_BYTES = 12 << 20
NOT_XLSX = "无法读取这个 Excel 文件，请另存为 .xlsx 后再试"


class XlsxRefused(ValueError):
    """The file is not a readable workbook or breaks a bound; the message is Chinese."""


def check_archive(content: bytes) -> None:
    """Refuse a zip with too many entries or one that declares too much uncompressed data."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    # NotImplementedError: a damaged header can claim a zip version Python does not read.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise XlsxRefused(NOT_XLSX) from None
    if len(entries) > MAX_ENTRIES:
        raise XlsxRefused(f"Excel 文件内部的部件太多（超过{MAX_ENTRIES}个），请另存为新文件再试")
    for entry in entries:
        if entry.file_size > MAX_PART_BYTES and entry.filename.startswith("xl/worksheets/"):
            raise XlsxRefused(
                f"表格太大：工作表解压后超过{MAX_PART_BYTES >> 20}MB，请删去多余的行"
            )
        if entry.file_size > MAX_PART_BYTES:
            raise XlsxRefused(_inflated(MAX_PART_BYTES))
    if sum(entry.file_size for entry in entries) > MAX_TOTAL_BYTES:
        raise XlsxRefused(_inflated(MAX_TOTAL_BYTES))


def _inflated(limit: int) -> str:
    return f"Excel 文件解压后超过{limit >> 20}MB，可能已损坏，请另存为新的 .xlsx 后再试"


Rows = Generator[tuple[int, tuple[Any, ...]], None, None]


def first_sheet_rows(content: bytes, *, max_rows: int, max_columns: int) -> Rows:
    """Numbered rows (from 1) of the first worksheet, cut to the limits; XlsxRefused if bad."""
    check_archive(content)
    from openpyxl import load_workbook  # here: YAML and CSV uploads need not load it (70 ms)

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it does not support (styles, extensions); the
            # values are still read, and a user's file is no reason to log a warning.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception:  # openpyxl raises anything from KeyError to ParseError on bad XML
        raise XlsxRefused(NOT_XLSX) from None
    try:
        yield from _rows(workbook.worksheets, max_rows, max_columns)
    finally:
        workbook.close()


def _rows(sheets: list[Any], max_rows: int, max_columns: int) -> Rows:
    try:
        rows = sheets[0].iter_rows(max_row=max_rows, max_col=max_columns, values_only=True)
        yield from enumerate(rows, start=1)
    except MemoryError:
        raise
    except Exception:  # the sheet's XML is parsed only now, row by row
        raise XlsxRefused(NOT_XLSX) from None
