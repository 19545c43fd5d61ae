"""The ledger (台账) of an organisation over a period, computed from a snapshot of the data.

Plain values in (what storage read in one read-only transaction), plain rows out; the
service turns the rows into spreadsheet sheets. An organisation's ledger covers it and
every organisation below it: a township 党委's lists every branch's meetings, and sums up
each branch on a sheet of its own.

Who was expected (应到) at a meeting: the members of its organisation at its start (joined
before it, not left by then) - for a 支委会 the committee, as the notice counts them - and
anyone else who answered or checked in. Present (实到) is who checked in; 请假 those on
leave who did not come anyway; 缺席 everyone else expected.
"""

from __future__ import annotations

from bot.core.ledger_count import LedgerCounter
from bot.core.ledger_rows import Ledger
from bot.core.ledger_snapshot import Snapshot
from bot.core.meetings import MeetingType
from bot.core.org_rows import OrgRow


def build_ledger(snap: Snapshot) -> Ledger:
    """Every sheet's rows from the snapshot (meetings and topics in time order)."""
    build = LedgerCounter(snap)
    meetings = sorted(snap.meetings, key=lambda m: (m.starts_at, m.id))
    meeting_rows = [build.meeting_row(m) for m in meetings]
    topics = sorted(snap.topics, key=lambda t: (t.published_at, t.id))
    topic_rows = [build.topic_row(t) for t in topics]
    kinds = tuple(kind for kind in MeetingType if any(m.kind is kind for m in meetings))
    root = build.orgs[snap.root_id]
    return Ledger(
        org=root,
        period=snap.period,
        meetings=meeting_rows,
        topics=topic_rows,
        members=build.member_rows(kinds),
        below=build.org_rows(),
        kinds=kinds,
        floating=build.away.rows(snap.names, {org.id: org.name for org in snap.orgs}),
    )


def _counted(snap: Snapshot) -> LedgerCounter:
    build = LedgerCounter(snap)
    for meeting in snap.meetings:
        build.meeting_row(meeting)
    for topic in snap.topics:
        build.topic_row(topic)
    return build


def org_statuses(snap: Snapshot) -> list[OrgRow]:
    """Every organisation's 下级组织 row, the root's included (the dashboard's 概览): the
    ledger's own counts, so the two never disagree."""
    build = _counted(snap)
    _, end = snap.period.bounds(snap.tz)
    return [build.org_row(org, end) for org in snap.orgs]


def away_changes(snap: Snapshot) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(organisation, member) -> what their stays away change in the ledger's counts: home
    meetings taken part in elsewhere (异地参加: present), home meetings missed while away
    (外出: not expected), topics studied elsewhere (异地学习: studied). Exact on a snapshot
    holding only the away members' answers, study and memberships, and the managers' and
    organisers' (who make a 支委会's roster): nobody else's state depends on a stay."""
    return {key: (a, b, c) for key, (a, b, c) in _counted(snap).away_change.items()}
