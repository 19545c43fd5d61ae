"""Every message the bot sends, in Simplified Chinese; one module per feature."""

from __future__ import annotations

from bot.core.domain import Domain
from bot.core.errors import UserFacingError
from bot.texts.campaigns import ERRORS as CAMPAIGN_ERRORS
from bot.texts.floating import ERRORS as FLOATING_ERRORS
from bot.texts.ledger import ERRORS as LEDGER_ERRORS
from bot.texts.liangshen import ERRORS as LIANGSHEN_ERRORS
from bot.texts.meetings import ERRORS as MEETING_ERRORS
from bot.texts.minutes import ERRORS as MINUTES_ERRORS

# General
ERROR_GENERIC = "抱歉，刚才处理时出了点问题，请稍后再试。"
GROUP_ONLY = "这个命令需要在支部群里使用。"
PRIVATE_ONLY = "这个命令请私聊我使用。"
NOT_BOUND = "本群还没有绑定党组织。请群管理员发送：/bind 组织名称"
MANAGERS_ONLY = "抱歉，只有本组织的书记、副书记、委员或群管理员可以这样做。"
ADMINS_ONLY = "抱歉，只有本群管理员可以绑定或解绑组织。"
SUPERADMINS_ONLY = "抱歉，只有县级管理员可以调整组织的上下级关系。"
BUTTON_STALE = "这个按钮已经失效了。"

# The bot joins and leaves groups
GREETING = (
    "大家好，我是党建助手，负责发布学习内容、会议通知和提醒，也能解答党务政策问题。\n"
    "请群管理员发送 /bind 组织名称 [领域]，把本群绑定到所属党组织，例如：\n"
    "/bind 城关镇第一党支部 机关\n"
    "建议把我设为群管理员，这样我能准确记录入群、退群的党员。"
)
GREETING_BOUND = "大家好，我回来了。本群仍绑定在“{org}”。"

# /bind /unbind /org_parent
BIND_USAGE = (
    f"用法：/bind 组织名称 [领域] [邀请码]\n领域可选：{Domain.labels()}\n"
    "例如：/bind 城关镇第一党支部 机关\n已有的组织需要它的管理员同意，或使用他们给的邀请码。"
)
BIND_DONE = "已将本群绑定到“{org}”（{kind}·{domain}）。"
BIND_CREATED = "这是新建的组织。"
BIND_REPLACED = "原来绑定的“{previous}”已解除。"
UNBIND_DONE = "已解除本群与“{org}”的绑定。"
ORG_PARENT_USAGE = "用法：/org_parent 上级组织名称，例如：/org_parent 城关镇党委"
ORG_PARENT_DONE = "已将“{org}”设为“{parent}”的下级组织。"

# People
START_UNKNOWN = (
    "您好，我是党建助手。\n"
    "您还没有加入任何已绑定的支部群。加入本支部的群后，我会在群里发布学习内容和会议通知，"
    "也会在这里私信提醒您。\n"
    "发送 /name 张三 可以登记您的真实姓名，发送 /help 查看全部命令。"
)
START_YOUR_ID = "\n您的用户编号：{id}（县委组织部把您登记为县级管理员时需要）"
START_PROFILE = "您好，{name}！以下是您的登记信息：\n{memberships}\n发送 /help 查看全部命令。"
PROFILE_LINE = "· {org}：{role}，{status}{floating}"
PROFILE_FLOATING = "，流动党员"
PROFILE_NO_REAL_NAME = "（还没有登记真实姓名，可发送 /name 张三 登记）"
NAME_USAGE = "用法：/name 您的真实姓名，例如：/name 张三"
NAME_DONE = "好的，已登记您的姓名：{name}。"
ROLE_USAGE = "用法：回复某位党员的消息，发送 /role 职务。职务可选：{choices}"
STATUS_USAGE = "用法：回复某位党员的消息，发送 /status 身份。身份可选：{choices}"
ROLE_DONE = "已将{name}的职务设为{role}。"
STATUS_DONE = "已将{name}的身份设为{status}。"
REPLY_TO_A_PERSON = "请回复一位党员（不是机器人）的消息再使用这个命令。"

# /help
HELP_HEADER_GROUP = "在本群可用的命令："
HELP_HEADER_PRIVATE = "私聊中可用的命令："
HELP_LINE = "/{name} {args}— {description}"

# Acting privately for an organisation (bot/services/access.py).
PRIVATE_NO_ORG = "您不是任何组织的书记、副书记或委员，私聊中不能这样做；请在本组织的群里操作。"
PRIVATE_PICK_ORG = "请在命令后写明组织名称，例如：{command} {name}\n可选：{names}"
ORG_NOT_FOUND = "没有找到组织“{name}”。"
NOT_MANAGER_OF = "您不是“{org}”或其上级组织的管理人员，不能代它操作。"
NOT_YOUR_ORGANISATION = "抱歉，您只能管理自己所在的组织及其下级组织。"


_TEMPLATES = {
    "not_bound": NOT_BOUND,
    "not_manager": MANAGERS_ONLY,
    "admins_only": ADMINS_ONLY,
    "bind_usage": BIND_USAGE,
    "org_parent_usage": ORG_PARENT_USAGE,
    "reply_to_a_person": REPLY_TO_A_PERSON,
    "role_usage": ROLE_USAGE,
    "status_usage": STATUS_USAGE,
    "not_your_organisation": NOT_YOUR_ORGANISATION,
    **MEETING_ERRORS,
    **CAMPAIGN_ERRORS,
    **LEDGER_ERRORS,
    **MINUTES_ERRORS,
    **LIANGSHEN_ERRORS,
    **FLOATING_ERRORS,
}


def error_text(error: UserFacingError) -> str:
    """The Chinese reply for a user's mistake: its code's template, else its own message."""
    if error.message:
        return error.message
    template = _TEMPLATES.get(error.code)
    return template.format(**error.values) if template else str(error)
