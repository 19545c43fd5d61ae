"""Floating members (流动党员): /away, /back, /floating, topics and the monthly digest."""

from __future__ import annotations

AWAY_USAGE = (
    "用法：/away 所在地 [起始月份] [流入地党组织] [联系方式]\n"
    "例如：/away 广东省东莞市 2026-03起 13800000000\n"
    "管理员可以回复某位党员的消息发送，为他登记。回来后发送 /back。"
)
AWAY_BAD_PLACE = "“{word}”不像一个地点，请先写所在地，例如：/away 广东省东莞市"
AWAY_PLACE_TOO_LONG = "所在地太长了，请控制在{limit}字以内。"
AWAY_TOO_LONG = "内容太长了，请控制在{limit}字以内。"
AWAY_BAD_DATE = (
    "看不懂日期“{word}”，请写成 2026-03 或 2026年3月，例如：/away 广东省东莞市 2026-03起"
)
AWAY_FUTURE_DATE = "日期“{word}”还没到。请写已经外出的月份；还没出发的，出发后再登记。"
AWAY_OLD_DATE = "日期“{word}”太早了，请检查后再试。"
HOST_NOT_FOUND = "没有找到流入地党组织“{name}”。请写准确的组织名称，或不写。"
HOST_IS_HOME = "流入地党组织不能是您组织关系所在的支部。"
NOT_A_MEMBER = "您还不是已绑定支部的党员，不能登记外出。请先在本支部群里发一条消息。"
TARGET_NOT_A_MEMBER = "{name}不是本支部的党员，不能为他登记外出。"
PICK_HOME = "您是多个支部的党员，请在组织关系所在支部的群里发送这个命令。"
FLOATING_GROUP_REPLY = "流动党员的外出登记由其组织关系所在支部的管理员办理，或由本人发送 /away。"
FLOATING_GROUP = "这里是流动党员党支部的群。请私聊我，或在组织关系所在支部的群里发送。"
NOT_AWAY = "{name}目前没有登记外出，不需要 /back。"
AWAY_DONE = (
    "已登记：{name}自{since}起在{place}{host}（组织关系仍在“{home}”）{contact}。\n"
    "外出期间在流入地或流动党员党支部参加的会议、学习都会记入本支部台账（异地参加）。"
)
AWAY_HOST = "，流入地党组织“{host}”"
AWAY_CONTACT = "，联系方式：{contact}"
BACK_DONE = "欢迎回来！已结束{name}在{place}的外出登记（{since}起）。"

FLOATING_TITLE = "“{org}”外出的流动党员（{count}人）："
FLOATING_NONE = "“{org}”目前没有登记外出的党员。"
FLOATING_LINE = "· {name}：{place}{host}，{since}起{contact}，最近活动：{last}"
HOSTED_TITLE = "在本组织参加活动的流动党员（{count}人，只显示在本组织的活动）："
HOSTED_LINE = "· {name}：{place}，{since}起，组织关系在“{home}”，在本组织最近活动：{last}"
NEVER = "暂无"

# Meetings
NOTICE_AWAY = "🚌 外出（{count}）：{names}"
AWAY_NAME = "{name}（{place}）"
REMOTE_NOTE = "💻 本次会议可线上参加。"
AWAY_REMINDER = (
    "【流动党员】{org}将于{when}召开{kind}（编号 {id}）。您外出期间不必赶回参加{remote}"
    "也可以在所在地的党组织或流动党员党支部参加组织生活，同样记入本支部台账。"
)
AWAY_REMINDER_REMOTE = "，本次会议可线上参加，请按组织者的安排远程参加；"
AWAY_REMINDER_LOCAL = "；"

# Study
TOPIC_HEADER = "【流动党员·{org}】本月主题党日学习，与支部同步学习："

# The monthly digest
DIGEST = (
    "【流动党员月报·{month}】{name}您好，您在{place}。“{org}”本月：\n"
    "召开会议{count}次{meetings}\n学习主题：{topics}\n您还没有完成：{todo}\n"
    "在所在地或流动党员党支部参加的活动同样记入本支部台账。"
)
DIGEST_MEETING = "\n· {when} {kind}"
DIGEST_NO_TOPICS = "无"
DIGEST_ALL_DONE = "没有了，谢谢！"

ERRORS = {
    "away_usage": AWAY_USAGE,
    "away_bad_place": AWAY_BAD_PLACE,
    "away_place_too_long": AWAY_PLACE_TOO_LONG,
    "away_too_long": AWAY_TOO_LONG,
    "away_bad_date": AWAY_BAD_DATE,
    "away_future_date": AWAY_FUTURE_DATE,
    "away_old_date": AWAY_OLD_DATE,
}
