"""One spelling per organisation name, and what /bind's arguments say."""

from __future__ import annotations

import pytest

from bot.core.binding import parse_bind_args
from bot.core.domain import Domain
from bot.core.names import clean_org_name


@pytest.mark.parametrize(
    "spelling",
    [
        "城关镇党委",
        "城关镇\u200b党委",  # zero-width space
        "城关镇\u200d党委",  # zero-width joiner
        "城关镇\ufeff党委",  # byte-order mark
        "城关镇\u2060党委",  # word joiner
        "城关镇\u00ad党委",  # soft hyphen
        " 城关镇  党委 ",
        "城关镇\u3000党委",  # ideographic space
    ],
)
def test_invisible_differences_fold_away(spelling: str) -> None:
    assert clean_org_name(spelling) == "城关镇党委"


def test_width_and_look_alike_letters_fold() -> None:
    assert clean_org_name("第１党支部") == "第1党支部"
    assert clean_org_name("ＸＸ村党支部") == "XX村党支部"
    assert clean_org_name("АВС公司党支部") == "ABC公司党支部"  # Cyrillic А, В, С
    assert clean_org_name("ABC Tech 党支部") == "ABC Tech党支部"  # a space between words stays


def test_bind_args() -> None:
    assert parse_bind_args("城关镇第一党支部 机关") == parse_bind_args("城关镇第一党支部  机关")
    args = parse_bind_args("城关镇第一党支部 机关 k7m2q9xd")
    assert (args.name, args.domain, args.code) == ("城关镇第一党支部", Domain.ORGAN, "K7M2Q9XD")
    assert parse_bind_args("K7M2Q9XD").code == "K7M2Q9XD"
    assert parse_bind_args("城关镇 党委").name == "城关镇党委"
    assert parse_bind_args("机关").domain is None  # a name on its own is a name
    assert parse_bind_args("第一支部 K7M2Q9X0").code is None  # 0 is never in a code
