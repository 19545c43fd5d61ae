"""Leaderboards, pure: members by points, organisations by average points per member."""

from __future__ import annotations

from dataclasses import dataclass

Key = tuple[int, int]  # (organisation id, user id)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One line of a leaderboard: place, who (a member or an organisation), points."""

    place: int
    key: int
    name: str
    points: float
    members: int = 1


def rank(entries: list[tuple[int, str, float, int]]) -> list[Ranked]:
    """(key, name, points, members) ordered by points, then name; equal points share a
    place (1, 2, 2, 4)."""
    ordered = sorted(entries, key=lambda e: (-e[2], e[1], e[0]))
    ranked: list[Ranked] = []
    for index, (key, name, value, members) in enumerate(ordered):
        place = ranked[-1].place if ranked and ranked[-1].points == value else index + 1
        ranked.append(Ranked(place, key, name, value, members))
    return ranked


def average(total: int, members: int) -> float:
    """Points per member, to one decimal (an organisation without members has 0)."""
    return round(total / members, 1) if members else 0.0


def subtree(root: int, parents: dict[int, int | None]) -> set[int]:
    """The organisation and those below it, among the organisations `parents` knows."""
    found = {root}
    changed = True
    while changed:
        below = {org for org, parent in parents.items() if parent in found} - found
        found |= below
        changed = bool(below)
    return found


def member_board(roster: list[tuple[Key, str]], totals: dict[Key, int]) -> list[Ranked]:
    """Members ranked by their points."""
    return rank([(key[1], name, float(totals.get(key, 0)), 1) for key, name in roster])


def org_board(
    orgs: list[tuple[int, str]],
    parents: dict[int, int | None],
    roster: list[Key],
    totals: dict[Key, int],
) -> list[Ranked]:
    """Organisations ranked by average points per member of them and everything below."""
    entries = []
    for org_id, name in orgs:
        below = subtree(org_id, parents)
        keys = [key for key in roster if key[0] in below]
        total = sum(totals.get(key, 0) for key in keys)
        entries.append((org_id, name, average(total, len(keys)), len(keys)))
    return rank(entries)
