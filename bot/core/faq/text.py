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
    "四个服从",
    "四个合格",
    "四种形态",
    "六大纪律",
    "两个务必",
    "三个代表",
)
_DIGITS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "八": "8"}

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
    "党废": "党费",
    "党货": "党费",
    "交党非": "交党费",
    "预被党员": "预备党员",
    "预备党圆": "预备党员",
    "入党申清": "入党申请",
    "积极份子": "积极分子",
    "支部书计": "支部书记",
    "组织生括": "组织生活",
}

# Colloquial and dialect forms -> the written word the base uses (咋 -> 怎么). Applied after
# the typos; longer forms first, so 咋样 wins over 咋.
COLLOQUIAL = {
    "咋样": "怎么样",
    "咋办": "怎么办",
    "咋弄": "怎么办",
    "咋整": "怎么办",
    "咋搞": "怎么办",
    "咋": "怎么",
    "啥时候": "什么时候",
    "啥时": "什么时候",
    "多会儿": "什么时候",
    "多会": "什么时候",
    "几时": "什么时候",
    "啥意思": "什么意思",
    "啥叫": "什么叫",
    "啥": "什么",
    "干几年": "任期几年",
    "干多久": "任期多久",
    "干多长时间": "任期多长时间",
    "当几年": "任期几年",
    "能不能够": "能不能",
    "可以不可以": "可不可以",
    "要不要得": "要不要",
    "中不中": "行不行",
    "干嘛": "干什么",
    "弄啥": "干什么",
    "多少钱": "多少",
    "几块钱": "多少",
    "几块": "多少",
    "几毛": "多少",
    "咋回事": "怎么回事",
    "啥样": "什么样",
    "有啥": "有什么",
    "得几年": "要几年",
}

_NON_WORD_RE = re.compile(r"[\W_]+")
_NUMERAL_VALUES = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_NUMERAL_VALUES |= {"八": 8, "九": 9}
# Money as members write it: 4千块, 四千元, 1万2 -> digits and 元.
_MONEY_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(千|k|万|w)(\d?)")
_YUAN_RE = re.compile(r"(?<=\d)(?:块钱|块|元钱)")
_BIG_CHINESE_RE = re.compile("([零一二两三四五六七八九十]+)(千|万)")
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


def _money(match: re.Match[str]) -> str:
    unit = 1000 if match.group(2) in ("千", "k") else 10000
    value = float(match.group(1)) * unit
    if match.group(3):  # 1万2: the digit after the unit is the next place down
        value += int(match.group(3)) * unit // 10
    return str(int(value))


def _big_chinese(match: re.Match[str]) -> str:
    value = chinese_number(match.group(1))
    return match.group(0) if value is None else f"{value}{match.group(2)}"


def write_amounts(text: str) -> str:
    """Amounts in digits and 元: 四千块 -> 4000元, 1万2 -> 12000, 3.5k -> 3500."""
    text = _BIG_CHINESE_RE.sub(_big_chinese, text)
    text = _MONEY_RE.sub(_money, text)
    return _YUAN_RE.sub("元", text)


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
    rewrites.update(COLLOQUIAL)
    return rewrites


_REWRITES = _build_rewrites()
_REWRITE_RE = re.compile("|".join(re.escape(k) for k in sorted(_REWRITES, key=len, reverse=True)))


def fold(text: str) -> str:
    """Full/half width and case folding only: NFKC, then lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def normalise(text: str) -> str:
    """Fold width and case, fix numbered terms and typos, turn punctuation into spaces."""
    folded = fold(text)
    # Numbers before measure words first, then the rewrites: a slogan that looks counted
    # (八项规定 -> 8项规定) is written back whole by its numeral variants.
    counted = _COUNTED_RE.sub(_counted, write_amounts(folded))
    fixed = _REWRITE_RE.sub(lambda m: _REWRITES[m.group(0)], counted).replace("6个月", "半年")
    return " ".join(_NON_WORD_RE.sub(" ", fixed).split())
