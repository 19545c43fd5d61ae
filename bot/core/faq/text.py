"""Text normalisation shared by the index and the questions.

Full-width to half-width and case (NFKC, lower), punctuation to spaces, runs of whitespace to
one space, Arabic numerals in numbered slogans back to Chinese (3会1课 -> 三会一课) and a short
list of homophone typos that are never correct in Party work (主体党日 -> 主题党日).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Numbered slogans of Party work, written with Chinese numerals.
NUMBERED_TERMS = (
    "三会一课",
    "两学一做",
    "四议两公开",
    "三重一大",
    "一岗双责",
    "两新组织",
    "四个意识",
    "四个自信",
    "两个维护",
    "两个确立",
    "八项规定",
    "三严三实",
)
_DIGITS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "八": "8"}

# Wrong -> right. Only strings that are never right in this domain (homophones, near shapes).
TYPOS = {
    "主体党日": "主题党日",
    "三会一棵": "三会一课",
    "党棵": "党课",
    "支布": "支部",
    "转证": "转正",
    "积级分子": "积极分子",
    "思想回报": "思想汇报",
    "申请数": "申请书",
    "民主平议": "民主评议",
    "留党查看": "留党察看",
    "生话会": "生活会",
    "转结": "转接",
    "预备其": "预备期",
    "介召人": "介绍人",
    "开除党即": "开除党籍",
    "考查": "考察",
    "宣示": "宣誓",
    "誓辞": "誓词",
    "处份": "处分",
    "谈心谈化": "谈心谈话",
    "发展对像": "发展对象",
    "党小祖": "党小组",
    "党费交钠": "党费交纳",
    "流动党圆": "流动党员",
    "党总之": "党总支",
}

_NON_WORD_RE = re.compile(r"[\W_]+")
_NUMERAL_VALUES = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_NUMERAL_VALUES |= {"八": 8, "九": 9}
# A Chinese number before a measure word (三名, 十八岁, 一百人, 六个月): written as digits, so
# that 3名 and 三名 meet. Numbered slogans (三会一课) have no measure word and stay as they are.
_COUNTED_RE = re.compile(
    "(?<![第])([零一二两三四五六七八九十百]+)(?=个|名|人|位|年|月|次|回|天|日|周|岁|学时|小时|季度|项|条|种|至)"
)


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral up to 999 (十八 -> 18, 一百 -> 100), or None."""
    total, digit = 0, None
    for char in text:
        if char in _NUMERAL_VALUES:
            digit = _NUMERAL_VALUES[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def _counted(match: re.Match[str]) -> str:
    value = chinese_number(match.group(1))
    return match.group(1) if value is None else str(value)


def _numeral_variants(term: str) -> dict[str, str]:
    """Every spelling of a numbered term with some numerals written as digits."""
    options = [(ch, _DIGITS[ch]) if ch in _DIGITS else (ch,) for ch in term]
    return {
        "".join(chars): term for chars in itertools.product(*options) if "".join(chars) != term
    }


def _build_rewrites() -> dict[str, str]:
    rewrites: dict[str, str] = {}
    for term in NUMBERED_TERMS:
        rewrites.update(_numeral_variants(term))
    rewrites.update({wrong: right for wrong, right in TYPOS.items() if wrong != right})
    return rewrites


_REWRITES = _build_rewrites()
_REWRITE_RE = re.compile("|".join(re.escape(k) for k in sorted(_REWRITES, key=len, reverse=True)))


def fold(text: str) -> str:
    """Full/half width and case folding only: NFKC, then lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def normalise(text: str) -> str:
    """Fold width and case, fix numbered terms and typos, turn punctuation into spaces."""
    folded = fold(text)
    fixed = _REWRITE_RE.sub(lambda m: _REWRITES[m.group(0)], folded)
    fixed = _COUNTED_RE.sub(_counted, fixed).replace("6个月", "半年")
    return " ".join(_NON_WORD_RE.sub(" ", fixed).split())
