"""党龄 (from the day a member becomes full), 入党周年 and the 50-year medal.

Rules: 党章 第七条 (预备期 one year; 党龄 from the day the member becomes full); 中办
《关于做好“光荣在党50年”纪念章颁发工作的通知》 (2021: 党龄 of 50 years, usually given at 七一).
A date known to the year only is counted as such, and the answer says what it assumed: the
member became full a year after joining (按期转正), on a day of that year not known.
"""

from __future__ import annotations

import re
from datetime import date

from bot.core.computed.dates import Day, Found, add_years, full_years
from bot.core.computed.membership import (
    ADMITTED,
    CHARTER,
    PERSONAL,
    STOP,
    Question,
)
from bot.core.computed.numbers import chinese_integer
from bot.core.computed.result import Computed

MEDAL = "中共中央办公厅《关于做好“光荣在党50年”纪念章颁发工作的通知》（2021年）"
_CONFIRMED = re.compile("转正|转为正式|正式党员")
_MEDAL = re.compile("纪念章|在党50年|50年党龄|党龄50|五十年")
_AGE_ASKED = re.compile(
    rf"党龄{STOP}{{0,6}}?(?:多少|几年|多长|多久|几个年|哪年|哪天|什么时候|何时|从哪|怎么算|咋算"
    "|算一下|满几|有几)"
    rf"|(?:多少|几)年党龄|党龄(?:满|够|到|有)\d+年?了?(?:吗|没)"
    rf"|(?:什么时候|啥时候|哪年|哪一年|哪天|何时){STOP}{{0,4}}满\d+年"
    "|(?:到现在|现在|到今天|今年|至今|到今年)有?(?:多少|几)年"
    "|(?:哪年|哪一年|哪天|什么时候|何时)(?:开始)?(?:算起?|起算)"
)
_MEDAL_ASKED = re.compile(
    rf"(?:能不能|能否|可不可以|可以|能|够不够|够|有没有资格|有资格|符合){STOP}{{0,4}}"
    "(?:领|拿|得|获|发|评|申请|符合|够)"
    rf"|(?:什么时候|啥时候|哪年|哪一年|何时|几时){STOP}{{0,6}}(?:领|拿|发|颁|满)"
    "|够(?:不够|了吗)|满了吗|满没满|有没有份|有份吗"
)
# What to do, not how long: the FAQ entries answer these.
_OTHER = re.compile(
    "材料|手续|需要什么|要什么|准备什么|找谁|去哪|哪里|在哪|流程|程序|待遇|补贴|中断|扣除|表彰"
)
_COUNTED_FROM = re.compile("的?(?:算起|起算|开始算)")
_NAMED_RE = re.compile("(\\d{1,3}|[一二三四五六七八九十]{1,3})周年")
_YEARS_ASKED = re.compile(
    "几年|多少年|多久|多长|能不能|能否|能拿|能领|可以领|可以拿|够不够|够了吗|满了吗"
)
_ANNIVERSARY_ASKED = re.compile(
    rf"(?:多少|几){STOP}{{0,2}}周年|周年{STOP}{{0,3}}(?:吗|没|么)|是不是{STOP}{{0,6}}周年"
    "|多少年了|几年了|多少个?年头|有多少年|有几年|多少年啦|几年啦"
)


AGE_RULE = "党员的党龄，从预备期满转为正式党员之日算起；预备期不计入党龄"
MEDAL_RULE = "“光荣在党50年”纪念章颁发给党龄达到50周年、一贯表现良好的党员，一般每年“七一”集中颁发"


def answer_party_age(q: Question) -> Computed | None:
    """`2020年10月转正的，党龄多少年` -> 6年; `我爸1976年入党的 能拿50年纪念章吗`."""
    medal = bool(_MEDAL.search(q.text))
    age = "党龄" in q.text
    if not (medal or age) and _ANNIVERSARY_ASKED.search(q.text):
        return _anniversary(q)
    if not (medal or age) or _OTHER.search(q.text):
        return None
    if not (_AGE_ASKED.search(q.text) or (medal and _MEDAL_ASKED.search(q.text))):
        return None
    source = f"{CHARTER}第七条" + (f"；{MEDAL}" if medal else "")
    rule = AGE_RULE + ("。" + MEDAL_RULE if medal else "")
    confirmed = _full_date(q)
    admitted_at = q.date_after(ADMITTED)
    if confirmed is None and admitted_at is None:
        if not (PERSONAL.search(q.text) and _YEARS_ASKED.search(q.text)):
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


def _full_date(q: Question) -> Found | None:
    """The date the member became full: followed by 转正, or named as the start of the 党龄
    (党龄从2001年3月算起)."""
    found = q.date_after(_CONFIRMED)
    if found is None:
        found = next((f for f in q.dates if _COUNTED_FROM.match(q.text, f.end)), None)
    return found


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


def _named(text: str, admitted: Day, count: int) -> str:
    """`明年是不是入党50周年`: the year of the anniversary the question names, when it is not
    the one counted."""
    match = _NAMED_RE.search(text)
    if match is None:
        return ""
    named = int(match[1]) if match[1].isdigit() else chinese_integer(match[1])
    if named is None or not 0 < named < 200 or named == count:
        return ""
    return f"；入党{named}周年是{admitted.year + named}年"


def _anniversary(q: Question) -> Computed | None:
    """`1950年入党 今年多少周年` -> 76周年 (by the year), and the 党龄, which counts from the
    day the member became full."""
    admitted_at = q.date_after(ADMITTED)
    confirmed = _full_date(q)
    if admitted_at is None or _OTHER.search(q.text):
        return None  # 转正 only, or no date: 入党周年 needs the day of joining
    admitted = admitted_at.day
    later = [
        f.day
        for f in q.dates
        if f.start > admitted_at.start and f is not confirmed and f.day.year > admitted.year
    ]
    year = later[0].year if later else q.today.year
    if admitted.earliest() > q.today:
        return None  # joining in the future: a typing slip, not a sum
    count = year - admitted.year
    known = (
        f"{add_years(admitted, count)}是入党{count}周年纪念日"
        if admitted.exact
        else "只知道年份，按年份计算"
    )
    lead = (
        f"{admitted}入党，到{year}年是入党{count}周年（{known}）{_named(q.text, admitted, count)}"
    )
    if confirmed is not None:
        full = confirmed.day
        became = f"{full}转为正式党员"
    else:
        full = add_years(admitted, 1)
        became = f"如按期转正，{full}转为正式党员"
    age = f"党龄与入党周年不同，从转为正式党员之日算起：{became}，{_age_now(full, q.today)}"
    answer = f"{lead}。{age}。\n规定：{AGE_RULE}。"
    return Computed("party-age", answer, f"{CHARTER}第七条")
