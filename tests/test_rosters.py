"""Members at a moment by bisection agree with Membership.active_at, whatever the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.domain import MemberStatus, Role
from bot.core.ledger_snapshot import Membership
from bot.core.rosters import Rosters

START = datetime(2026, 1, 1, tzinfo=UTC)
days = st.integers(min_value=0, max_value=30).map(lambda n: START + timedelta(days=n))
memberships = st.builds(
    Membership,
    org_id=st.integers(1, 2),
    user_id=st.integers(1, 6),
    role=st.sampled_from([Role.MEMBER, Role.SECRETARY]),
    status=st.just(MemberStatus.FULL),
    joined_at=days,
    left_at=st.none() | days,
)


@given(st.lists(memberships, max_size=12, unique_by=lambda m: (m.org_id, m.user_id)), days)
def test_counts_match_active_at(members: list[Membership], moment: datetime) -> None:
    rosters = Rosters(members)
    for org in (1, 2):
        mine = [m for m in members if m.org_id == org and m.active_at(moment)]
        assert rosters.members_at(org, moment) == len(mine)
        for organiser in (1, 6, 99):
            committee = [m for m in mine if m.role.is_manager or m.user_id == organiser]
            assert rosters.committee_at(org, moment, organiser) == len(committee)
