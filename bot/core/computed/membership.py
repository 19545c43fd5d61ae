"""Dates of joining the Party: 发展对象, 预备期满, the path from 入党申请 to 预备党员 (党龄 and
the 50-year medal: party_age).

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

from bot.core.computed.dates import Day, Found, add_months, add_years
from bot.core.computed.numbers import chinese_integer
from bot.core.computed.result import Computed

CHARTER = "《中国共产党章程》"
RULES = "《中国共产党发展党员工作细则》"

STOP = "[^，。？！?!,；;]"  # a window that does not cross a clause
WHEN = (
    "哪天|几号|几月|哪个月|哪年|哪一年|什么时候|啥时候|何时|多会儿|几时|哪一天|日期|最快|最早"
    "|多久|多长时间|还要多久|还有多久|还差多久|还有几天|还差几天"
)
_EXACT_WHEN = re.compile("哪天|几号|什么时候|啥时候|何时|多会儿|几时|哪一天")
# Each kind answers one question: when (or whether yet) its event comes. A date and the
# kind's words with another question (培训要几天, 什么时候宣誓) are not it.
_CANDIDATE_ASKED = re.compile(
    rf"(?:{WHEN}){STOP}{{0,8}}发展对象"
    rf"|发展对象{STOP}{{0,6}}(?:哪天|几号|几月|哪年|什么时候|啥时候|何时|最快|最早)"
    # 积极分子…哪天够一年: the year a 发展对象 needs, without the word (一 is a digit by now).
    rf"|(?:{WHEN}){STOP}{{0,4}}(?:满|够)1年|(?:满|够)1年{STOP}{{0,3}}(?:吗|了没|没有|没|不)"
)
_YEAR_AS_ACTIVIST = re.compile("(?:满|够)1年")
_PROBATION_TARGET = "满|转正|到期|结束|正式党员|预备期|延长"
_PROBATION_ASKED = re.compile(
    rf"(?:{WHEN}){STOP}{{0,6}}(?:{_PROBATION_TARGET})"
    rf"|(?:{_PROBATION_TARGET}){STOP}{{0,6}}(?:{WHEN})"
    rf"|到(?:{WHEN})|满了(?:吗|没)|满没满|到期了(?:吗|没)|到没到期|到期没|够一年了(?:吗|没)"
)
# "Can I" asks when only with a time to judge at (现在, 明年, a second date): 能转正了吗 is
# about the date, 在外地打工能转正吗 or 学历低能列为发展对象吗 about something else.
_CAN = "能不能|能否|可不可以|可以|能|够"
_CANDIDATE_CAN = re.compile(rf"(?:{_CAN}){STOP}{{0,6}}发展对象")
_PROBATION_CAN = re.compile(rf"(?:{_CAN}){STOP}{{0,4}}转正")
_TIME_CUE = re.compile(
    "了吗|了没|现在|目前|今年|明年|这个月|下个月|年底|月底|按时|按期|到时候|够不够|满|够"
)
_ORIGINAL = re.compile("原|本来|本应|先前|之前")  # 本来2026年1月到期: the end before the extension
PROCEDURE = re.compile(
    "材料|手续|需要什么|要什么|准备什么|怎么写|谁批|找谁|去哪|哪里|在哪|流程|程序|培训|谈话|政审"
    "|公示|宣誓|介绍人|考察什么|考察内容|表现|条件|待遇|补贴|提前"
    # What follows the end (满后多久开支部大会) is another question than when it ends.
    "|满后|满了以后|到期后|到期以后|转正后|之后多久|以后多久"
)
_ACTIVIST = re.compile("确定|定为|积极分子|列为|当上|成为")
PERSONAL = re.compile("我|俺|本人|我爸|我妈|父亲|母亲|爷爷|奶奶|外公|外婆|老人")
ADMITTED = re.compile("入党|入的党|加入|预备党员|支部大会通过|被批准|批准")
_EXTENSION_RE = re.compile(
    r"延长(?:了)?(?:预备期)?(?:了)?(半年|一年|\d{1,3}个?月|[一二两三四五六七八九十]{1,3}个月|\d{1,2}年)"
)


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


def _can_when(q: Question, can: re.Pattern[str]) -> bool:
    """能…转正 / 能…发展对象 with a time to judge at."""
    return bool(can.search(q.text)) and (len(q.dates) > 1 or bool(_TIME_CUE.search(q.text)))


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
    if "积极分子" not in q.text or not ("发展对象" in q.text or _YEAR_AS_ACTIVIST.search(q.text)):
        return None
    asked = _CANDIDATE_ASKED.search(q.text) or _can_when(q, _CANDIDATE_CAN)
    if not asked or PROCEDURE.search(q.text):
        return None
    if not q.dates:
        if not PERSONAL.search(q.text):
            return None
        ask = "请告诉我您被确定为入党积极分子的日期（例如2025年5月10日），我帮您算。"
        return Computed("candidate-date", f"{CANDIDATE_RULE}。\n{ask}", CANDIDATE_SOURCE, False)
    found = q.date_after(_ACTIVIST) or (q.dates[0] if len(q.dates) == 1 else None)
    if found is None:
        return None  # two dates, neither that of the 积极分子: not guessed
    start = found.day
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
    about = "预备期" in q.text or ADMITTED.search(q.text) or "转正" in q.text
    if not about or "申请" in q.text or "党龄" in q.text or PROCEDURE.search(q.text):
        return None
    if not (_PROBATION_ASKED.search(q.text) or _can_when(q, _PROBATION_CAN)):
        return None
    extension = extension_months(q.text)
    source = EXTENSION_SOURCE if extension else PROBATION_SOURCE
    if not q.dates:
        if not (PERSONAL.search(q.text) and _EXACT_WHEN.search(q.text)):
            return None
        ask = "请告诉我支部大会通过您为预备党员的日期（例如2025年7月1日），我帮您算。"
        return Computed("probation-end", f"{PROBATION_RULE}。\n{ask}", source, False)
    if extension is not None and not 6 <= extension <= 12:
        answer = f"延长{extension}个月不符合规定。{PROBATION_RULE}。"
        return Computed("probation-end", answer, source, False)
    found = q.dates[0]
    original = bool(_ORIGINAL.search(q.text[max(0, found.start - 4) : found.start]))
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
    if not lines:  # 原定2026年3月期满, no extension named: that date is the end
        lines.append(f"预备期到{end}期满")
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
_APPLIED_AT = re.compile("申请|递交|提交|交的|交上|交了|写的")
_TARGET = "预备党员|入党|党员"
_TIMELINE_ASKED = re.compile(
    rf"(?:{WHEN}){STOP}{{0,10}}(?:{_TARGET})|(?:{_TARGET}){STOP}{{0,6}}(?:{WHEN})"
)
# 明年能入党吗 asks when; 信教可以入党吗 asks whether: "can" counts only with a second date.
_TIMELINE_CAN = re.compile(
    rf"(?:能不能|能否|可不可以|可以|能){STOP}{{0,6}}(?:入党|成为预备党员|成为党员|当上党员)"
)
# The path is the answer; a question on one step of it (谈话, 写申请) or on who may apply is not.
_TIMELINE_OTHER = re.compile(
    "谈话|材料|手续|怎么写|找谁|交给谁|去哪|哪里|在哪|条件|年龄|多大|宣誓|介绍人|政审|公示"
)


def answer_timeline(q: Question) -> Computed | None:
    """`2026年3月递交的入党申请，最快哪年能成预备党员` -> not before 2027年3月."""
    goal = q.text.replace("入党申请", "申请")  # 入党申请书交上去多久谈话: no goal named
    asked = _TIMELINE_ASKED.search(goal) or (len(q.dates) > 1 and _TIMELINE_CAN.search(goal))
    if not _APPLIED.search(q.text) or "发展对象" in q.text or not asked:
        return None
    if "转正" in q.text or "党龄" in q.text or _TIMELINE_OTHER.search(q.text):
        return None
    if not q.dates:
        if not PERSONAL.search(q.text):
            return None
        ask = "请告诉我您递交入党申请书的日期，我帮您算最早的时间。"
        answer = f"从递交入党申请到成为预备党员：\n{TIMELINE_STEPS}\n{ask}"
        return Computed("membership-timeline", answer, TIMELINE_SOURCE, False)
    applied_at = q.date_after(_APPLIED_AT)
    if applied_at is None:
        return None  # a date, but not of the application: not guessed
    applied = applied_at.day
    year_later = add_years(applied, 1)
    answer = (
        f"{applied}递交入党申请，即使当即被确定为入党积极分子，也要培养考察满一年，"
        f"到{year_later}才可能列为发展对象，所以最早也要在{year_later}之后"
        f"（即{year_later.year}年或更晚）才能被接收为预备党员，"
        f"实际时间取决于支部何时确定积极分子和各环节的进度。\n{TIMELINE_STEPS}"
    )
    return Computed("membership-timeline", answer, TIMELINE_SOURCE)
