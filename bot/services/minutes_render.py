"""A meeting record as a message (HTML, within Telegram's 4,096 characters) and as the
.docx branches file: title, the header table, 会议内容, 决议, signature lines."""

from __future__ import annotations

import html
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from bot.core.meetings import join_limited
from bot.core.minutes import xml_safe
from bot.services.minutes import MinutesView
from bot.texts import minutes as texts

# A message is at most 4,096 characters; the record's fields take the rest of this budget.
MESSAGE_LIMIT = 3900
NAMES_SHOWN = 40
FONT = "宋体"  # the East Asian font Word uses for the record (SimSun ships with Windows)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _names(names: list[str], limit: int | None = NAMES_SHOWN) -> str:
    if not names:
        return texts.NOBODY
    return join_limited(names, limit) if limit else "、".join(names)


def _leave(view: MinutesView, limit: int | None = NAMES_SHOWN) -> str:
    items = [
        texts.LEAVE_ITEM.format(name=name, reason=reason or texts.NO_REASON)
        for name, reason in view.turnout.leave
    ]
    return _names(items, limit)


def _fields(view: MinutesView, limit: int | None) -> dict[str, str]:
    """The header's values as plain text."""
    turnout = view.turnout
    return {
        "title": view.title,
        "when": view.when,
        "place": view.place or texts.NO_PLACE,
        "host": view.host,
        "recorder": view.minutes.recorder,
        "expected": str(turnout.expected),
        "present_count": str(len(turnout.present)),
        "leave_count": str(len(turnout.leave)),
        "absent_count": str(len(turnout.absent)),
        "present": _names(turnout.present, limit),
        "leave": _leave(view, limit),
        "absent": _names(turnout.absent, limit),
        "agenda": view.agenda or texts.NOBODY,
    }


def render_text(view: MinutesView, *, how_to_reply: bool = False) -> str:
    """The record as an HTML message; long parts are cut (the .docx has everything)."""
    header = texts.HEADER.format(id=view.meeting_id, status=view.status_label)
    fields = texts.FIELDS.format(**{k: _esc(v) for k, v in _fields(view, NAMES_SHOWN).items()})
    record = view.minutes
    body = texts.BODY.format(
        content=_esc(record.content) or texts.NOT_YET,
        resolutions=_esc(record.resolutions) or texts.NOT_YET,
    )
    tail = texts.HOW_TO_REPLY if how_to_reply else ""
    text = f"{header}\n{fields}{body}"
    budget = MESSAGE_LIMIT - len(tail)
    if len(text) > budget:
        # Cut on a line, never inside an HTML entity or tag.
        cut = text[: budget - len(texts.CUT)].rsplit("\n", 1)[0]
        text = cut + texts.CUT
    return text + tail


def render_docx(view: MinutesView) -> bytes:
    """The record as a Word document (python-docx), built in memory."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    title = document.add_heading(xml_safe(texts.DOCX_TITLE.format(title=view.title)), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    status = document.add_paragraph(view.status_label)
    status.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    values = _fields(view, None)
    rows = [
        values["title"],
        values["when"],
        values["place"],
        values["host"],
        values["recorder"],
        values["expected"],
        values["present_count"],
        values["present"],
        values["leave"],
        values["absent"],
        values["agenda"],
    ]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(
        table.rows, zip(texts.DOCX_FIELDS, rows, strict=True), strict=True
    ):
        row.cells[0].text = label
        row.cells[1].text = xml_safe(value)
    record = view.minutes
    for heading, part in zip(
        texts.DOCX_HEADINGS, (record.content, record.resolutions), strict=True
    ):
        document.add_heading(heading, level=2)
        # One paragraph per reply, its lines as line breaks: a paragraph per line makes a
        # long record slow to build (python-docx appends each at the end of the body).
        for paragraph in (xml_safe(part) or texts.NOT_YET).split("\n\n"):
            document.add_paragraph(paragraph)
    document.add_paragraph()
    document.add_paragraph(texts.DOCX_SIGNATURES)
    document.add_paragraph(texts.DOCX_DATE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
