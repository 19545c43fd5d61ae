"""The dashboard's JSON API under /api/ (the gate in web/dashboard_auth.py runs first).

Each route calls one DashboardService use case with the checked user's id and renders its
plain values as JSON; what the user may see was decided and filtered by the service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot import texts
from bot.context import Runtime
from bot.core.errors import InvalidInput, PermissionDenied, UserFacingError
from bot.core.ledger_rows import Ledger, MeetingRow, MemberRow, TopicRow
from bot.core.org_rows import OrgRow
from bot.core.periods import Period
from bot.services.dashboard_service import DashboardService, MemberPage
from bot.services.meetings import Listed
from web.dashboard_auth import viewer

Json = dict[str, Any]
# A period is a few words (`2026年第4季度`); longer text is not one.
MAX_PERIOD = 40


def setup(app: web.Application, runtime: Runtime) -> None:
    """Mount GET /api/me, /api/overview, /api/orgs/{id}, /api/my."""
    api = DashboardApi(runtime.services.dashboard, runtime.settings.timezone)
    app.router.add_get("/api/me", api.me)
    app.router.add_get("/api/overview", api.overview)
    app.router.add_get(r"/api/orgs/{org_id:\d{1,12}}", api.organisation)
    app.router.add_get(r"/api/orgs/{org_id:\d{1,12}}/members/{user_id:\d{1,15}}", api.member)
    app.router.add_get("/api/my", api.my_record)


async def answer(work: Callable[[], Awaitable[Json]]) -> web.Response:
    """200 with the JSON; a user's mistake or a refusal as 400/403/404 with the Chinese text."""
    return await answer_file(work)


async def answer_file(work: Callable[[], Awaitable[Json | web.Response]]) -> web.Response:
    """The work's response (JSON for a dict); a user's mistake or a refusal as 400/403/404
    with the Chinese text."""
    try:
        found = await work()
    except UserFacingError as exc:
        body = {"error": exc.code or "refused", "message": texts.error_text(exc)}
        return web.json_response(body, status=refusal_status(exc))
    return found if isinstance(found, web.Response) else web.json_response(found)


def refusal_status(exc: UserFacingError) -> int:
    """400 for bad input, 403 for a refusal, 404 for something missing."""
    if isinstance(exc, InvalidInput):
        return 400
    if isinstance(exc, PermissionDenied):
        return 403
    return 404


def period_arg(request: web.Request) -> str:
    """The `period` query parameter, bounded."""
    text = request.query.get("period", "").strip()
    if len(text) > MAX_PERIOD:
        raise InvalidInput("期间太长了，例如：本季度、2026年11月、2026Q4")
    return text


class DashboardApi:
    """The routes, bound to the service."""

    def __init__(self, service: DashboardService, tz: ZoneInfo) -> None:
        self._service, self._tz = service, tz

    async def me(self, request: web.Request) -> web.Response:
        """The user and each organisation they may see."""
        user = viewer(request)

        async def work() -> Json:
            found = await self._service.viewer(user.id)
            organisations = [
                {
                    "id": o.id,
                    "name": o.name,
                    "kind": o.kind.label,
                    "parent_id": o.parent_id,
                    "access": "manage",
                }
                for o in found.managed
            ]
            managed = {o.id for o in found.managed}
            organisations += [
                {
                    "id": o.id,
                    "name": o.name,
                    "kind": o.kind.label,
                    "parent_id": o.parent_id,
                    "access": "self",
                }
                for o in found.member_of
                if o.id not in managed
            ]
            return {
                "user": {"id": user.id, "name": user.full_name, "username": user.username},
                "superadmin": found.superadmin,
                "manager": found.manager,
                "organisations": organisations,
            }

        return await answer(work)

    async def overview(self, request: web.Request) -> web.Response:
        """概览: each organisation the user manages, with its status."""
        user = viewer(request)

        async def work() -> Json:
            found = await self._service.overview(user.id, period_arg(request))
            return {
                "period": period_json(found.period),
                "organisations": [asdict(status) for status in found.organisations],
            }

        return await answer(work)

    async def organisation(self, request: web.Request) -> web.Response:
        """One organisation: meetings, topics, members, and the organisations below."""
        user, org_id = viewer(request), int(request.match_info["org_id"])

        async def work() -> Json:
            page = await self._service.organisation(user.id, org_id, period_arg(request))
            upcoming = [upcoming_json(listed, self._tz) for listed in page.upcoming]
            faq = [
                {"id": e.id, "question": e.entry.question, "source": e.entry.source}
                for e in page.faq
            ]
            extra = {"upcoming": upcoming, "faq": faq, "unanswered": page.unanswered}
            return ledger_json(page.ledger) | extra

        return await answer(work)

    async def member(self, request: web.Request) -> web.Response:
        """A member of an organisation the user manages."""
        user, org_id = viewer(request), int(request.match_info["org_id"])
        member_id = int(request.match_info["user_id"])

        async def work() -> Json:
            page = await self._service.member(user.id, org_id, member_id, period_arg(request))
            return member_page_json(page)

        return await answer(work)

    async def my_record(self, request: web.Request) -> web.Response:
        """我的记录: the user's own attendance and study."""
        user = viewer(request)

        async def work() -> Json:
            found = await self._service.my_record(user.id, period_arg(request))
            return {
                "period": period_json(found.period),
                "records": [member_page_json(page) for page in found.pages],
            }

        return await answer(work)


def period_json(period: Period) -> Json:
    """The period's label and days."""
    return {
        "label": period.label,
        "span": period.span_text,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
    }


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def meeting_json(row: MeetingRow) -> Json:
    """A past meeting with its attendance."""
    return {
        "org": row.org,
        "starts": _when(row.starts),
        "weekday": row.weekday,
        "kind": row.kind,
        "agenda": row.agenda,
        "place": row.place,
        "organiser": row.organiser,
        "expected": row.expected,
        "present": row.present,
        "rate": row.rate,
        "leave": [{"name": n, "reason": r} for n, r in row.leave],
        "absent": list(row.absent),
        "away": [_away(state) | {"name": name} for name, state in row.away],
        "record": row.record,
    }


def _away(state: str) -> Json:
    """外出：广东省东莞市 / 异地参加：某流动党员党支部 as {state, where}."""
    kind, _, where = state.partition("：")
    return {"state": kind, "where": where}


def topic_json(row: TopicRow) -> Json:
    """A study topic with its completion."""
    return {
        "org": row.org,
        "title": row.title,
        "published": _when(row.published),
        "deadline": _when(row.deadline),
        "expected": row.expected,
        "studied": row.studied,
        "makeup": row.makeup,
        "rate": row.rate,
        "quiz_average": row.quiz_average,
    }


def member_json(row: MemberRow) -> Json:
    """A member's attendance and study."""
    return {
        "org": row.org,
        "user_id": row.user_id,
        "name": row.name,
        "status": row.status.label,
        "role": row.role.label,
        "attendance": row.attendance,
        "studied": row.studied,
        "study_expected": row.study_expected,
        "study_rate": row.study_rate,
        "by_kind": [
            {"kind": k.label, "attended": a, "expected": e} for k, (a, e) in row.by_kind.items()
        ],
    }


def below_json(row: OrgRow) -> Json:
    """An organisation below, with its 三会一课 standing."""
    standings = [s for s in row.standings.values() if s is not None]
    return {
        "name": row.name,
        "parent": row.parent,
        "kind": row.kind.label,
        "members": row.members,
        "held": sum(s.held for s in standings),
        "required": sum(s.required for s in standings),
        "behind": row.behind,
        "attendance": row.attendance,
        "study": row.study_rate,
    }


def ledger_json(ledger: Ledger) -> Json:
    """An organisation's page."""
    return {
        "organisation": {
            "id": ledger.org.id,
            "name": ledger.org.name,
            "kind": ledger.org.kind.label,
        },
        "period": period_json(ledger.period),
        "meetings": [meeting_json(r) for r in reversed(ledger.meetings)],
        "topics": [topic_json(r) for r in ledger.topics],
        "members": [member_json(r) for r in ledger.members],
        "below": [below_json(r) for r in ledger.below],
    }


def upcoming_json(listed: Listed, tz: ZoneInfo) -> Json:
    """A meeting to come, with its live 参加 / 请假 / 未回复 counts."""
    meeting = listed.meeting
    return {
        "id": meeting.id,
        "starts": _when(meeting.starts_at.astimezone(tz)),
        "kind": meeting.kind.label,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "yes": listed.yes,
        "leave": listed.leave,
        "none": listed.none,
        "away": [{"name": name, "place": place} for name, place in listed.away],
    }


def member_page_json(page: MemberPage) -> Json:
    """A member's line with their meetings (leave reasons) and topics (quiz scores)."""
    return member_json(page.row) | {
        "meetings": [
            {
                "org": m.org,
                "starts": _when(m.starts),
                "kind": m.kind,
                "agenda": m.agenda,
                "state": m.state,
                "reason": m.reason,
            }
            for m in page.meetings
        ],
        "studies": [
            {
                "org": t.org,
                "title": t.title,
                "published": _when(t.published),
                "studied": t.studied,
                "makeup": t.makeup,
                "quiz": t.quiz,
            }
            for t in page.studies
        ],
    }
