"""Issue 9: property-based tests of what users type and upload (Hypothesis).

Whatever the text, the parsers answer with the project's user-facing errors, never another
exception (which the bot would turn into "抱歉，刚才处理时出了点问题" and a logged error).
Derandomised (the same examples on every run, CI included), no deadline, a few hundred
examples each: about a second in all. The `@example`s are inputs that once crashed.
"""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bot.core.errors import InvalidInput
from bot.core.faq import FaqEntry, dump_entries_yaml, load_entries_from_yaml
from bot.core.faq.kb import clean_text
from bot.core.meeting_args import parse_meeting_args
from bot.core.study import PlanError, schedule_rules, validate_plan
from bot.core.study_fields import ALIASES, KEYS
from bot.core.study_files import read_plan
from bot.core.timeparse import MAX_AHEAD, TimeParseError, parse_meeting_time
from bot.services.faq_manage import decode_upload

FAST = settings(max_examples=200, deadline=None, derandomize=True, database=None)
SLOW = settings(max_examples=80, deadline=None, derandomize=True, database=None)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The configured zone, and zones at the ends of the offsets and with summer time.
ZONES = st.sampled_from(
    [SHANGHAI, ZoneInfo("UTC"), ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"),
     ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")]
)  # fmt: skip
NOWS = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2090, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Beijing


def pieces(text: str, separator: str = " ") -> list[str]:
    """A list written as one string, to keep the tables below short."""
    return text.split(separator)


# Pieces of what secretaries type, so that random texts come close to the grammar.
TIME_PIECES = [
    *pieces(
        "2026 2027 0001 9999 0000 12 5 05 1 0 00 3 7 13 24 25 30 59 60 99 - / . : ： 年 月 日 "
        "号 点 时 分 半 一刻 三刻 整 凌晨 早上 上午 中午 下午 傍晚 晚上 今天 明天 后天 "
        "大后天 今晚 明早 周 星期 礼拜 五 日 天 本 这 下 下下 个 （ ） ( ) 十 二十 三 两 "
        "〇 １２ 　 每月 第一个"
    ),
    *[" ", " ", "\u200b", "\u202e", "\n", "٣", "²"],
]
TIME_TEXTS = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(TIME_PIECES), max_size=14).map("".join),
)


@FAST
@given(text=TIME_TEXTS, now=NOWS, tz=ZONES)
@example(text="0001-01-01 00:00", now=NOW, tz=SHANGHAI)
@example(text="9999-12-31 23:59", now=NOW, tz=ZoneInfo("Pacific/Pago_Pago"))
def test_a_meeting_time_is_future_and_near_or_refused(text: str, now: datetime, tz: ZoneInfo):
    try:
        when = parse_meeting_time(text, now, tz)
    except TimeParseError:
        return
    assert when.tzinfo is not None
    assert now < when <= now + MAX_AHEAD
    assert when.utcoffset() == when.astimezone(tz).utcoffset()


@FAST
@given(now=NOWS, tz=ZONES, minutes=st.integers(1, int(MAX_AHEAD.total_seconds()) // 60))
def test_a_written_out_time_reads_back(now: datetime, tz: ZoneInfo, minutes: int) -> None:
    moment = now.replace(second=0, microsecond=0) + timedelta(minutes=minutes)
    local = moment.astimezone(tz)
    # Twice a year some zones show one wall time twice: written out, it is the first.
    assume(local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset())
    assert parse_meeting_time(f"{local:%Y-%m-%d %H:%M}", now, tz) == moment


MEETING_PIECES = ["支委会", "党课", "主题党日", "支部党员大会", "其他", "会议室", "#12", "议题"]


@FAST
@given(
    words=st.lists(
        st.one_of(st.sampled_from(MEETING_PIECES + TIME_PIECES), st.text(max_size=8)),
        max_size=10,
    ),
    now=NOWS,
)
@example(words=["支委会", "0001-01-01", "00:00"], now=NOW)
def test_meeting_arguments_are_read_or_refused(words: list[str], now: datetime) -> None:
    with contextlib.suppress(InvalidInput):
        parse_meeting_args(" ".join(words), now, SHANGHAI)


# -- study plans -----------------------------------------------------------------------------

PLAN_VALUES = st.one_of(
    st.text(max_size=12).map(lambda text: text.replace("\n", " ")),
    st.integers().map(str),
    st.sampled_from(
        pieces(
            "2026-12-04 09:00|2026-02-30|2026-12-04|2026-12-04 09:00:00|2026-13-01 09:00:00|"
            "0001-01-01 00:00|9999-12-31 23:59|2026-12-04T09:00:00+08:00|每月第一个周五 09:00|"
            "每月第九个周五 09:00|每年2月30日 9:00|发布后7天|发布后0天|发布后999天|7天|本组织|"
            "下级组织|~|null|true|.nan|-.inf|1e999|0x1F|[a, b]|[党员有哪些义务？, 如何发挥作用？]|"
            "{a: b}|[{question: 问, options: [甲, 乙], answer: 甲}]|"
            "[{question: 问, options: [甲]}]|"
            "!!binary aGVsbG8=|!!timestamp 2026-13-45|!!set {a, b}|!!python/object:os.system x|"
            "&x a|*x|'|\"|- a|? a|12:30:00|2001-12-14t21:59:43.10-05:00",
            "|",
        )
    ),
)
FIELDS = st.sampled_from([*KEYS, *KEYS, "题目", "unknown"])
TOPICS = st.lists(st.dictionaries(FIELDS, PLAN_VALUES, max_size=9), max_size=3)
VALID = {
    "title": "学习党章",
    "publish_at": "2026-12-04 09:00",
    "summary": "学习总纲。",
    "questions": "[党员有哪些义务？, 如何发挥作用？]",
    "deadline": "发布后7天",
}


def plan_yaml(topics: list[dict[str, str]]) -> str:
    """A plan file as a secretary writes it: values unquoted (YAML then reads dates)."""
    lines = ["topics:"]
    for topic in topics:
        values = VALID | topic
        lines += [
            f"  {'-' if n == 0 else ' '} {k}: {v}" for n, (k, v) in enumerate(values.items())
        ]
    return "\n".join(lines) + "\n"


def import_plan(name: str, content: bytes) -> None:
    """What /study import does with a file before storing it."""
    try:
        drafts = validate_plan(read_plan(name, content), NOW, SHANGHAI)
    except PlanError:
        return
    schedule_rules(drafts, {}, NOW, SHANGHAI)  # a valid plan can be scheduled


@SLOW
@given(topics=TOPICS)
@example(topics=[{"publish_at": "2026-02-30"}])
@example(topics=[{"publish_at": "9999-12-31 23:59"}])
def test_a_yaml_plan_is_imported_or_refused_with_its_lines(topics: list[dict[str, str]]) -> None:
    import_plan("plan.yaml", plan_yaml(topics).encode())


@SLOW
@given(text=st.text(max_size=200))
@example(text="[" * 1000)
def test_any_text_as_a_yaml_plan_is_refused_politely(text: str) -> None:
    import_plan("plan.yaml", text.encode())


@SLOW
@given(
    header=st.lists(st.sampled_from([*KEYS, *ALIASES, "", "列"]), min_size=1, max_size=9),
    rows=st.lists(st.lists(PLAN_VALUES, max_size=10), max_size=4),
)
def test_a_csv_plan_is_imported_or_refused_with_its_rows(
    header: list[str], rows: list[list[str]]
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    import_plan("plan.csv", buffer.getvalue().encode())


@SLOW
@given(content=st.binary(max_size=300), name=st.sampled_from(["p.xlsx", "p.csv", "p.yml", "p"]))
def test_any_bytes_as_a_plan_file_are_refused_politely(content: bytes, name: str) -> None:
    import_plan(name, content)


# -- FAQ base files (/faq import) ------------------------------------------------------------

ENTRY_VALUES = st.one_of(
    PLAN_VALUES,
    st.sampled_from(["[党费]", "[一, 二, 三]", "[[a]]", "[]", "", "dues-when", "Dues_When"]),
)
ENTRIES = st.lists(
    st.dictionaries(
        st.sampled_from(["id", "question", "phrasings", "keywords", "answer", "source", "x"]),
        ENTRY_VALUES,
        max_size=7,
    ),
    max_size=3,
)


def faq_yaml(entries: list[dict[str, str]]) -> str:
    """A base file written by hand: values unquoted."""
    lines = ["entries:"]
    for entry in entries or [{}]:
        pairs = list(entry.items()) or [("id", "x")]
        lines += [f"  {'-' if n == 0 else ' '} {k}: {v}" for n, (k, v) in enumerate(pairs)]
    return "\n".join(lines) + "\n"


def import_faq(content: bytes) -> None:
    """What /faq import does with a file before storing it."""
    with contextlib.suppress(InvalidInput):  # FaqFormatError is one
        load_entries_from_yaml(decode_upload(content), filename="faq.yaml", org_id=1)


@SLOW
@given(entries=ENTRIES)
def test_a_faq_file_is_imported_or_refused_with_its_lines(entries: list[dict[str, str]]) -> None:
    import_faq(faq_yaml(entries).encode())


@SLOW
@given(content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
@example(content=b"entries:\n" + b"- " * 1000 + b"x")
def test_any_bytes_as_a_faq_file_are_refused_politely(content: bytes) -> None:
    import_faq(content)


# Letters, digits, punctuation and symbols of any script, and spaces (a loaded text is
# stripped, without spaces between Chinese characters: so are the generated ones).
CHARACTERS = st.one_of(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S")), st.sampled_from(" 　")
)
TEXTS = st.text(CHARACTERS, min_size=1, max_size=30).filter(lambda t: clean_text(t) == t)
FAQ_ENTRIES = st.builds(
    FaqEntry,
    id=st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    question=TEXTS,
    phrasings=st.lists(TEXTS, min_size=3, max_size=4).map(tuple),
    keywords=st.lists(TEXTS, min_size=1, max_size=3).map(tuple),
    answer=TEXTS,
    source=TEXTS,
)


@settings(SLOW, max_examples=40)
@given(entries=st.lists(FAQ_ENTRIES, max_size=3, unique_by=lambda entry: entry.id))
def test_an_exported_base_reads_back_unchanged(entries: list[FaqEntry]) -> None:
    assert load_entries_from_yaml(dump_entries_yaml(entries), filename="f") == entries
