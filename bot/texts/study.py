"""Study topics (主题党日): every message of /study, /study_stats, publishing and reminders."""

from __future__ import annotations

BUTTON_STUDIED = "已学习"
BUTTON_MADE_UP = "已补学"

USAGE = (
    "学习主题命令：\n"
    "/study 查看待发布的学习主题\n"
    "/study template 获取计划模板（YAML、CSV、Excel）\n"
    "发送计划文件并在说明里写 /study import，批量导入\n"
    "/study add 逐步添加一个主题\n"
    "/study edit 编号 字段 新内容，修改未发布的主题\n"
    "/study delete 编号，删除未发布的主题\n"
    "/study_stats [编号] 查看学习情况"
)
IMPORT_NEEDS_FILE = (
    "请把计划文件（.yaml、.csv 或 .xlsx）作为文件发送，并在文件说明里写：/study import"
)
IMPORT_DOWNLOAD_FAILED = "文件下载失败，请稍后重新发送。"
IMPORT_DONE = "已导入{count}个学习主题（{org}）：\n{lines}"
TOPIC_LINE = "{id}. {title}｜{when}发布，{deadline}截止｜{scope}{quiz}"
TOPIC_RULE = "（{rule}）"
TOPIC_QUIZ = "｜测验{count}题"
LIST_HEADER = "“{org}”待发布的学习主题："
LIST_EMPTY = "“{org}”没有待发布的学习主题。发送 /study template 获取计划模板。"
TEMPLATE_CAPTION = "学习计划模板（{kind}）：按示例填写后发送给我，文件说明写 /study import"
TEMPLATE_DONE = (
    "以上是三种格式的计划模板，任选其一。要点：\n"
    "· publish_at 写“2026-12-05 09:00”，或“每月第一个周五 09:00”这样的规则"
    "（同一规则的多个主题依次排到后续各月）\n"
    "· deadline 写具体时间，或“发布后7天”\n"
    "· 讨论题2到5个；测验可选，最多5题；scope 为 本组织 或 下级组织\n"
    "· CSV/Excel 中多项用英文分号 ; 分隔，测验写成“题目|选项1|选项2|答案”"
)

EDIT_USAGE = (
    "用法：/study edit 编号 字段 新内容\n"
    "字段可选：标题、发布时间、简介、学习材料、讨论题、截止时间、测验、范围\n"
    "例如：/study edit 3 发布时间 2026-12-05 09:00"
)
EDIT_DONE = "已修改第{id}号主题：\n{line}"
DELETE_USAGE = "用法：/study delete 编号"
DELETE_DONE = "已删除第{id}号主题“{title}”。"
NOT_FOUND = "没有找到第{id}号学习主题。"
ALREADY_PUBLISHED = "第{id}号主题已经发布，不能再修改或删除。"
NOT_YOURS = "第{id}号主题不属于本组织，不能修改。"
BAD_NUMBER = "编号应当是数字，例如：/study delete 3"

# Acting privately: which organisation

# The guided /study add
FLOW_ASK_TITLE = "请回复这条消息，写学习主题的标题（60字以内）。发送 /cancel 可随时退出。"
FLOW_ASK_PUBLISH = "什么时候发布？例如：12月5日 9:00、2026-12-05 09:00，或“每月第一个周五 09:00”"
FLOW_ASK_SUMMARY = "请写学习内容简介（1000字以内）。"
FLOW_ASK_MATERIALS = "学习材料（文字或链接），每行一项；没有请回复“无”。"
FLOW_ASK_QUESTIONS = "讨论题，2到5个，每行一个。"
FLOW_ASK_DEADLINE = "截止时间？例如：12月12日 18:00，或“发布后7天”。"
FLOW_ASK_QUIZ = "测验（可选），每行一题，写成“题目|选项1|选项2|答案”；不需要请回复“无”。"
FLOW_ASK_SCOPE = "发送范围？回复“本组织”或“下级组织”（本组织及其全部下级组织）。"
FLOW_RETRY = "请重新回复。"
FLOW_CONFIRM = "请确认：\n{body}"
FLOW_CANCELLED = "已取消添加学习主题。"
FLOW_NOT_YOURS = "这不是您正在添加的主题。"
FLOW_ADDED = "已添加第{id}号学习主题，将于{when}发布。"
BUTTON_CONFIRM = "确认添加"
BUTTON_ABORT = "取消"

# Published topic
TOPIC_HEAD = "<b>主题党日学习：{title}</b>"
TOPIC_MATERIALS = "<b>学习材料</b>"
TOPIC_QUESTIONS = "<b>讨论题</b>"
TOPIC_DEADLINE = "请于{deadline}前完成学习，学完点下方“已学习”。"
TOPIC_QUIZ_FOLLOWS = "随后有{count}道测验题，欢迎作答。"
QUIZ_PREFIX = "【测验{number}/{total}】"

# Buttons and poll answers
STUDIED_DONE = "已记录，感谢学习！"
STUDIED_BEFORE = "您已于{when}记录过学习。"
MADE_UP_DONE = "已记录补学，感谢！"
MADE_UP_MARK = "✅ 已于{when}完成补学。"
TOPIC_GONE = "这个学习主题已不存在。"

# Reminders and make-up
REMIND_GROUP = "《{title}》将于{deadline}截止，以下同志还没有点“已学习”：\n{names}"
REMIND_MORE = "等{count}人"
REMIND_PRIVATE = (
    "提醒：学习主题《{title}》将于{deadline}截止，您还没有点“已学习”。请到支部群里学习后点按钮。"
)
MAKEUP_HEAD = "您请假未参加{month}月的主题党日，请补学以下内容，学完点“已补学”。"

# /study_stats
STATS_NO_TOPIC = "还没有发给本组织的学习主题。"
STATS_HEAD = "《{title}》学习情况（{deadline}截止）"
STATS_OWN = "{org}：已学习{studied}/{total}人"
STATS_MEMBER_DONE = "✅ {name} {when}{makeup}{quiz}"
STATS_MEMBER_MISSING = "❌ {name}{quiz}"
STATS_MAKEUP = "（补学）"
STATS_QUIZ = " 测验{correct}/{total}"
STATS_BELOW = "下级组织完成率："
STATS_ORG_LINE = "· {org}：{studied}/{total}人（{percent}%）"
STATS_MORE_ORGS = "……还有{count}个组织"
STATS_MORE_MEMBERS = "……还有{count}人"
STATS_NOT_REACHED = "第{id}号主题没有发给本组织或下级组织。"
