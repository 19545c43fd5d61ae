"""A computed ledger as the sheets of its workbook, in the words of bot/texts/ledger.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.ledger_rows import Ledger, LedgerFile, MemberRow
from bot.core.org_rows import OrgRow
from bot.core.requirements import RULE_KINDS
from bot.core.spreadsheet import Column, Kind, Sheet, write_workbook
from bot.texts import ledger as texts

# Characters a file name may not hold on Windows, where these files are opened.
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(org: str, period: str) -> str:
    """台账_城关镇第一党支部_2026年第4季度.xlsx, safe on every file system."""
    name = texts.FILE_NAME.format(org=org, period=period)
    return _UNSAFE_FILE_CHARS.sub("_", name)


def _title(ledger: Ledger, sheet: str) -> str:
    period = ledger.period
    return texts.TITLE.format(
        org=ledger.org.name, sheet=sheet, period=period.label, span=period.span_text
    )


def _lead(ledger: Ledger) -> tuple[Column, ...]:
    """The organisation's column, when the ledger covers organisations below."""
    return (Column(texts.ORG),) if ledger.has_below else ()


def _org(ledger: Ledger, name: str) -> tuple[str, ...]:
    return (name,) if ledger.has_below else ()


def meetings_sheet(ledger: Ledger) -> Sheet:
    """会议台账: one row per meeting."""
    kinds = (Kind.DATETIME, *[Kind.TEXT] * 5, Kind.INT, Kind.INT, Kind.TEXT, Kind.TEXT)
    columns = [
        Column(h, k)
        for h, k in zip(texts.MEETING_COLUMNS, (*kinds, Kind.PERCENT, Kind.TEXT), strict=True)
    ]
    if ledger.has_floating:  # 外出/异地参加 after 缺席, only where someone was away
        columns.insert(10, Column(texts.AWAY_COLUMN))
    rows: list[Sequence[Any]] = []
    for m in ledger.meetings:
        leave = "、".join(f"{name}：{reason}" if reason else name for name, reason in m.leave)
        away = ("、".join(f"{name}（{where}）" for name, where in m.away),)
        rows.append(
            (
                *_org(ledger, m.org),
                m.starts,
                m.weekday,
                m.kind,
                m.agenda,
                m.place,
                m.organiser,
                m.expected,
                m.present,
                leave,
                "、".join(m.absent),
                *(away if ledger.has_floating else ()),
                m.rate,
                m.record or texts.NO_RECORD,
            )
        )
    title = _title(ledger, texts.SHEET_MEETINGS)
    return Sheet(texts.SHEET_MEETINGS, title, [*_lead(ledger), *columns], rows)


def floating_sheet(ledger: Ledger) -> Sheet:
    """流动党员: each stay away in the period, and what was done elsewhere meanwhile."""
    kinds = (Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.DATETIME, Kind.DATETIME)
    columns = [
        Column(h, k)
        for h, k in zip(texts.FLOATING_COLUMNS, (*kinds, Kind.TEXT, Kind.TEXT), strict=True)
    ]
    rows: list[Sequence[Any]] = [
        (
            r.org,
            r.name,
            r.place,
            f"{r.since:%Y-%m-%d}",
            r.ended,
            r.at,
            r.where,
            r.what or texts.NO_ACTIVITY,
        )
        for r in ledger.floating
    ]
    return Sheet(texts.SHEET_FLOATING, _title(ledger, texts.SHEET_FLOATING), columns, rows)


def study_sheet(ledger: Ledger) -> Sheet:
    """学习台账: one row per topic."""
    kinds = (Kind.TEXT, Kind.DATETIME, Kind.DATETIME, *[Kind.INT] * 3, Kind.PERCENT, Kind.DECIMAL)
    columns = [Column(h, k) for h, k in zip(texts.STUDY_COLUMNS, kinds, strict=True)]
    rows: list[Sequence[Any]] = [
        (
            *_org(ledger, t.org),
            t.title,
            t.published,
            t.deadline,
            t.expected,
            t.studied,
            t.makeup,
            t.rate,
            t.quiz_average,
        )
        for t in ledger.topics
    ]
    title = _title(ledger, texts.SHEET_STUDY)
    return Sheet(texts.SHEET_STUDY, title, [*_lead(ledger), *columns], rows)


def _member_values(ledger: Ledger, m: MemberRow) -> tuple[Any, ...]:
    per_kind = []
    for kind in ledger.kinds:
        attended, expected = m.by_kind[kind]
        per_kind.append(texts.HELD_OF.format(held=attended, required=expected) if expected else "")
    study = texts.HELD_OF.format(held=m.studied, required=m.study_expected)
    return (
        *_org(ledger, m.org),
        m.name,
        m.status.label,
        m.role.label,
        *per_kind,
        m.attendance,
        study if m.study_expected else "",
        m.study_rate,
    )


def members_sheet(ledger: Ledger) -> Sheet:
    """党员: one row per membership, attendance by meeting type and study."""
    lead = [Column(h) for h in texts.MEMBER_LEAD]
    per_kind = [Column(f"{kind.label}（参加/应到）") for kind in ledger.kinds]
    attendance, study, study_rate = texts.MEMBER_TAIL
    tail = [Column(attendance, Kind.PERCENT), Column(study), Column(study_rate, Kind.PERCENT)]
    rows: list[Sequence[Any]] = [_member_values(ledger, m) for m in ledger.members]
    columns = [*_lead(ledger), *lead, *per_kind, *tail]
    return Sheet(texts.SHEET_MEMBERS, _title(ledger, texts.SHEET_MEMBERS), columns, rows)


def below_sheet(ledger: Ledger) -> Sheet:
    """下级组织: each organisation below, 三会一课 held against required, marked red where
    an ended window went without."""
    kinds = [k for k in RULE_KINDS if any(row.standings.get(k) for row in ledger.below)]
    columns = [
        *(Column(h) for h in texts.BELOW_LEAD[:3]),
        Column(texts.BELOW_LEAD[3], Kind.INT),
        *(Column(f"{kind.label}（召开/应开）") for kind in kinds),
        Column(texts.BELOW_TAIL[0], Kind.PERCENT),
        Column(texts.BELOW_TAIL[1], Kind.PERCENT),
        Column(texts.BELOW_TAIL[2]),
    ]
    sheet = Sheet(texts.SHEET_BELOW, _title(ledger, texts.SHEET_BELOW), columns)
    for index, row in enumerate(ledger.below):
        sheet.rows.append(_below_values(row, kinds))
        _mark_behind(sheet, index, row, kinds)
    return sheet


def _below_values(row: OrgRow, kinds: list[Any]) -> tuple[Any, ...]:
    cells = []
    for kind in kinds:
        found = row.standings.get(kind)
        cells.append(
            texts.HELD_OF.format(held=found.held, required=found.required)
            if found
            else texts.NOT_REQUIRED
        )
    status = texts.BEHIND if row.behind else texts.ON_TRACK
    return (
        row.name,
        row.parent,
        row.kind.label,
        row.members,
        *cells,
        row.attendance,
        row.study_rate,
        status,
    )


def _mark_behind(sheet: Sheet, index: int, row: OrgRow, kinds: list[Any]) -> None:
    if not row.behind:
        return
    sheet.red |= {(index, 0), (index, len(sheet.columns) - 1)}
    for offset, kind in enumerate(kinds):
        found = row.standings.get(kind)
        if found is not None and found.behind:
            sheet.red.add((index, 4 + offset))


def ledger_file(ledger: Ledger, extra: Sequence[Sheet] = ()) -> LedgerFile:
    """The workbook of the ledger (and `extra` sheets after its own), with what its caption
    says."""
    sheets = [meetings_sheet(ledger), study_sheet(ledger), members_sheet(ledger)]
    if ledger.has_below:
        sheets.append(below_sheet(ledger))
    if ledger.has_floating:
        sheets.append(floating_sheet(ledger))
    sheets += extra
    return LedgerFile(
        org=ledger.org.name,
        period=ledger.period.label,
        span=ledger.period.span_text,
        filename=file_name(ledger.org.name, ledger.period.label),
        content=write_workbook(sheets),
        meetings=len(ledger.meetings),
        topics=len(ledger.topics),
        members=len({m.user_id for m in ledger.members}),
        below=len(ledger.below),
        behind=sum(1 for row in ledger.below if row.behind),
    )
