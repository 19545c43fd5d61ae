"""Yes/no questions: what they ask about, and whether an entry's first clause settles it.

"预备党员能投票吗" asks whether a 预备党员 may *vote*. An entry may answer it only if its
first clause is about voting: the opening of its answer (the first sentence; after a bare
"能。" or "没有。" the next one as well) or, when the entry's own question is a yes/no
question, that question (the base's rule: such an answer opens with the yes or no). An entry
about attending the 党员大会 ("能，而且应当参加……") does not settle voting, so it is never the
direct answer to that question, however well its other words match.

The predicate is what follows the modal word (能/可以/要/必须/是否/X不X …) up to the closing
particle, read as terms; terms of one predicate class (投票, 表决, 举手) stand for each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.core.faq.lexicon import PREDICATE_CLASSES, STOPWORDS
from bot.core.faq.text import normalise
from bot.core.faq.tokenizer import analyse, segment

# Words that ask something other than yes or no: with one of them the question is not polar.
_WH_RE = re.compile("什么|怎么|怎样|如何|多少|多久|多长|多大|(?<!好)几|哪|谁|为什么|为啥|咋")
_PARTS_RE = re.compile("[?？]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "A不A" (能不能, 交不交, 可不可以) and the other explicit polar forms.
_A_NOT_A_RE = re.compile(r"(可以|需要|允许|应该|[\u4e00-\u9fff])(?:不|没)\1")
_EXPLICIT_RE = re.compile("是否|能否|可否|有没有|是不是|行不行|算不算|会不会")
_MODALS = _words(
    """还能 还要 还得 还需要 还可以 能够 可以 需要 必须 应该 应当 允许 能 可 要 得 准 会 算 该
    有 还 用 敢 让 不能 不可以 不用 不要 不得 不准"""
)
# Closing words of a polar question (吗, 不, 没有 …) and the soft ones that may follow them.
_CLOSING = _words("吗 么 嘛 不 没 没有 否")
_SOFT = _words("啊 呀 呢 吧 哈 哦 啦 捏")
# "…可以吗", "…行不": a modal at the end asks about everything before it.
_TRAILING_MODALS = _words("行 好 对 可以 能 中 成")
# Words that judge an act rather than name it, and who the act is about.
JUDGEMENTS = _words(
    """违规 违纪 违法 违反 处分 纪律处分 处理 追究 允许 犯错 犯错误 问题 事 有事 算数 行 可以
    合规 影响 要求 限制 期限 上限 下限 标准 讲究 规矩 管 搞 弄 做 干 整"""
)
SUBJECTS = _words(
    """党员 预备党员 正式党员 入党积极分子 发展对象 党组织 支部 党支部 书记 支部书记 老党员
    流动党员 领导干部 干部 普通党员 我"""
)
_OPENING_SPLIT_RE = re.compile("[。；！？]")
OPENING_CHARS = 60
# An answer that opens with a yes or a no (or "it depends") to the question it answers.
_YES_OR_NO_RE = re.compile(
    "(?:不|没|可|能|要|会|是|有|须|应|必须|一般|原则上|看情|视情|可能|分情况|算|对|否|终止|保留)"
)
_CLAUSE_SPLIT_RE = re.compile("[。，,；;：:！!？?]")
_SANCTION_RE = re.compile("给予.{0,12}处分|开除党籍|除名")
_BARE_OPENING_CHARS = 6  # "能。" / "没有。" / "可能会。": the next sentence says about what


@dataclass(frozen=True)
class PolarQuestion:
    """A yes/no question and the terms of what it asks about (empty: not read).

    ``judged``: it asks whether an act is judged (算违规吗, 会被处分吗, 党内还追究吗), not
    whether it is allowed; "可能会" settles the one and misleads on the other.
    """

    predicate: frozenset[str]
    judged: bool = False


def _clean(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


@lru_cache(maxsize=1024)  # bounded: members' questions are arbitrary text
def read_polar(text: str) -> PolarQuestion | None:
    """The yes/no reading of a question, or None when it asks what/how/when/who.

    A text of several questions (党员可以退党吗？退党要什么程序？) is polar when one of them
    is, and asks about what its polar parts ask about.
    """
    parts = [p for p in (_read_part(part) for part in _PARTS_RE.split(text)) if p is not None]
    if not parts:
        return None
    judged = all(p.judged for p in parts)
    return PolarQuestion(frozenset().union(*(p.predicate for p in parts)), judged)


def _read_part(text: str) -> PolarQuestion | None:
    plain = _clean(normalise(text))
    if not plain or _WH_RE.search(plain):
        return None
    explicit = _EXPLICIT_RE.search(plain) or _A_NOT_A_RE.search(plain)
    body, closed = _strip_closing(plain)
    if explicit is None and not closed:
        return None
    if explicit is not None:
        # 交不交党费: the verb itself is asked about; 能不能收礼金: what follows it.
        verb = explicit.group(1) if explicit.re is _A_NOT_A_RE else ""
        span = (verb if verb not in _MODALS else "") + plain[explicit.end() :]
        span = _strip_closing(span)[0]
    else:
        # The last modal word (a whole token: 会 in 党员大会 is none) opens the predicate.
        words = segment(body)
        last = max((i for i, w in enumerate(words) if w in _MODALS), default=-1)
        span = "".join(words[last + 1 :])
    predicate = predicate_terms(span)
    if predicate and predicate <= JUDGEMENTS:
        # 烧香拜佛算违规吗, 打麻将会被处分吗: the act is asked about, not the judgement.
        return PolarQuestion(predicate_terms(body) - SUBJECTS - JUDGEMENTS or predicate, True)
    return PolarQuestion(predicate)


def _strip_closing(text: str) -> tuple[str, bool]:
    """The text without its closing words, and whether a polar one (吗, 不 …) was there."""
    words = segment(text) if text else []
    closed = False
    while words and (words[-1] in _CLOSING or words[-1] in _SOFT):
        closed |= words.pop() in _CLOSING
    while closed and words and words[-1] in _TRAILING_MODALS:
        words.pop()
    return "".join(words), closed


def predicate_terms(text: str) -> frozenset[str]:
    """Content terms of a text, each predicate class read as its name."""
    classes = _class_of()
    terms = {t for t in analyse(text).whole if t not in STOPWORDS}
    return frozenset(classes.get(t, t) for t in terms)


def stated_terms(text: str) -> frozenset[str]:
    """Content terms of an answer's opening, with the words inside its long ones: "会被开除党籍"
    states 开除, "递交入党申请书" states 入党申请."""
    classes = _class_of()
    terms = {t for t in analyse(text).weights if t not in STOPWORDS}
    return frozenset(classes.get(t, t) for t in terms)


@cache
def _class_of() -> dict[str, str]:
    return {word: name for name, words in PREDICATE_CLASSES.items() for word in (name, *words)}


def opening(answer: str, sentences: int = 1) -> str:
    """The first clause of an answer: its first sentence (or ``sentences``), and one more
    after a bare yes/no (at most OPENING_CHARS a sentence: what a reader takes in before
    deciding what the answer says)."""
    return "。".join(_opening_parts(answer, sentences))


def _opening_parts(answer: str, sentences: int) -> list[str]:
    parts = [s for s in _OPENING_SPLIT_RE.split(answer[: OPENING_CHARS * 4]) if s.strip()]
    if parts and len(_clean(parts[0])) <= _BARE_OPENING_CHARS:
        sentences += 1
    return [part[:OPENING_CHARS] for part in parts[:sentences]]


def settled_terms(question: str, answer: str) -> frozenset[str]:
    """What an entry's first clause answers: its opening and, if polar, its own question."""
    own = read_polar(question)
    from_question = own.predicate if own is not None else frozenset()
    # Every content term of the opening, not only a predicate: "没有。预备党员没有表决权" settles
    # 表决 through 表决权's class.
    return from_question | predicate_terms(opening(answer))


@dataclass(frozen=True)
class Settled:
    """What an entry answers: whether acts are allowed, in its first clause (``first``);
    whether they are judged, by its own question (``judged``); what else its second
    sentence names (``lead``: a rule after one sentence saying what the thing is). Tuples, not
    sets: thousands of entries keep them, and only a few are looked into per question."""

    first: tuple[str, ...]
    judged: tuple[str, ...]
    lead: tuple[str, ...]
    says_yes_or_no: bool  # the answer opens with 能/不能/要/没有/看情节 …
    sanctions: bool = False  # its first sentence names the 处分 an act brings
    asked: tuple[str, ...] = ()  # named rights and bans its own yes/no texts ask about


def settled_by(question: str, answer: str, phrasings: tuple[str, ...] = ()) -> Settled:
    """What an entry's first clause settles (``phrasings``: its other questions)."""
    own = read_polar(question)
    judged = own.predicate if own is not None and own.judged else frozenset()
    first_parts = _opening_parts(answer, 1)
    more = _opening_parts(answer, 2)[len(first_parts) :]  # analysed once, not twice
    from_question = own.predicate if own is not None else frozenset()
    first = (from_question | stated_terms("。".join(first_parts))) - judged
    lead = stated_terms("。".join(more)) - first - judged
    sanctions = bool(_SANCTION_RE.search("。".join(first_parts)))
    readings = (read_polar(text) for text in (question, *phrasings))
    asked = set().union(*(r.predicate for r in readings if r is not None))
    named = tuple(asked & PREDICATE_CLASSES.keys())
    return Settled(
        tuple(first), tuple(judged), tuple(lead), says_yes_or_no(answer), sanctions, named
    )


def says_yes_or_no(answer: str) -> bool:
    """Whether an answer opens with a short yes, no or "it depends" (要。不能，看情节。)."""
    clause = _clean(_CLAUSE_SPLIT_RE.split(answer, maxsplit=1)[0])
    return len(clause) <= _BARE_OPENING_CHARS and bool(_YES_OR_NO_RE.match(clause))


def settles(
    polar: PolarQuestion,
    settled: Settled,
    key: str | None = None,
    mentions: Callable[[str], bool] | None = None,
) -> bool:
    """Whether an entry answers this yes/no question in its first clause.

    A named right or ban (投票, 被选举, 信教 …: PREDICATE_CLASSES) must be in the first
    sentence: those are the questions where a "能" about something else misleads. For any
    other predicate, its ``key`` term (the rarest, chosen by the caller; without one, any of
    its terms) must be in the first two sentences (one may say what the thing is before the
    rule), or, when the answer opens with a yes or no ("要。", "看情节。"), be what the entry
    is about (``mentions``: its own questions and keywords). So 谈心谈话记录要不要留 is not
    answered by the entry on how to hold 谈心谈话, nor 预备期能不能提前转正 by the one on
    按期转正 unless it says so first.
    """
    if not polar.predicate:
        return True
    named = polar.predicate & PREDICATE_CLASSES.keys()
    if named:
        allowed = (*settled.first, *settled.judged) if polar.judged else settled.first
        # May a 预备党员 vote: an answer that does not open with a yes or a no (the quorum
        # of the 党员大会, which names 表决 too) leaves the asker to guess.
        opens = settled.says_yes_or_no or settled.sanctions or named <= set(settled.asked)
        return opens and all(name in allowed for name in named)
    opening_terms = (*settled.first, *settled.judged, *settled.lead)

    def stated(term: str) -> bool:
        if term in opening_terms:
            return True
        return settled.says_yes_or_no and mentions is not None and mentions(term)

    if key is not None:
        return stated(key)
    return any(stated(term) for term in polar.predicate)


def names_other_act(polar: PolarQuestion, settled: Settled) -> bool:
    """Whether the question asks about a named right or ban this entry does not settle: such
    an entry is surely not what was asked (not even a rival to the one that is)."""
    named = polar.predicate & PREDICATE_CLASSES.keys()
    return bool(named) and not settles(polar, settled)
