"""Texts of /dashboard, the Mini App's entrance."""

from __future__ import annotations

NO_PUBLIC_URL = (
    "党建看板还没有开通：需要管理员在配置中设置 PUBLIC_URL（Telegram 能访问到的 https 地址，"
    "例如 https://bot.example.org），并把该地址的 /app/ 和 /api/ 转发到本机器人的 HTTP 服务"
    "（WEB_HOST:WEB_PORT），然后重启机器人。"
)
IN_GROUP = "党建看板只能在私聊中打开：请点下面的按钮，到私聊后点“开始”即可。"
IN_GROUP_BUTTON = "去私聊打开"
MANAGER = "点下面的按钮打开党建看板：查看所管组织的三会一课、出勤、学习和逾期情况。"
MANAGER_BUTTON = "打开党建看板"
MEMBER = "点下面的按钮查看您本人的参会、请假和学习记录。"
MEMBER_BUTTON = "我的记录"
MENU_BUTTON = "党建看板"
