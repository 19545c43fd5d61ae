"""Meeting records (会议记录) and the 三会一课 checkup: every sentence users read."""

from __future__ import annotations

# A draft and its brief group version start with this mark: a reply to it is all the bot
# needs to know which meeting it is about.
MARK = "【会议记录·编号 "
HEADER = MARK + "{id}】{status}"
STATUS_DRAFT = "草稿"
STATUS_DONE = "第{version}版·已完成"
STATUS_REVISING = "第{version}版·修订中"

FIELDS = (
    "会议名称：{title}\n"
    "时间：{when}\n"
    "地点：{place}\n"
    "主持人：{host}\n"
    "记录人：{recorder}\n"
    "应到：{expected}人　实到：{present_count}人　请假：{leave_count}人　缺席：{absent_count}人\n"
    "实到人员：{present}\n"
    "请假人员：{leave}\n"
    "缺席人员：{absent}\n"
    "议题：{agenda}"
)
BODY = "\n\n<b>会议内容</b>\n{content}\n\n<b>决议</b>\n{resolutions}"
NOBODY = "无"
NOT_YET = "（待补充）"
NO_PLACE = "未填写"
LEAVE_ITEM = "{name}（{reason}）"
NO_REASON = "未说明原因"
HOW_TO_REPLY = (
    "\n\n请<b>回复本消息</b>补充记录，可分多次回复：第一行写“内容：”或“决议：”"
    "（不写默认记入会议内容），写“记录人：姓名”登记记录人。写好后点“完成”。"
)
CUT = "\n……（内容较长，完整记录见 .docx 文件）"
DRAFT_GROUP = (
    MARK + "{id}】{kind}（{when}）已结束，会议记录草稿已生成。{mentions}\n"
    "书记、委员请回复本消息补充会议内容和决议（第一行写“内容：”或“决议：”），写好后点“完成”；"
    "也可私聊我发送 /record {id} 查看。"
)
BUTTON_DONE = "完成"

ADDED = "已记入{part}（第{version}版）。可继续回复补充，写好后点“完成”。"
ADDED_RECORDER = "已登记记录人：{name}（第{version}版）。"
ADDED_NEW_VERSION = "记录已完成过，这次修改记为第{version}版，写好后请再点“完成”。\n"
COMPLETED = "会议记录第{version}版已完成，可发送 /record {id} 查看并下载 .docx 文件。"
COMPLETED_ALREADY = "这份记录已经完成了。"
COMPLETE_EMPTY = "会议内容还是空的：请先回复草稿补充会议内容，再点“完成”。"
ONLY_MANAGERS = "抱歉，只有本组织的书记、副书记、委员或群管理员可以填写和查看会议记录。"
RECORD_USAGE = "用法：/record 会议编号，例如：/record 12"
NO_RECORD_YET = "第 {id} 号会议还没有记录：会议结束（签到截止）后会自动生成草稿。"
RECORD_CANCELLED = "第 {id} 号会议已取消，没有会议记录。"
RECORD_SENT_PRIVATELY = "会议记录含有请假原因等个人信息，已私信发给您。"
RECORD_START_FIRST = (
    "会议记录含有个人信息，只能私信发送：请先私聊我发送 /start，再发送 /record {id}。"
)
DOCX_CAPTION = "{title}会议记录（{status}）"
DOCX_TITLE = "{title}会议记录"
DOCX_NAME = "会议记录_{id}_第{version}版.docx"
DOCX_HEADINGS = ("会议内容", "决议")
DOCX_SIGNATURES = "主持人（签字）：__________　　记录人（签字）：__________"
DOCX_DATE = "日期：______年____月____日"
DOCX_FIELDS = (
    "会议名称",
    "时间",
    "地点",
    "主持人",
    "记录人",
    "应到人数",
    "实到人数",
    "实到人员",
    "请假人员（原因）",
    "缺席人员",
    "议题",
)

# /meeting_held
HELD_USAGE = "用法：/meeting_held 会议编号，例如：/meeting_held 12（会议已开但没人签到时使用）"
HELD_DONE = "已将第 {id} 号会议（{kind}）标记为已召开，计入三会一课。"
HELD_ALREADY = "第 {id} 号会议已经标记为已召开了。"
HELD_FUTURE = "第 {id} 号会议还没到时间，不能标记为已召开。"
HELD_CANCELLED = "第 {id} 号会议已取消，不能标记为已召开。"

# Alerts and /checkup
ALERT_HEADER = "【三会一课提醒】{org}"
ALERT_LINE = "{period}还没有召开{kind}，距{end}还有{days}天"
ALERT_FOOTER = "请及时安排。会议开过但没人签到的，可发送 /meeting_held 会议编号 补记。"
SUMMARY_HEADER = (
    "【下级组织三会一课情况】{org}\n以下组织{month}月还有会议未召开（距月末还有{days}天）："
)
SUMMARY_LINE = "· {org}：{kinds}"
SUMMARY_MORE = "……另有{count}个组织，可发送 /checkup 查看。"
CHECKUP_HEADER = "【三会一课情况】{org}（截至{today}）"
CHECKUP_MET = "✅ {period}{kind}：已召开{held}次"
CHECKUP_MISSING = "❌ {period}{kind}：还没有召开，距{end}还有{days}天"
CHECKUP_NONE = "本组织是{kind}，没有三会一课的频次要求。"
CHECKUP_BELOW = "\n下级组织（{behind}/{total}个未按要求召开）："
CHECKUP_BELOW_ALL_MET = "\n下级组织{total}个，均已按要求召开。"
CHECKUP_GROUPS_NOTE = "党小组会按每个党小组分别统计。"

ERRORS = {
    "minutes_empty_reply": "回复内容是空的：请在“内容：”或“决议：”后面写上具体内容。",
    "minutes_recorder_long": "记录人姓名太长了，最多20个字。",
    "minutes_too_long": "这部分记录太长了（最多2万字），请精简后再补充。",
}
