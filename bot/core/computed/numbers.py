"""Reading the numbers members type: 4000, ４０００, 4千, 4000块, 1.2万, 一万二, 3,500元.

Amounts are Decimal (money must not drift). A number glued to Latin letters or other digits
("1e30", "12a00") is malformed, never read as its parts: 1e30 must not become 30 元.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

MAX_INTEGER_DIGITS = 10  # 9,999,999,999 元 is still read; longer is not a monthly income
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "零〇一二两三四五六七八九十百千万"
_MULTIPLIERS = {"万": Decimal(10000), "w": Decimal(10000), "千": Decimal(1000), "k": Decimal(1000)}
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TOO_LONG_RE = re.compile(rf"\d{{{MAX_INTEGER_DIGITS + 1},}}")
_MALFORMED_RE = re.compile(r"\d(?!rmb)[a-jl-vx-z]|[a-z]\d|\d\.\d+\.\d|\d[eE][+-]?\d")
# One amount: sign, figure, multiplier (万/千/k/w), vagueness (多/左右), currency.
AMOUNT_RE = re.compile(
    r"(?P<neg>[-−]|负)?"
    rf"(?P<num>(?<![0-9a-z.])\d+(?:\.\d+)?(?![0-9.])|[{_CN_CHARS}]+)"
    r"(?P<mul>万|千|k(?![a-z])|w(?![a-z]))?"
    r"(?P<vague>多|来|左右|出头|上下)?"
    r"(?P<cur>元|块钱|块|rmb)?"
)


@dataclass(frozen=True, slots=True)
class Amount:
    """A figure as typed: its value, whether it was vague (一万多) or negative, and where."""

    value: Decimal
    start: int
    end: int
    negative: bool = False
    vague: bool = False
    has_unit: bool = False  # 元/块/万/千: surely money, even without an income word


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, no thousands commas, no spaces."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _THOUSANDS_RE.sub("", folded)
    return re.sub(r"\s+", "", folded)


def chinese_integer(text: str) -> int | None:
    """一万二 -> 12000, 四千五 -> 4500, 三千五百 -> 3500, 十二 -> 12, 二〇二五 -> 2025."""
    if text and all(c in "零〇一二三四五六七八九" for c in text) and len(text) >= 3:
        return int("".join(str(_CN_DIGITS[c]) for c in text))  # digit by digit: 二〇二五
    head, _, tail = text.partition("万")
    if "万" in tail:
        return None
    high = _below_10000(head, default=1 if tail or text.endswith("万") else 0)
    if high is None:
        return None
    if "万" not in text:
        return high
    low = _below_10000(tail, default=0, colloquial_unit=1000)
    return None if low is None else high * 10000 + low


def _below_10000(text: str, default: int, colloquial_unit: int = 0) -> int | None:
    if not text:
        return default
    total, digit, last_unit = 0, None, 0
    for char in text:
        if char in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            unit = _CN_UNITS[char]
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        # Colloquial tail: 四千五 is 4500, 一万二 is 12000 (the digit takes the next unit down).
        unit = last_unit // 10 if last_unit else colloquial_unit or 1
        total += digit * (unit or 1)
    return total


def is_malformed(folded: str) -> bool:
    """Digits glued to letters (1e30, 12a00), two decimal points (1.2.3), or more digits
    than any income has."""
    return bool(_MALFORMED_RE.search(folded) or _TOO_LONG_RE.search(folded))


def read_amount(match: re.Match[str]) -> Amount | None:
    """The value of one AMOUNT_RE match, or None when it is no number (一些, 十分)."""
    figure = match["num"]
    if figure[0].isdigit():
        integer = figure.split(".")[0].lstrip("0")
        if len(integer) > MAX_INTEGER_DIGITS:
            return None
        value = Decimal(figure)
    else:
        parsed = chinese_integer(figure)
        if parsed is None:
            return None
        value = Decimal(parsed)
    if match["mul"]:
        value *= _MULTIPLIERS[match["mul"]]
    return Amount(
        value=value,
        start=match.start(),
        end=match.end(),
        negative=bool(match["neg"]),
        vague=bool(match["vague"]),
        has_unit=bool(match["mul"] or match["cur"] or set(figure) & set("百千万")),
    )


def amounts(folded: str) -> list[Amount]:
    """Every figure in an already folded text, in order."""
    found = []
    for match in AMOUNT_RE.finditer(folded):
        amount = read_amount(match)
        if amount is not None:
            found.append(amount)
    return found


def yuan(value: Decimal) -> str:
    """A sum of money as people write it: 40元, 14.99元, 0.2元 (rounded half up to 分)."""
    cents = value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    text = f"{cents:f}".rstrip("0").rstrip(".") if "." in f"{cents:f}" else f"{cents:f}"
    return f"{text}元"


def plain(value: Decimal) -> str:
    """A figure without trailing zeros: 4000, 1.5, 12000."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
