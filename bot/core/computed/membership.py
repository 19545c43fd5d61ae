"""Dates of joining the Party: 发展对象, 预备期满, 党龄 (and the 50-year medal), the path from
入党申请 to 预备党员.

Rules: 党章 第五条 (the steps) and 第七条 (预备期 one year from the 支部大会; extension at
most a year; 党龄 from the day the 预备期 ends and the member becomes full); 发展党员工作细则
第十三条 (发展对象 after more than a year as 积极分子), 第十七条 (training, at least 3 days or
24 学时), 第三十二条 (one extension, at least half a year and at most a year); 中办
《关于做好“光荣在党50年”纪念章颁发工作的通知》 (2021: 党龄 of 50 years, usually given at 七一).
Only what these rules fix is computed; what the branch decides is said to be the branch's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.core.computed.dates import Day, Found, add_months, add_years, full_years
from bot.core.computed.numbers import chinese_integer
from bot.core.computed.result import Computed

CHARTER = "《中国共产党章程》"
RULES = "《中国共产党发展党员工作细则》"
MEDAL = "中共中央办公厅《关于做好“光荣在党50年”纪念章颁发工作的通知》（2021年）"

_WHEN = re.compile(
    "哪天|几号|几月|哪年|哪一年|什么时候|啥时候|何时|多会儿|几时|哪一天|日期|最快|最早|多久|多长时间"
    "|能不能|能否|可以|可不可以|能当|能列|能成|能拿|能领|吗|几年|多少年|怎么算|咋算|算一下|算算"
)
_PROBATION_WHEN = re.compile("满|到期|结束|转正|哪天|几号|什么时候|啥时候|何时|多会儿|几时|哪一天")
_EXACT_WHEN = re.compile("哪天|几号|什么时候|啥时候|何时|多会儿|几时|哪一天")
_YEARS_ASKED = re.compile(
    "几年|多少年|多久|多长|能不能|能否|能拿|能领|可以领|可以拿|够不够|够了吗|满了吗"
)
_PERSONAL = re.compile("我|俺|本人|我爸|我妈|父亲|母亲|爷爷|奶奶|外公|外婆|老人")
_ADMITTED = re.compile("入党|入的党|加入|预备党员|支部大会通过|被批准|批准")
_CONFIRMED = re.compile("转正|转为正式|正式党员")
_EXTENSION_RE = re.compile(
    r"延长(?:了)?(?:预备期)?(?:了)?(半年|一年|\d{1,3}个?月|[一二两三四五六七八九十]{1,3}个月|\d{1,2}年)"
)
_MEDAL = re.compile("纪念章|在党50年|50年党龄|党龄50|五十年")


@dataclass(frozen=True, slots=True)
class Question:
    """A folded question, the dates found in it (in order) and today."""

    text: str
    dates: list[Found]
    today: date

    def date_after(self, words: re.Pattern[str]) -> Found | None:
        """The first date followed by one of `words` before the next date (a few characters
        at most): in 1975年入党1976年转正, 转正 belongs to 1976."""
        for n, found in enumerate(self.dates):
            stop = self.dates[n + 1].start if n + 1 < len(self.dates) else len(self.text)
            if words.search(self.text[found.end : min(stop, found.end + 8)]):
                return found
        return None


def _remaining(target: Day, today: date) -> str:
    if target.exact and target.earliest() > today:
        return f"（距今天还有{(target.earliest() - today).days}天）"
    if target.latest() <= today:
        return "（按日期算现在已经满了）"
    return ""


# 发展对象 ---------------------------------------------------------------------------------

CANDIDATE_RULE = (
    "对经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，在听取党小组、培养联系人、"
    "党员和群众意见的基础上，支部委员会讨论同意并报上级党委备案后，可列为发展对象"
)
CANDIDATE_SOURCE = f"{RULES}第十三条"


def answer_candidate(q: Question) -> Computed | None:
    """`2025年5月10日确定为积极分子 什么时候能当发展对象` -> 2026年5月10日 at the earliest."""
    if "发展对象" not in q.text or "积极分子" not in q.text or not _WHEN.search(q.text):
        return None
    if not q.dates:
        if not _PERSONAL.search(q.text):
            return None
        ask = "请告诉我您被确定为入党积极分子的日期（例如2025年5月10日），我帮您算。"
        return Computed("candidate-date", f"{CANDIDATE_RULE}。\n{ask}", CANDIDATE_SOURCE, False)
    start = q.dates[0].day
    earliest = add_years(start, 1)
    answer = (
        f"{start}被确定为入党积极分子，培养教育和考察满一年是{earliest}"
        f"{_remaining(earliest, q.today)}，最早从这时起可以列为发展对象。"
        f"满一年只是最早时间，能否列为、何时列为，由支部委员会讨论决定并报上级党委备案。\n"
        f"规定：{CANDIDATE_RULE}。"
    )
    return Computed("candidate-date", answer, CANDIDATE_SOURCE)


# 预备期满 ---------------------------------------------------------------------------------

PROBATION_RULE = (
    "预备党员的预备期为一年，从支部大会通过其为预备党员之日算起；"
    "需要继续考察和教育的，可以延长一次预备期，延长时间不能少于半年，最长不超过一年"
)
PROBATION_SOURCE = f"{CHARTER}第七条"
EXTENSION_SOURCE = f"{CHARTER}第七条；{RULES}第三十二条"


def extension_months(text: str) -> int | None:
    """延长了半年 -> 6, 延长一年 -> 12, 延长8个月 -> 8; None when none is mentioned."""
    match = _EXTENSION_RE.search(text)
    if match is None:
        return None
    word = match[1]
    if word == "半年":
        return 6
    figure = word.rstrip("个月年")
    value = int(figure) if figure.isdigit() else chinese_integer(figure)
    if value is None:
        return None
    return value * 12 if word.endswith("年") and "月" not in word else value


def answer_probation(q: Question) -> Computed | None:
    """`2025年7月1日支部大会通过我为预备党员 啥时候转正` -> 2026年7月1日."""
    about = "预备期" in q.text or _ADMITTED.search(q.text) or "转正" in q.text
    if not about or "申请" in q.text or "党龄" in q.text or not _PROBATION_WHEN.search(q.text):
        return None
    extension = extension_months(q.text)
    source = EXTENSION_SOURCE if extension else PROBATION_SOURCE
    if not q.dates:
        if not (_PERSONAL.search(q.text) and _EXACT_WHEN.search(q.text)):
            return None
        ask = "请告诉我支部大会通过您为预备党员的日期（例如2025年7月1日），我帮您算。"
        return Computed("probation-end", f"{PROBATION_RULE}。\n{ask}", source, False)
    if extension is not None and not 6 <= extension <= 12:
        answer = f"延长{extension}个月不符合规定。{PROBATION_RULE}。"
        return Computed("probation-end", answer, source, False)
    found = q.dates[0]
    original = "原" in q.text[max(0, found.start - 4) : found.start]
    end = found.day if original else add_years(found.day, 1)
    lines = []
    if not original:
        lines.append(
            f"支部大会{found.day}通过为预备党员，预备期一年，到{end}期满{_leap(found.day)}"
        )
    if extension:
        end = add_months(end, extension)
        before = f"原定{found.day}期满，" if original else ""
        lines.append(f"{before}延长{extension}个月后，到{end}期满")
    lines[-1] += _remaining(end, q.today) + "。"
    answer = "；".join(lines) + (
        f"按期转正的，转为正式党员之日就是{end}，党龄从这天算起。"
        "是否转正由支部大会讨论通过、上级党组织批准。"
        f"\n规定：{PROBATION_RULE}。"
    )
    return Computed("probation-end", answer, source)


def _leap(day: Day) -> str:
    if day.month == 2 and day.day == 29:
        return "（次年没有2月29日，按2月28日计）"
    return ""


# 党龄 -------------------------------------------------------------------------------------

AGE_RULE = "党员的党龄，从预备期满转为正式党员之日算起；预备期不计入党龄"
MEDAL_RULE = "“光荣在党50年”纪念章颁发给党龄达到50周年、一贯表现良好的党员，一般每年“七一”集中颁发"


def answer_party_age(q: Question) -> Computed | None:
    """`2020年10月转正的，党龄多少年` -> 6年; `我爸1976年入党的 能拿50年纪念章吗`."""
    medal = bool(_MEDAL.search(q.text))
    if not (medal or "党龄" in q.text) or not _WHEN.search(q.text):
        return None
    source = f"{CHARTER}第七条" + (f"；{MEDAL}" if medal else "")
    rule = AGE_RULE + ("。" + MEDAL_RULE if medal else "")
    confirmed = q.date_after(_CONFIRMED)
    admitted_at = q.date_after(_ADMITTED)
    if confirmed is None and admitted_at is None:
        if not (_PERSONAL.search(q.text) and _YEARS_ASKED.search(q.text)):
            return None  # 今年满50年…: no date of joining to count from
        ask = "请告诉我您转为正式党员的日期（或支部大会通过您为预备党员的日期），我帮您算。"
        return Computed("party-age", f"{rule}。\n{ask}", source, False)
    if confirmed is not None:
        full, lead = confirmed.day, f"{confirmed.day}转为正式党员，党龄从这天算起"
    else:
        assert admitted_at is not None
        admitted = admitted_at.day
        full = add_years(admitted, 1)
        lead = f"{admitted}入党（成为预备党员）的，如按期转正，{full}转为正式党员，党龄从这天算起"
    parts = [lead, _age_now(full, q.today)]
    if medal:
        parts.append(_medal(full, q))
    answer = "；".join(parts) + f"。\n规定：{rule}。"
    return Computed("party-age", answer, source)


def _age_now(full: Day, today: date) -> str:
    if full.earliest() > today:
        return "现在还没有转正，还没有党龄"
    low, high = full_years(full.latest(), today), full_years(full.earliest(), today)
    if low == high:
        return f"到今天（{today.year}年{today.month}月{today.day}日）党龄满{low}年"
    return f"到今天党龄满{low}年；转正日若在{today.month}月{today.day}日或之前，则已满{high}年"


def _medal(full: Day, q: Question) -> str:
    fifty = add_years(full, 50)
    later = [f.day for f in q.dates[1:] if f.day.year > full.year]
    if later:  # "2027年能领吗": judged at that year's 七一
        cutoff = date(later[0].year, 7, 1)
        when = f"截至{later[0].year}年7月1日"
    else:
        cutoff, when = q.today, "到今天"
    if fifty.latest() <= cutoff:
        verdict = (
            f"{when}已满50年，符合党龄条件；纪念章由所在党组织统计上报，一般在“七一”颁发，"
            "没领到的可以问所在党组织"
        )
    elif fifty.earliest() > cutoff:
        verdict = f"{when}还不满50年；满50年后由所在党组织统计上报，一般在“七一”集中颁发"
    else:
        verdict = f"{when}是否满50年要看具体的转正日期"
    return f"党龄在{fifty}满50年，{verdict}"


# 入党申请 -> 预备党员 ----------------------------------------------------------------------

TIMELINE_STEPS = (
    "1. 党组织收到入党申请书后，一个月内派人谈话；\n"
    "2. 支部委员会从入党申请人中确定入党积极分子，报上级党委备案"
    "（何时确定，规定没有固定期限，由支部决定）；\n"
    "3. 积极分子经过一年以上培养教育和考察，支部委员会讨论同意、报上级党委备案后列为发展对象；\n"
    "4. 发展对象要有两名正式党员作入党介绍人，经过政治审查、"
    "短期集中培训（一般不少于3天或24个学时）、"
    "支部委员会审查、基层党委预审，填写入党志愿书，支部大会讨论通过，上级党委派人谈话、审批；"
    "这些环节规定没有统一的最短时间；\n"
    "5. 支部大会通过之日起为预备期，一年。"
)
TIMELINE_SOURCE = f"{CHARTER}第五条、第七条；{RULES}第十三条、第十七条"
_APPLIED = re.compile("申请|递交|提交|交的申请|写的申请")
_TARGET = re.compile("预备党员|入党|党员")


def answer_timeline(q: Question) -> Computed | None:
    """`2026年3月递交的入党申请，最快哪年能成预备党员` -> not before 2027年3月."""
    goal = q.text.replace("入党申请", "申请")  # 入党申请书交上去多久谈话: no goal named
    if not _APPLIED.search(q.text) or not _TARGET.search(goal) or "发展对象" in q.text:
        return None
    if not _WHEN.search(q.text) or "转正" in q.text or "党龄" in q.text:
        return None
    if not q.dates:
        if not _PERSONAL.search(q.text):
            return None
        ask = "请告诉我您递交入党申请书的日期，我帮您算最早的时间。"
        answer = f"从递交入党申请到成为预备党员：\n{TIMELINE_STEPS}\n{ask}"
        return Computed("membership-timeline", answer, TIMELINE_SOURCE, False)
    applied = q.dates[0].day
    year_later = add_years(applied, 1)
    answer = (
        f"{applied}递交入党申请，即使当即被确定为入党积极分子，也要培养考察满一年，"
        f"到{year_later}才可能列为发展对象，所以最早也要在{year_later}之后"
        f"（即{year_later.year}年或更晚）才能被接收为预备党员，"
        f"实际时间取决于支部何时确定积极分子和各环节的进度。\n{TIMELINE_STEPS}"
    )
    return Computed("membership-timeline", answer, TIMELINE_SOURCE)
