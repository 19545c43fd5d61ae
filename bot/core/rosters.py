"""Who was a member of an organisation at a given moment, counted by bisection.

The 概览 needs, for each of thousands of meetings, how many people were members of its
organisation at its start, and how many of them were on its committee. Joining every
meeting to every membership in SQL grows with both; here each organisation's join and leave
times are sorted once, and a count at any moment is two bisections.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from bot.core.ledger_snapshot import Membership


class _Counter:
    """Memberships that started and ended by a moment (the ones that ended had started)."""

    def __init__(self) -> None:
        self.joined: list[datetime] = []
        self.left: list[datetime] = []

    def add(self, member: Membership) -> None:
        self.joined.append(member.joined_at)
        if member.left_at is not None:
            self.left.append(member.left_at)

    def sort(self) -> None:
        self.joined.sort()
        self.left.sort()

    def at(self, moment: datetime) -> int:
        """Active at `moment`: joined by then and not left by then (Membership.active_at)."""
        return bisect_right(self.joined, moment) - bisect_right(self.left, moment)


class Rosters:
    """Each organisation's members and managers at any moment."""

    def __init__(self, members: Iterable[Membership]) -> None:
        self._all: dict[int, _Counter] = defaultdict(_Counter)
        self._managers: dict[int, _Counter] = defaultdict(_Counter)
        self._by_user: dict[tuple[int, int], Membership] = {}
        for member in members:
            if member.left_at is not None and member.left_at <= member.joined_at:
                continue  # never a member at any moment
            self._all[member.org_id].add(member)
            if member.role.is_manager:
                self._managers[member.org_id].add(member)
            self._by_user[(member.org_id, member.user_id)] = member
        for counter in (*self._all.values(), *self._managers.values()):
            counter.sort()

    def members_at(self, org_id: int, moment: datetime) -> int:
        """Members of the organisation at that moment."""
        counter = self._all.get(org_id)
        return counter.at(moment) if counter else 0

    def committee_at(self, org_id: int, moment: datetime, organiser_id: int) -> int:
        """Its managers at that moment, and the organiser if a plain member then (the
        committee a 支委会 expects, bot.core.meetings.expected_roster)."""
        counter = self._managers.get(org_id)
        found = counter.at(moment) if counter else 0
        organiser = self._by_user.get((org_id, organiser_id))
        if organiser and not organiser.role.is_manager and organiser.active_at(moment):
            found += 1
        return found

    def current(self, before: datetime) -> dict[int, int]:
        """Organisation -> members who joined before `before` and have not left."""
        found: dict[int, int] = defaultdict(int)
        for member in self._by_user.values():
            if member.joined_at < before and member.left_at is None:
                found[member.org_id] += 1
        return dict(found)
