"""The 三会一课 checkup in words: a warning, a summary of the organisations below, /checkup."""

from __future__ import annotations

from datetime import date

from bot.core.checkup import Standing
from bot.core.domain import OrgKind
from bot.services.checkup import Behind
from bot.texts import minutes as texts

# Lines of organisations below shown in one message (a county has hundreds): the rest are
# counted, and /ledger has them all.
BELOW_SHOWN = 30


def missing_line(standing: Standing, today: date) -> str:
    """本季度还没有召开支部党员大会，距季度末还有7天."""
    period = standing.requirement.period
    return texts.ALERT_LINE.format(
        period=period.label,
        kind=standing.requirement.meeting.label,
        end=period.end_label,
        days=standing.period.days_left(today),
    )


def render_alert(org_name: str, missing: list[Standing], today: date) -> str:
    """The warning to an organisation's managers: one line per requirement not met."""
    lines = "；\n".join(missing_line(s, today) for s in missing)
    return f"{texts.ALERT_HEADER.format(org=org_name)}\n{lines}。\n{texts.ALERT_FOOTER}"


def _kinds(missing: list[Standing]) -> str:
    return "、".join(f"{s.requirement.period.label}{s.requirement.meeting.label}" for s in missing)


def _below_lines(behind: list[Behind]) -> list[str]:
    lines = [
        texts.SUMMARY_LINE.format(org=b.org.name, kinds=_kinds(b.missing))
        for b in behind[:BELOW_SHOWN]
    ]
    if len(behind) > BELOW_SHOWN:
        lines.append(texts.SUMMARY_MORE.format(count=len(behind) - BELOW_SHOWN))
    return lines


def render_summary(org_name: str, behind: list[Behind], today: date, days: int) -> str:
    """The monthly summary to an organisation above others: those behind, and on what."""
    header = texts.SUMMARY_HEADER.format(org=org_name, month=today.month, days=days)
    return "\n".join([header, *_below_lines(behind)])


def render_checkup(
    org_name: str,
    kind: OrgKind,
    found: list[Standing],
    below: tuple[int, list[Behind]],
    today: date,
) -> str:
    """/checkup: each requirement of the organisation, then the organisations below."""
    lines = [texts.CHECKUP_HEADER.format(org=org_name, today=f"{today.month}月{today.day}日")]
    for s in found:
        requirement = s.requirement
        fields = {"period": requirement.period.label, "kind": requirement.meeting.label}
        if s.met:
            lines.append(texts.CHECKUP_MET.format(held=s.held, **fields))
        else:
            days = s.period.days_left(today)
            lines.append(
                texts.CHECKUP_MISSING.format(end=requirement.period.end_label, days=days, **fields)
            )
    if not found:
        lines.append(texts.CHECKUP_NONE.format(kind=kind.label))
    total, behind = below
    if total and behind:
        lines.append(texts.CHECKUP_BELOW.format(behind=len(behind), total=total))
        lines.extend(_below_lines(behind))
    elif total:
        lines.append(texts.CHECKUP_BELOW_ALL_MET.format(total=total))
    return "\n".join(lines)
