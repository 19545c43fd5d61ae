"""What 设岗定责 messages look like: the board (/posts) and a report's answer (plain text)."""

from __future__ import annotations

from bot.services.posts import Board
from bot.texts import posts as texts


def render_board(board: Board) -> str:
    """The board: each post with its duties, then each holder's reports this month."""
    if not board.posts:
        return (
            texts.BOARD_HEADER.format(org=board.org, month=board.period)
            + "\n"
            + (texts.BOARD_EMPTY)
        )
    lines = [texts.BOARD_HEADER.format(org=board.org, month=board.period)]
    for index, post in enumerate(board.posts, 1):
        lines.append(texts.BOARD_POST.format(index=index, name=post.name, duties=post.duties))
        if not post.holders:
            lines.append(texts.BOARD_NO_HOLDER)
        for holder in post.holders:
            template = texts.BOARD_HOLDER if holder.count else texts.BOARD_HOLDER_NONE
            lines.append(template.format(name=holder.user.name, count=holder.count))
    return "\n".join(lines) + texts.BOARD_TAIL
