"""Messages of the meetings feature (三会一课): notices, reminders, answers, changes."""

from __future__ import annotations

# Buttons (contract: 参加, 请假, 签到, 提醒未回复)
BUTTON_YES = "参加"
BUTTON_LEAVE = "请假"
BUTTON_CHECK_IN = "签到"
BUTTON_NUDGE = "提醒未回复"
BUTTON_CONFIRM = "确认发布"
BUTTON_ABORT = "取消"
BUTTON_SKIP = "跳过"

# Creating
MEETING_USAGE = (
    "用法：/meeting 类型 时间 [地点] [议题]\n"
    "例如：/meeting 支委会 2026-12-05 15:00 三楼会议室 研究发展党员工作\n"
    "周期会议：/meeting 主题党日 每月第一个周五 15:00 党员活动室\n"
    "类型可选：{types}\n"
    "不带参数发送 /meeting 可以一步步填写。"
)
UNKNOWN_TYPE = "没有“{word}”这种会议类型。可选：{types}"
TIME_MISSING = "请写上会议时间，例如：12月5日15:00"
TIME_PAST = "会议时间已经过去了，请重新发送 /meeting。"
PLACE_TOO_LONG = "地点太长了，请控制在{limit}字以内。"
AGENDA_TOO_LONG = "议题太长了，请控制在{limit}字以内。"
BAD_NUMBER = "“{word}”不是会议编号，请写数字，例如：12"
CREATED = "已发布会议通知（编号 {id}）：{kind}，{when}。"
CREATED_LATER = "已安排会议（编号 {id}）：{kind}，{when}，通知将于{notice}发到群里。"
SERIES_CREATED = "已建立周期会议（系列编号 {id}）：{kind}，{rule}。已排好：\n{dates}"
SERIES_DATE_LINE = "· 编号 {id}：{when}"
NO_OCCURRENCE = "按这个周期，暂时排不出会议日期，请换一个写法。"

# The guided flow
FLOW_PICK_TYPE = "【新会议】请选择会议类型："
FLOW_ASK_TIME = (
    "【新会议】{kind}\n请回复本消息，写上会议时间，例如：明天下午3点、12月5日15:00，"
    "周期会议写“每月第一个周五 15:00”。发送 /cancel 退出。"
)
FLOW_ASK_PLACE = "【新会议】请回复本消息，写上会议地点（没有请回复“无”）。"
FLOW_ASK_AGENDA = "【新会议】请回复本消息，写上会议议题（没有请回复“无”）。"
FLOW_RETRY = "【新会议】请重新回复本消息。"
FLOW_TIME_ONLY = "这里只写时间就好，例如：明天下午3点"
FLOW_CONFIRM = "【新会议】请确认：\n{summary}"
FLOW_SUMMARY = "类型：{kind}\n时间：{when}\n地点：{place}\n议题：{agenda}"
FLOW_CANCELLED = "已取消，没有发布会议。"
FLOW_NOT_YOURS = "这不是您正在填写的会议，或这一步已经失效，请重新发送 /meeting。"

# The notice
NOTICE_TITLE = "📢 <b>会议通知</b>（编号 {id}）"
NOTICE_CANCELLED_TITLE = "❌ <b>会议已取消</b>（编号 {id}）"
NOTICE_TYPE = "类型：{kind}"
NOTICE_WHEN = "时间：{when}"
NOTICE_PLACE = "地点：{place}"
NOTICE_AGENDA = "议题：{agenda}"
NOTICE_ORGANISER = "组织者：{name}"
NOTICE_SERIES = "周期：{rule}"
NOTICE_YES = "✅ 参加（{count}）：{names}"
NOTICE_LEAVE = "🙏 请假（{count}）：{names}"
NOTICE_NONE = "⏳ 未回复（{count}）：{names}"
NOTICE_CHECKED_IN = "📝 已签到（{count}/{expected}）：{names}"
NOTICE_FOOTER = "请点击下方按钮回复是否参加，开会前都可以更改。"
NOTICE_STARTED = "会议已开始，回复已截止。"
NOTICE_NOBODY = "无"
LEAVE_WITH_REASON = "{name}（{reason}）"
PLACE_NONE = "待定"
AGENDA_NONE = "无"

# Answers
ANSWERED_YES = "已登记：参加"
ANSWERED_LEAVE = "已登记：请假，请说明原因"
ANSWERED_SAME = "您已经是“{rsvp}”了"
ANSWERS_CLOSED = "会议已开始，不能再更改回复"
MEETING_GONE = "这个会议已取消或不存在"
# The prompt starts with its meeting number: a reply to it names the meeting by itself.
ASK_REASON_PRIVATE = (
    "【请假原因·编号 {id}】您已请假：{kind}，{when}。\n请回复本消息，简要说明请假原因。"
)
ASK_REASON_GROUP = "【请假原因·编号 {id}】{mention} 已请假，请回复本消息说明原因。"
REASON_MARK = "【请假原因·编号 "
REASON_SAVED = "已记录请假原因，谢谢。"
REASON_STALE = "这条请假已经变更或会议已取消，原因没有记录。"
REASON_TOO_LONG = "原因太长了，请控制在{limit}字以内。"

# Check-in
CHECKIN_POST = (
    "🔔 <b>{kind}</b>现在开始（编号 {id}）。\n地点：{place}\n到会的同志请点击下方“签到”。"
)
CHECKED_IN = "签到成功"
CHECKED_IN_ALREADY = "您已经签到过了"
CHECKIN_EARLY = "还没到签到时间（会前30分钟开放）"
CHECKIN_CLOSED = "签到已结束（会后60分钟截止）"

# Reminders and nudges
REMINDER_GROUP = (
    "⏰ <b>会议提醒</b>：{kind}将于{when}召开（还有{left}），地点：{place}。\n"
    "以下同志还没有回复，请点击“参加”或“请假”：\n{mentions}"
)
NUDGE_GROUP = (
    "⏰ <b>请尽快回复</b>：{kind}，{when}，地点：{place}（编号 {id}）。\n"
    "以下同志还没有回复，请点击“参加”或“请假”：\n{mentions}"
)
REMINDER_PRIVATE = (
    "⏰ 会议提醒：{org}的{kind}将于{when}召开，地点：{place}（编号 {id}）。\n"
    "您还没有回复，请点击下方按钮。"
)
NUDGE_DONE = "已提醒未回复的同志"
NUDGE_NOBODY = "大家都已回复，无需提醒"
NUDGE_RECENT = "刚刚已经提醒过了，请稍后再试"
MANAGERS_ONLY = "只有书记、副书记、委员或群管理员可以这样做"

# Quorum
QUORUM_WARNING = (
    "⚠️ <b>人数提醒</b>：{org}的支部党员大会将于{when}召开（编号 {id}）。\n"
    "有表决权的正式党员共 {voters} 人，目前确认参加 {attending} 人，未超过半数，"
    "会议如需表决将不能有效进行。请提前联系未回复的同志。"
)

# Changes
CHANGED_GROUP = "📣 <b>会议变更</b>（编号 {id}）：{kind}\n{changes}\n{mentions}"
CHANGED_PRIVATE = "📣 会议变更：{org}的{kind}（编号 {id}）\n{changes}"
CHANGE_TIME = "时间改为：{new}（原定 {old}）"
CHANGE_PLACE = "地点改为：{new}（原定 {old}）"
CANCELLED_GROUP = "❌ <b>会议取消</b>（编号 {id}）：{kind}，原定{when}。{reason}\n{mentions}"
CANCELLED_PRIVATE = "❌ 会议取消：{org}的{kind}（编号 {id}），原定{when}。{reason}"
CANCEL_REASON = "原因：{reason}"

# Commands: /meeting_edit /meeting_cancel /series_edit /series_cancel
EDIT_USAGE = (
    "用法：/meeting_edit 编号 时间 新时间\n"
    "　　　/meeting_edit 编号 地点 新地点\n"
    "　　　/meeting_edit 编号 议题 新议题\n"
    "　　　/meeting_edit 编号 提醒 1d,1h（或“默认”）"
)
SERIES_EDIT_USAGE = (
    "用法：/series_edit 系列编号 时间 每月第一个周五 15:00\n"
    "　　　/series_edit 系列编号 地点 新地点\n"
    "　　　/series_edit 系列编号 议题 新议题\n"
    "　　　/series_edit 系列编号 提醒 1d,1h（或“默认”）"
)
CANCEL_USAGE = "用法：/meeting_cancel 编号 [原因]"
SERIES_CANCEL_USAGE = "用法：/series_cancel 系列编号"
BAD_OFFSETS = "提醒时间写法不对：{error}\n例如：1d,1h（天 d、小时 h、分钟 m、秒 s），或写“默认”"
EDITED = "已修改会议（编号 {id}）：{what}。已通知回复过的同志。"
EDITED_QUIET = "已修改会议（编号 {id}）：{what}。"
REMINDERS_SET = "提醒时间：会前{offsets}"
REMINDERS_NONE = "不提醒"
CANCELLED_DONE = "已取消会议（编号 {id}），并通知了回复过的同志。"
ALREADY_CANCELLED = "会议（编号 {id}）已经取消了。"
ALREADY_STARTED = "会议（编号 {id}）已经开始，不能再修改。"
SERIES_EDITED = "已修改周期会议（系列编号 {id}）：{what}，影响以后的 {count} 次会议。"
SERIES_CANCELLED = "已取消周期会议（系列编号 {id}）及以后的 {count} 次会议。"
SERIES_ALREADY_CANCELLED = "周期会议（系列编号 {id}）已经取消了。"
NOT_FOUND = "没有编号为 {id} 的会议。"
SERIES_NOT_FOUND = "没有编号为 {id} 的周期会议。"
OTHER_ORGANISATION = "编号 {id} 的会议不属于本群的组织。"

# Viewing
LIST_HEADER_GROUP = "📅 本组织近期的会议："
LIST_HEADER_MINE = "📅 您近期的会议："
LIST_LINE = (
    "· 编号 {id}｜{kind}｜{when}｜{place}\n　参加 {yes}，请假 {leave}，未回复 {none}{series}"
)
LIST_SERIES = "（系列 {id}）"
LIST_EMPTY = "近期没有安排会议。"
INFO_USAGE = "用法：/meeting_info 编号"
INFO_TITLE = "<b>{kind}</b>（编号 {id}）{cancelled}"
INFO_CANCELLED = "【已取消】"
INFO_WHEN = "时间：{when}\n地点：{place}"
INFO_COUNTS = "应到 {expected} 人：参加 {yes}，请假 {leave}，未回复 {none}，已签到 {checked}"
INFO_QUORUM = "有表决权的正式党员 {voters} 人，确认参加 {attending} 人，{verdict}"
INFO_QUORUM_OK = "超过半数。"
INFO_QUORUM_SHORT = "未超过半数，表决将不能有效进行。"
INFO_SENT_PRIVATELY = "详细名单已私信发给您。"
INFO_START_FIRST = "详细名单只能私信发送。请先私聊我并发送 /start，再来查看。"

# The codes of bot.core.meeting_args' errors.
ERRORS = {
    "meeting_usage": MEETING_USAGE,
    "unknown_meeting_type": UNKNOWN_TYPE,
    "time_missing": TIME_MISSING,
    "time_missing_forms": TIME_MISSING + "\n{forms}",
    "place_too_long": PLACE_TOO_LONG,
    "agenda_too_long": AGENDA_TOO_LONG,
    "reason_too_long": REASON_TOO_LONG,
    "bad_meeting_number": BAD_NUMBER,
}
