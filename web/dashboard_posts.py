"""The dashboard's 设岗定责 panel: GET /api/orgs/{id}/posts, the board of an organisation the
viewer manages over the chosen period (default this month)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiohttp import web

from bot.context import Runtime
from bot.services.posts import Board
from bot.services.posts_service import PostService
from web.dashboard_api import Json, answer, period_arg
from web.dashboard_auth import viewer


def setup(app: web.Application, runtime: Runtime) -> None:
    """Mount GET /api/orgs/{id}/posts."""
    panel = PostsPanel(runtime.services.posts, runtime.settings.timezone)
    app.router.add_get(r"/api/orgs/{org_id:\d{1,12}}/posts", panel.board)


def board_json(board: Board, tz: ZoneInfo) -> Json:
    """Posts with duties and holders' report counts, and the reports of the period."""
    return {
        "organisation": {"id": board.org_id, "name": board.org},
        "period": board.period,
        "posts": [
            {
                "name": post.name,
                "duties": post.duties,
                "holders": [
                    {"user_id": h.user.id, "name": h.user.name, "reports": h.count}
                    for h in post.holders
                ],
            }
            for post in board.posts
        ],
        "reports": [
            {
                "when": r.reported_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "post": r.post_name,
                "name": r.user.name,
                "text": r.text,
                "photo": r.photo_file_id is not None,
            }
            for r in reversed(board.reports)
        ],
    }


class PostsPanel:
    """The route, bound to the service."""

    def __init__(self, service: PostService, tz: ZoneInfo) -> None:
        self._service, self._tz = service, tz

    async def board(self, request: web.Request) -> web.Response:
        """The board of one organisation the user manages."""
        user, org_id = viewer(request), int(request.match_info["org_id"])

        async def work() -> Json:
            found = await self._service.dashboard_board(user.id, org_id, period_arg(request))
            return board_json(found, self._tz)

        return await answer(work)
