"""Who receives what (scope rules) and how far study has come (statistics); pure."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import Domain
from bot.core.study import Scope

# The domains a county broadcast can pick (issue: 农村 社区 机关 非公).
BROADCAST_DOMAINS = (Domain.RURAL, Domain.COMMUNITY, Domain.ORGAN, Domain.NON_PUBLIC)


@dataclass(frozen=True, slots=True)
class OrgRef:
    """An organisation of the subtree a manager acts on."""

    id: int
    name: str
    domain: Domain


def scope_targets(
    own_id: int, subtree: Sequence[OrgRef], scope: Scope, domain: Domain | None = None
) -> list[int]:
    """The organisations a manager of ``own_id`` reaches: itself, or it and all below it.

    ``subtree`` is ``own_id`` and its descendants, so nothing above or beside it can be
    chosen; a domain keeps only the organisations of that domain (own one included).
    """
    if scope is Scope.OWN:
        return [own_id]
    return [org.id for org in subtree if domain is None or org.domain is domain]


@dataclass(frozen=True, slots=True)
class MemberStudy:
    """One member's study of a topic."""

    user_id: int
    name: str
    studied_at: datetime | None
    makeup: bool
    correct: int
    answered: int

    @property
    def studied(self) -> bool:
        """Tapped 已学习 or 已补学."""
        return self.studied_at is not None


def member_rows(
    roster: Sequence[tuple[int, str]],
    studied: Mapping[int, tuple[datetime, bool]],
    answers: Mapping[int, tuple[int, int]],
) -> list[MemberStudy]:
    """Per member: studied (when, make-up or not) and quiz (correct, answered); studied first."""
    rows = [
        MemberStudy(
            user_id=user_id,
            name=name,
            studied_at=studied[user_id][0] if user_id in studied else None,
            makeup=studied[user_id][1] if user_id in studied else False,
            correct=answers.get(user_id, (0, 0))[0],
            answered=answers.get(user_id, (0, 0))[1],
        )
        for user_id, name in roster
    ]
    return sorted(rows, key=lambda row: not row.studied)


@dataclass(frozen=True, slots=True)
class OrgCompletion:
    """How many of an organisation's members have studied a topic."""

    organisation_id: int
    name: str
    studied: int
    total: int

    @property
    def percent(self) -> int:
        """Completion in whole percent (0 for an organisation without members)."""
        return round(100 * self.studied / self.total) if self.total else 0


def completion(
    orgs: Sequence[OrgRef], rosters: Mapping[int, Collection[int]], studied: Collection[int]
) -> list[OrgCompletion]:
    """The completion of each organisation, lowest rate first (whom to chase)."""
    done = set(studied)
    rows = [
        OrgCompletion(
            organisation_id=org.id,
            name=org.name,
            studied=len(done & set(rosters.get(org.id, ()))),
            total=len(rosters.get(org.id, ())),
        )
        for org in orgs
    ]
    return sorted(rows, key=lambda row: (row.percent, row.name))


# Telegram's limit for one message, in UTF-16 code units.
MESSAGE_LIMIT = 4096


def text_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def fit_lines(
    head: Sequence[str], lines: Sequence[str], left_out: Callable[[int], str], limit: int
) -> list[str]:
    """`head` and as many of `lines` as fit in `limit` with a last line `left_out(n)` saying
    how many (n) did not; everything when it fits. Lines are never cut in the middle."""
    whole = [*head, *lines]
    if text_length("\n".join(whole)) <= limit:
        return whole
    used = sum(text_length(line) + 1 for line in head)
    kept = 0
    for line in lines:
        tail = text_length(left_out(len(lines) - kept - 1))
        if used + text_length(line) + 1 + tail > limit:
            break
        used += text_length(line) + 1
        kept += 1
    return [*head, *lines[:kept], left_out(len(lines) - kept)]
