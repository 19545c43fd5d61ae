"""Hostile uploads through the services: refused in Chinese, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot.core.clock import FakeClock
from bot.core.domain import Domain, OrgKind
from bot.core.errors import InvalidInput
from bot.core.faq import FaqFormatError
from bot.services import faq_manage, study
from storage.repositories import DeliveryRepo, OrganisationRepo
from storage.repositories.faq import FaqEntryRepo
from storage.repositories.study import StudyRepo
from tests import hostile_files as hostile

TZ = ZoneInfo("Asia/Shanghai")
Sessions = async_sessionmaker[AsyncSession]
ALIASES = "不支持 YAML 锚点和别名（& 和 *），请把内容直接写出来"
VALID_TOPIC = """\
topics:
  - title: 学习党章
    publish_at: 2026-12-05 09:00
    summary: 学习党章总纲。
    questions: [一, 二]
    deadline: 发布后7天
"""
VALID_ROW = (
    "title,publish_at,summary,questions,deadline\n学习党章,2026-12-05 09:00,总纲,一;二,7天\n"
)

HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("alias-bomb.yaml", hostile.alias_bomb_yaml, f"第1行：{ALIASES}"),
    (
        "valid-then-alias.yaml",
        lambda: (VALID_TOPIC + "  - title: &x 坏\n    summary: *x\n").encode(),
        f"第7行：{ALIASES}",
    ),
    ("deep.yaml", hostile.deep_yaml, "第2行：嵌套层数太多（最多32层）"),
    ("rows-550k.xlsx", hostile.many_rows_xlsx, "表格太大：工作表解压后超过4MB"),
    ("rows-5k.xlsx", lambda: hostile.many_rows_xlsx(5_000), "文件行数太多：最多1000行"),
    ("valid-then-rows.csv", lambda: (VALID_ROW * 1_000).encode(), "文件行数太多：最多1000行"),
    ("zip-bomb.xlsx", lambda: hostile.zip_bomb_xlsx(64), "Excel 文件解压后超过4MB"),
    ("junk.xlsx", hostile.junk_xml_xlsx, "无法读取这个 Excel 文件"),
    ("too-big.yaml", lambda: VALID_TOPIC.encode() + b"#" * 1_000_000, "文件太大了"),
]


@pytest.fixture
async def org_id(sessions: Sessions, clock: FakeClock) -> int:
    async with sessions.begin() as session:
        org = await OrganisationRepo(session).create(
            name="第一党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=clock.now()
        )
    return org.id


@pytest.mark.parametrize(("filename", "make", "error"), HOSTILE, ids=[c[0] for c in HOSTILE])
async def test_a_hostile_plan_is_refused_and_nothing_is_stored(
    sessions: Sessions,
    org_id: int,
    clock: FakeClock,
    filename: str,
    make: Callable[[], bytes],
    error: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        async with sessions.begin() as session:
            await study.import_plan(session, org_id, 10, (filename, make()), clock.now(), TZ)
    assert "计划文件有1处错误，没有导入任何主题：\n" + error in str(caught.value)
    async with sessions.begin() as session:
        assert await StudyRepo(session).upcoming([org_id]) == []
        assert await DeliveryRepo(session).with_prefix("") == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (hostile.faq_alias_bomb_yaml().decode(), f"第1行：{ALIASES}"),
        (hostile.deep_yaml(key="entries").decode(), "第2行：嵌套层数太多（最多32层）"),
    ],
    ids=["alias-bomb", "deep"],
)
async def test_a_hostile_faq_base_is_refused_and_nothing_is_stored(
    sessions: Sessions, org_id: int, clock: FakeClock, text: str, error: str
) -> None:
    with pytest.raises(FaqFormatError) as caught:
        async with sessions.begin() as session:
            await faq_manage.import_yaml(
                session, org_id, text, filename="bomb.yaml", by=1, now=clock.now()
            )
    assert [str(issue) for issue in caught.value.issues] == [error]
    async with sessions.begin() as session:
        assert await FaqEntryRepo(session).count(org_id) == 0


def test_the_orgs_cli_refuses_an_alias_bomb_and_changes_nothing(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    tree = tmp_path / "orgs.yaml"
    tree.write_text("- name: &x 党委\n  kind: 党委\n  domain: 机关\n", encoding="utf-8")
    assert main(["orgs", "import", str(tree)]) == 1
    assert f"第1行：{ALIASES}" in capsys.readouterr().err
    assert main(["orgs", "list"]) == 0
    assert "No organisations yet" in capsys.readouterr().out


def test_faq_check_refuses_an_alias_bomb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "bomb.yaml"
    base.write_bytes(hostile.faq_alias_bomb_yaml())
    assert main(["faq", "check", str(base)]) == 1
    assert f"第1行：{ALIASES}" in capsys.readouterr().err
