"""Messages of policy Q&A: answers with their source, suggestions, and the managers' tools."""

from __future__ import annotations

# Answering (contract: the answer names the question it answers and ends with its source;
# suggestions start with 您是不是想问)
ANSWER = "问：{question}\n{answer}\n——{source}"
SUGGEST = "您是不是想问："
NOT_FOUND = "抱歉，问答库里没有找到这个问题的答案。可以换个说法再问，或请教支部书记。"
OWN_DATA = (
    "这是本支部自己的情况，政策问答答不了。近期会议和通知请发 /meetings 查看，"
    "本人的记录请发 /dashboard，其他请问支部书记。"
)
NOT_FOUND_KEPT = "抱歉，问答库里没有找到这个问题的答案。问题已记下，支部答复后再问我就能回答了。"
ASK_USAGE = (
    "用法：/ask 您的问题，例如：/ask 预备党员有表决权吗？\n"
    "在群里也可以@我提问，或者回复我的消息提问。"
)
ENTRY_GONE = "这条问答已经删除了，请重新提问。"
INLINE_ANSWER_TITLE = "{question}"

# /faq: managing the organisation's own entries
FAQ_USAGE = (
    "问答库管理（本组织的书记、委员和群管理员可用）：\n"
    "/faq pending — 查看并答复没答上的问题\n"
    "/faq add — 逐步添加一条问答\n"
    "/faq list — 本组织的问答和编号\n"
    "/faq edit 编号 字段 新内容 — 修改（字段：问题、问法、关键词、答案、出处）\n"
    "/faq delete 编号 — 删除\n"
    "/faq export — 导出为 YAML 文件（/faq export 全部：同时导出内置问答库）\n"
    "发送 YAML 文件并附言 /faq import — 导入（同编号的条目会被更新）"
)
PRIVATE_MANAGE = "问答库按组织管理，请在本组织的群里发送 /faq。"
PENDING_HINT = "\n有{count}个问题待答复，发送 /faq pending 查看。"

# /faq list
LIST_HEADER = "“{org}”的问答（{count}条）："
LIST_LINE = "{id}. {question}"
LIST_EMPTY = "“{org}”还没有自己的问答。可以发送 /faq add 添加，或导入 YAML 文件。"
LIST_MORE = "……另有{more}条，发送 /faq export 可导出全部。"
LIST_FOOTER = "修改：/faq edit 编号 字段 新内容；删除：/faq delete 编号"

# /faq pending
PENDING_HEADER = "待答复的问题（共{count}个，按提问先后）："
PENDING_LINE = "{n}. {question}\n    {who}，{when}{times}"
PENDING_TIMES = "，共{times}次"
PENDING_PRIVATE = "私聊提问"
PENDING_EMPTY = "目前没有待答复的问题。"
PENDING_MORE = "……其余{more}个答复完这些后再看。"
BUTTON_ANSWER = "答复{n}"
BUTTON_DISMISS = "忽略{n}"
DISMISSED = "已忽略：{question}"
PENDING_DONE = "这个问题已经处理过了。"
PENDING_NOT_HERE = "这个问题不属于本群的组织。"

# The guided flow (/faq add, or 答复 on a pending question)
FLOW_TAG_NEW = "【新问答】"
FLOW_TAG_REPLY = "【答复问题】{question}\n"
FLOW_ASK_QUESTION = "请回复本消息，写上问题，例如：村党员活动室什么时候开放？发送 /cancel 退出。"
FLOW_ASK_PHRASINGS = "请回复本消息，写出{n}种以上别的问法，每行一种，方便我认出同一个问题。"
FLOW_ASK_KEYWORDS = (
    "请回复本消息，写几个关键词，用空格或顿号隔开。回复“跳过”就用问题里的词：{auto}"
)
FLOW_ASK_KEYWORDS_NO_AUTO = "请回复本消息，写几个关键词，用空格或顿号隔开。"
FLOW_ASK_ANSWER = "请回复本消息，写上答案（{limit}字以内）。发送 /cancel 退出。"
FLOW_ASK_SOURCE = (
    "请回复本消息，写上答案的出处，例如：《中国共产党支部工作条例（试行）》第十二条，"
    "或“本支部委员会决定”。"
)
FLOW_RETRY = "请重新回复本消息。"
FLOW_CONFIRM = (
    "请确认这条问答：\n问题：{question}\n问法：{phrasings}\n关键词：{keywords}\n"
    "答案：{answer}\n——{source}"
)
BUTTON_SAVE = "保存"
BUTTON_ABORT = "取消"
FLOW_SAVED = "已保存为第{id}条问答，本组织和下级组织的群里都能用了。"
FLOW_SAVED_PENDING = "已保存为第{id}条问答，以后再有人问“{question}”，我就能回答了。"
FLOW_CANCELLED = "已取消，没有保存。"
FLOW_NOT_YOURS = "这不是您正在填写的问答。"
FLOW_EXPIRED = "这条问答已经不在填写中了，请重新开始。"
SKIP_WORDS = frozenset({"跳过", "无", "没有", "-"})

# Checking what managers type
EMPTY = "内容不能为空。"
TOO_LONG = "{field}太长了，请控制在{limit}字以内（现有{count}字）。"
TOO_FEW_PHRASINGS = "问法至少要{n}种（每行一种），现在有{count}种。"
NO_KEYWORDS = "请至少写一个关键词。"
INVALID_ENTRY = "这条问答不符合问答库的格式：{issues}"

# /faq edit and /faq delete
FIELDS = {
    "问题": "question",
    "问法": "phrasings",
    "关键词": "keywords",
    "答案": "answer",
    "出处": "source",
}
EDIT_USAGE = (
    "用法：/faq edit 编号 字段 新内容\n"
    "字段可选：问题、问法、关键词、答案、出处。问法每行一种，关键词用空格或顿号隔开。\n"
    "例如：/faq edit 3 出处 本支部委员会决定"
)
EDIT_DONE = "已修改第{id}条问答的{field}。"
DELETE_USAGE = "用法：/faq delete 编号，例如：/faq delete 3（编号见 /faq list）"
DELETE_DONE = "已删除第{id}条问答：{question}"
BAD_NUMBER = "“{word}”不是问答编号，请写数字，例如：3"
ENTRY_NOT_FOUND = "本组织没有第{id}条问答。发送 /faq list 查看编号。"
UNKNOWN_FIELD = "没有“{word}”这个字段。可选：问题、问法、关键词、答案、出处"

# /faq export and /faq import
EXPORT_ALL_WORDS = frozenset({"全部", "all", "内置"})
EXPORT_CAPTION = "“{org}”的问答库，共{count}条。修改后发给我并附言 /faq import 即可导入。"
EXPORT_SHIPPED_CAPTION = (
    "内置问答库，共{count}条。把某条连同编号放进本组织的文件导入，就会在本组织替换内置答案。"
)
IMPORT_USAGE = "请把 YAML 文件发到群里，附言写 /faq import；也可以回复那个文件发送 /faq import。"
IMPORT_TOO_BIG = "文件太大了，上限是{limit}KB。"
IMPORT_NOT_TEXT = "这个文件不是 UTF-8 编码的文本，请另存为 UTF-8 后再发。"
IMPORT_DONE = "导入完成：新增{added}条，更新{updated}条。“{org}”现有{total}条问答。"
IMPORT_REJECTED = "{error}\n没有导入任何内容，请改正后重新发送。"
IMPORT_MORE_ISSUES = "……另有{more}处错误"
