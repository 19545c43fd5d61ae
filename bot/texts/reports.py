"""/calendar and /report: replies, captions, and the words drawn inside the charts."""

from __future__ import annotations

# /calendar
CALENDAR_FILE = "会议日历_{org}.ics"
CALENDAR_CAPTION = (
    "“{org}”近期会议日历：{count}次会议{cancelled}，提醒与会议通知一致。\n"
    "用手机或电脑的日历打开即可导入；会议有变动时再发一次 /calendar 并重新导入，"
    "原有日程会更新，不会重复。"
)
CALENDAR_CANCELLED = "（其中{count}次已取消）"
CALENDAR_EMPTY = "“{org}”近期没有会议安排。"
CALENDAR_EVENT_TITLE = "{kind}：{agenda}"
CALENDAR_DESCRIPTION = "{org}　会议编号{id}\n组织者：{organiser}"
CALENDAR_CANCELLED_NOTE = "\n本次会议已取消。"

# /report
NO_MEETINGS = "“{org}”在{period}（{span}）这个期间没有会议，没有生成图表。"
FAILED = "图表生成失败，请稍后再试。"
TOO_BIG = "这个期间的数据太多，图表生成超时或超出上限。请缩短期间，或分别查看各下级组织。"
CAPTION_ATTENDANCE = (
    "“{org}”{period}（{span}）各次会议出勤率（签到人数/应到人数），共{count}次会议。"
)
CAPTION_NO_OWN = "“{org}”本级在{period}没有召开会议；下面是下级组织的情况。"
CAPTION_BELOW = (
    "“{org}”{period}下级组织三会一课完成率与学习完成率（第{page}/{pages}页，按完成率由低到高）。"
)
CAPTION_LEFT_OUT = "\n另有{count}个组织未列出，详见 /ledger 台账。"

# Inside the charts
TITLE_ATTENDANCE = "{org}　会议出勤率"
SUBTITLE = "{period}（{span}）"
AXIS_RATE = "出勤率"
TITLE_BELOW = "{org}　下级组织完成情况"
LEGEND_MEETINGS = "三会一课完成率"
LEGEND_STUDY = "学习完成率"
NOT_APPLICABLE = "无要求"
NO_TOPIC = "无学习主题"
DAY = "{month}月{day}日"
FILE_ATTENDANCE = "出勤率_{org}_{period}.png"
FILE_BELOW = "下级组织_{org}_{period}_{page}.png"
