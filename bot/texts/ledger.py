"""The ledger (台账): every message of /ledger, and the words inside the spreadsheet."""

from __future__ import annotations

from bot.core.periods import MAX_DAYS

PERIOD_FORMS = (
    "期间可以这样写：2026年、2026年第4季度（或 2026Q4）、2026年11月、本月、上月、本季度、"
    "上季度、今年、去年，或 2026-09-01至2026-11-30；不写就是本季度。"
)
BAD_PERIOD = "看不懂期间“{text}”。" + PERIOD_FORMS
PERIOD_BACKWARDS = "期间“{text}”的结束日期早于开始日期，请检查后再试。"
PERIOD_TOO_LONG = "期间最长{days}天，请分段导出。"
NO_MEETINGS = "“{org}”在{period}（{span}）这个期间没有会议，没有生成台账。"
PICK_ORG = "您管理多个组织，请选择要导出台账的组织（期间：{period}）："
PICK_MORE = "按钮只列出前{shown}个；其余的请在命令后写明：/ledger {period} 组织名称"
CAPTION = (
    "“{org}”台账｜{period}（{span}）\n会议{meetings}次，学习主题{topics}个，党员{members}人{below}"
)
CAPTION_BELOW = "，下级组织{count}个（{behind}个落后，表中标红）"
TOO_BIG = "这个期间的台账内容太多，生成超时或超出上限。请缩短期间，或分别导出各下级组织。"
FAILED = "台账生成失败，请稍后再试。"
FILE_NAME = "台账_{org}_{period}.xlsx"

ERRORS = {
    "bad_period": BAD_PERIOD,
    "period_backwards": PERIOD_BACKWARDS,
    "period_too_long": PERIOD_TOO_LONG,
}
assert MAX_DAYS > 366  # PERIOD_TOO_LONG is only said of spans longer than a year

# Sheet names and titles
SHEET_MEETINGS = "会议台账"
SHEET_STUDY = "学习台账"
SHEET_MEMBERS = "党员"
SHEET_BELOW = "下级组织"
SHEET_FLOATING = "流动党员"
TITLE = "{org}　{sheet}　{period}（{span}）"
NOTE_BELOW = "（{count}个组织，标红为未达到《中国共产党支部工作条例（试行）》规定次数）"

# Column headers
ORG = "组织"
MEETING_COLUMNS = (
    "日期",
    "星期",
    "类型",
    "议题",
    "地点",
    "组织者/主持人",
    "应到",
    "实到（签到）",
    "请假（姓名：原因）",
    "缺席",
    "出勤率",
    "记录",
)
STUDY_COLUMNS = ("主题", "发布", "截止", "应学", "已学习", "其中补学", "完成率", "测验平均分")
MEMBER_LEAD = ("姓名", "身份", "职务")
MEMBER_TAIL = ("会议出勤率", "学习（已学/应学）", "学习完成率")
BELOW_LEAD = ("组织", "上级组织", "类别", "党员数")
BELOW_TAIL = ("平均出勤率", "学习完成率", "状态")
HELD_OF = "{held}/{required}"
NOT_REQUIRED = "—"
BEHIND = "落后"
ON_TRACK = "达标"
NO_RECORD = "无"
AWAY_COLUMN = "外出/异地参加（流动党员）"
FLOATING_COLUMNS = (
    "流出地组织",
    "姓名",
    "所在地",
    "外出起",
    "外出止",
    "日期",
    "参加组织",
    "异地参加",
)
NO_ACTIVITY = "本期无异地活动"
