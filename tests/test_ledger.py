"""The ledger on both databases: a small county's workbook, hostile text, the CLI."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot.core.clock import FakeClock
from bot.core.errors import InvalidInput, NotFound, NotYourOrganisation
from bot.core.ledger_rows import LedgerFile
from bot.core.sandbox import Budget
from bot.core.spreadsheet import FORMULA_STARTS, Column, Kind, Sheet, safe_text, write_workbook
from bot.services.access import AccessService, Actor, Place
from bot.services.ledger_service import LedgerService
from bot.services.members import Person
from bot.texts import ledger as texts
from storage.db import Database, create_engine
from storage.snapshot import read_only_session
from tests.ledger_seed import COUNTY, SHANGHAI, Sizes, seed_county

SUPERADMIN = 42
NEW_YEARS_EVE = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
SIZES = Sizes(orgs=30, members=300)


async def _not_admin(_chat: int, _user: int) -> bool:
    return False


@pytest.fixture
async def county(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[LedgerService]:
    """A seeded small county and the ledger service over it, on New Year's Eve."""
    async with sessions.begin() as session:
        await seed_county(await session.connection(), SIZES)
    database = Database(create_engine(database_url))
    access = AccessService(frozenset({SUPERADMIN}), _not_admin)
    yield LedgerService(database, FakeClock(NEW_YEARS_EVE), access, SHANGHAI)
    await database.dispose()


def privately(user_id: int) -> Actor:
    return Actor(Person(user_id, None, "某人"), Place(user_id))


async def export(service: LedgerService, args: str, user: int = SUPERADMIN) -> LedgerFile:
    result = await service.export(privately(user), args)
    assert isinstance(result, LedgerFile)
    return result


def workbook(ledger: LedgerFile) -> Workbook:
    return load_workbook(io.BytesIO(ledger.content))


async def test_a_county_ledger_has_every_sheet_and_marks_those_behind(
    county: LedgerService,
) -> None:
    ledger = await export(county, f"2026年 {COUNTY}")
    assert ledger.filename == f"台账_{COUNTY}_2026年.xlsx"
    book = workbook(ledger)
    assert book.sheetnames == ["会议台账", "学习台账", "党员", "下级组织"]
    below = book["下级组织"]
    assert below.max_row - 2 == SIZES.orgs - 1 == ledger.below
    header = [cell.value for cell in below[2]]
    assert header[:4] == ["组织", "上级组织", "类别", "党员数"]
    assert "支部党员大会（召开/应开）" in header
    assert "组织生活会（召开/应开）" in header  # a year holds the yearly requirements
    rows = {row[0].value: row for row in below.iter_rows(min_row=3)}
    status = header.index("状态")
    behind = rows["第4党支部"]  # skipped its second-quarter 大会 and two 支委会
    assert behind[status].value == "落后"
    assert behind[0].fill.fgColor.rgb.endswith("FFC7CE")
    assert behind[header.index("支部党员大会（召开/应开）")].value == "3/4"
    assert behind[header.index("支委会（召开/应开）")].value == "10/12"
    assert rows["第2党支部"][status].value == "达标"
    assert rows["第1党支部第1党小组"][header.index("党小组会（召开/应开）")].value == "12/12"
    assert ledger.behind == sum(1 for row in rows.values() if row[status].value == "落后")
    meetings = book["会议台账"]
    assert meetings.max_row - 2 == ledger.meetings
    assert meetings["A2"].value == "组织"  # the county's ledger names each meeting's organisation
    assert meetings["L3"].number_format == "0.0%"  # 出勤率, after the 组织 column
    assert 17 <= meetings.column_dimensions["B"].width < 18  # dates (Excel adds its padding)
    assert meetings.column_dimensions["A"].width >= 2 * len("第1党支部第1党小组")  # Chinese text
    study = book["学习台账"]
    header = [cell.value for cell in study[2]]
    assert header == [
        "组织",
        "主题",
        "发布",
        "截止",
        "应学",
        "已学习",
        "其中补学",
        "完成率",
        "测验平均分",
    ]
    assert study.max_row - 2 == ledger.topics > 0
    for row in study.iter_rows(min_row=3, values_only=True):
        _, _, published, deadline, expected, studied, makeup, rate, quiz = row
        assert isinstance(published, datetime)
        assert deadline > published
        assert 0 <= makeup <= studied <= expected
        assert rate == pytest.approx(studied / expected)
        assert 0 <= quiz <= 100


def _cells(book: Workbook) -> list[Any]:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


async def test_no_user_text_can_become_a_formula(county: LedgerService) -> None:
    book = workbook(await export(county, f"2026年 {COUNTY}"))
    risky = 0
    for cell in _cells(book):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            risky += 1
            assert cell.quotePrefix, (cell.parent.title, cell.coordinate, cell.value)
    assert risky > 10  # hostile names, reasons and agendas were there to be escaped


def test_safe_text_drops_what_xml_cannot_carry() -> None:
    assert safe_text("=1+2") == ("=1+2", True)
    assert safe_text("\t=x") == ("\t=x", True)
    assert safe_text("\r\n=x") == ("\n=x", True)
    assert safe_text("出差\r\n三天") == ("出差\n三天", False)
    assert safe_text("张三") == ("张三", False)
    assert safe_text("a\x00b\x1bc") == ("abc", False)
    assert len(safe_text("长" * 40_000)[0]) == 32_767


async def test_refusals_and_choices(county: LedgerService) -> None:
    with pytest.raises(NotFound, match="这个期间没有会议"):
        await export(county, f"2025年 {COUNTY}")
    with pytest.raises(NotYourOrganisation):
        await export(county, f"2026年 {COUNTY}", user=1005)  # a plain member
    # A branch's secretary (the seed makes the first three of each branch secretaries).
    own = await export(county, "2026年第4季度", user=1000)
    assert own.org == "第1党支部"
    assert own.below == 2  # its two 党小组
    with pytest.raises(InvalidInput, match="请在命令后写明组织名称"):  # a superadmin holds no post
        await county.export(privately(SUPERADMIN), "2026Q4")


async def test_the_snapshot_refuses_writes(database_url: str, county: LedgerService) -> None:
    async with read_only_session(database_url) as session:
        with pytest.raises(DBAPIError):
            await session.execute(text("DELETE FROM meetings"))


def test_the_cli_writes_the_file_or_says_why_in_one_line(
    county: LedgerService,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "county.xlsx"
    assert (
        main(["ledger", "export", "--org", COUNTY, "--period", "2026Q4", "--out", str(out)]) == 0
    )
    assert "county.xlsx" in capsys.readouterr().out
    assert load_workbook(out).sheetnames[-1] == "下级组织"
    for args, expected in (
        (["--org", "没有这个组织", "--period", "2026Q4"], "没有找到组织"),
        (["--org", COUNTY, "--period", "明年"], "看不懂期间"),
        (["--org", COUNTY, "--period", "2025年"], "这个期间没有会议"),
    ):
        assert main(["ledger", "export", *args, "--out", str(tmp_path / "x.xlsx")]) == 1
        error = capsys.readouterr().err
        assert expected in error
        assert error.count("\n") == 1, error
    assert not (tmp_path / "x.xlsx").exists()


async def test_a_ledger_past_its_budget_gets_a_clear_reply(county: LedgerService) -> None:
    """A county too big for the budget (here: a budget too small for any) is refused in
    Chinese, and the bot goes on."""
    county.budget = Budget(seconds=0.3)
    with pytest.raises(InvalidInput) as caught:
        await export(county, f"2026年 {COUNTY}")
    assert caught.value.message == texts.TOO_BIG


def test_every_formula_start_is_written_as_quoted_text() -> None:
    hostile = ["=1+2", "+86", "-3", "@SUM(A1)", "\t=cmd", "\r=2", " =2", '=HYPERLINK("x")']
    sheet = Sheet("会议台账", "标题", [Column("议题"), Column("人数", Kind.INT)])
    sheet.rows = [(text, 1) for text in [*hostile, "张三", "1+1"]]
    book = load_workbook(io.BytesIO(write_workbook([sheet])))
    cells = [row[0] for row in book["会议台账"].iter_rows(min_row=3)]
    written = [text.replace("\r", "\n") for text in hostile]  # a CR is a line break
    assert [cell.value for cell in cells] == [*written, "张三", "1+1"]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.quotePrefix for cell in cells] == [True] * len(hostile) + [False, False]
