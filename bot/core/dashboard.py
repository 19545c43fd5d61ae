"""The dashboard's 概览: each organisation's status this period, from the ledger's rows.

The rows are the ledger's own (bot/core/ledger.py), so the page, the XLSX and /checkup never
disagree; this module only adds the tree position and the traffic light.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.ledger_snapshot import OrgInfo
from bot.core.org_rows import OrgRow

# Below this share of attendance or study completion an organisation is amber.
LOW_RATE = 0.6
GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True, slots=True)
class OrgStatus:
    """One line of 概览."""

    id: int
    name: str
    kind: str  # 党委 / 党总支 / 党支部 / 党小组
    parent_id: int | None
    depth: int  # 0 for a root of what the viewer manages
    members: int
    held: int  # 三会一课 windows met
    required: int  # of those the period asks for
    attendance: float | None
    study: float | None
    alerts: int  # requirements whose window ended without a meeting
    status: str  # green / amber / red


def light(row: OrgRow) -> tuple[int, str]:
    """Open alerts and the colour: red when a window ended without its meeting; amber while
    something is still owed or attendance or study is low; green otherwise."""
    standings = [s for s in row.standings.values() if s is not None]
    alerts = sum(1 for s in standings if s.behind)
    if alerts:
        return alerts, RED
    owed = any(s.held < s.required for s in standings)
    low = any(rate is not None and rate < LOW_RATE for rate in (row.attendance, row.study_rate))
    return 0, AMBER if owed or low else GREEN


def statuses(orgs: list[OrgInfo], rows: list[OrgRow]) -> list[OrgStatus]:
    """The 概览 lines of one subtree (`orgs` root first, `rows` in the same order)."""
    depth: dict[int, int] = {}
    found = []
    for org, row in zip(orgs, rows, strict=True):
        depth[org.id] = depth[org.parent_id] + 1 if org.parent_id in depth else 0
        standings = [s for s in row.standings.values() if s is not None]
        alerts, colour = light(row)
        found.append(
            OrgStatus(
                id=org.id,
                name=org.name,
                kind=org.kind.label,
                parent_id=org.parent_id,
                depth=depth[org.id],
                members=row.members,
                held=sum(s.held for s in standings),
                required=sum(s.required for s in standings),
                attendance=row.attendance,
                study=row.study_rate,
                alerts=alerts,
                status=colour,
            )
        )
    return found
