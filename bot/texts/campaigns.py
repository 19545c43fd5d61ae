"""Campaigns with points, awards, leaderboards and 五星党员评比: every sentence users read."""

from __future__ import annotations

ADD_USAGE = (
    "用法：/campaign add 活动名称 开始日期 天数 [下级组织]\n"
    "例如：/campaign add 百日学习竞赛 2026-12-01 100天\n"
    "加“下级组织”则本组织和所有下级组织一起参加。"
)
RULE_USAGE = (
    "用法：/campaign rule 活动名称 签到/学习/答题/履职 分值\n"
    "例如：/campaign rule 百日学习竞赛 签到 2"
)
USAGE = (
    "活动积分命令：\n"
    "/campaign — 查看本组织的活动和积分规则\n"
    "/campaign add 活动名称 开始日期 天数 [下级组织] — 新建活动\n"
    "/campaign rule 活动名称 签到/学习/答题/履职 分值 — 开始前修改积分规则\n"
    "/award 分数 理由 — 回复党员的消息，给他加分\n"
    "/rank [活动名称] — 查看排行榜"
)
ADDED = (
    "已创建活动“{name}”（{scope}）：{start}至{last}，共{days}天。\n"
    "积分规则：{rules}；另有管理员奖励分。\n"
    "开始前可用 /campaign rule {name} 签到 2 修改规则；"
    "活动期间每周在群里发布一次排行榜，结束后发布总结。"
)
SCOPE_OWN = "本组织"
SCOPE_SUBTREE = "本组织及下级组织"
RULES = "签到{checkin}分/次，学习{study}分/个主题，答对{quiz}分/题，履职报告{duty}分/次"
RULE_DONE = "已修改活动“{name}”的积分规则：{rules}。"
LIST_HEADER = "【{org}的活动】"
LIST_LINE = "· {name}（{scope}，{start}至{last}，{state}）\n  {rules}"
LIST_NONE = "本组织还没有活动。管理员可以发送：/campaign add 百日学习竞赛 2026-12-01 100天"
STATE_AHEAD = "未开始"
STATE_RUNNING = "进行中"
STATE_ENDED = "已结束"

AWARD_DONE = "已给{name}奖励{points}分：{reason}（{org}）"

RANK_HEADER = "【{name}·积分排行榜】{when}"
WEEK_HEADER = "【{name}·第{week}周积分排行榜】截至{when}"
SUMMARY_HEADER = "【{name}·活动总结】{start}至{last}"
RANK_MEMBER = "{place}. {name} {points}分"
RANK_ORG = "{place}. {name} 人均{points}分（{members}人）"
RANK_MEMBERS_TITLE = "党员排名："
RANK_ORGS_TITLE = "下级组织排名（按人均积分）："
RANK_FAILED = "排行榜暂时算不出来，请稍后再试。"
TOP_MEMBERS = "积分前{count}名党员："
TOP_ORGS = "人均积分前{count}名组织："
RANK_EMPTY = "还没有党员。"
RANK_MORE = "……共{count}人"
SUMMARY_RULES = "积分规则：{rules}；另有管理员奖励分。"
SUMMARY_THANKS = "感谢各位同志的参与！"
WHEN_SO_FAR = "截至{when}"

STARS_USAGE = (
    "五星党员评比：\n"
    "/stars 2026 或 /stars 活动名称 — 查看评比草稿（按记录自动生成）\n"
    "/stars set 期间 姓名 维度 星级 — 修改（或回复党员的消息：/stars set 期间 维度 星级）\n"
    "/stars publish 期间 — 把评比结果发布到本组织的群\n"
    "维度：学习、参会、履职、奉献、表率；星级 1-5。"
)
STARS_HEADER = "【{org}·{period}五星党员评比{state}】"
STARS_DRAFT = "草稿"
STARS_PUBLISHED = "结果"
STARS_SO_FAR = "（期间还没结束，按截至目前的记录）"
STARS_LINE = (
    "{stars} {name}（学习{study} 参会{meetings} 履职{duty} 奉献{dedication} 表率{example}）"
)
STARS_EMPTY = "本组织还没有党员。"
STARS_HINT = "修改：/stars set {period} 姓名 维度 星级；发布：/stars publish {period}"
STARS_SET = "已把{name}的{dimension}设为{stars}星，综合{overall}星。"
STARS_PUBLISHED_DONE = "已把{period}五星党员评比结果发布到本组织的{count}个群。"
STARS_NO_GROUP = "本组织没有可以发布的群。"
YEAR = "{year}年"

ERRORS = {
    "campaign_add_usage": ADD_USAGE,
    "campaign_rule_usage": RULE_USAGE,
    "campaign_bad_name": "活动名称要写1到{most}个字，不能有换行等特殊字符。",
    "campaign_bad_date": "“{text}”不是有效的开始日期，请写成2026-12-01这样的格式。",
    "campaign_past_date": "开始日期{text}已经过去了，请写今天或以后的日期。",
    "campaign_far_date": "开始日期{text}太远了，请写一年以内的日期。",
    "campaign_bad_days": "“{text}”不是有效的天数：请写1到{most}天，例如：100天。",
    "campaign_bad_points": "“{text}”不是有效的分值：请写{lowest}到{most}之间的整数。",
    "campaign_duplicate": "本组织已经有名为“{name}”的活动了，请换个名称。",
    "campaign_unknown": "没有找到活动“{name}”。发送 /campaign 查看本组织的活动。",
    "campaign_started": "活动“{name}”已经开始，积分规则不能再改（积分要按同一规则计算）。",
    "campaign_none": "本组织还没有进行中的活动。管理员可以用 /campaign add 新建。",
    "campaign_not_own": "活动“{name}”是上级组织“{org}”的，只能由它的管理员修改。",
    "award_usage": "用法：回复党员的消息，发送 /award 分数 理由，例如：/award 5 主动调解纠纷",
    "award_no_reason": "请写明奖励理由，例如：/award 5 主动调解纠纷",
    "award_long_reason": "理由太长了，请控制在{most}个字以内，不要换行。",
    "award_no_target": "请回复要奖励的党员的消息（不是机器人的消息）再发送 /award 分数 理由。",
    "award_not_member": "{name}不是本组织的党员，不能奖励。",
    "stars_usage": STARS_USAGE,
    "stars_set_usage": "用法：/stars set 期间 姓名 维度 星级，例如：/stars set 2026 张三 表率 5",
    "stars_bad_value": "“{text}”不是有效的星级，请写1到5。",
    "stars_bad_year": "“{text}”不是有效的年份，请写今年或以前的年份，例如：2026。",
    "stars_not_member": "{name}不是本组织的党员，不参加本组织的评比。",
    "stars_unknown_member": "本组织没有名为“{name}”的党员。",
    "stars_ambiguous_member": "本组织有不止一位“{name}”，请回复他的消息再修改。",
}
