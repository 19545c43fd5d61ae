"""设岗定责 (posts for members without office): every sentence users read."""

from __future__ import annotations

SUGGESTED_LINE = "{name}：{duties}"
USAGE = (
    "设岗定责（书记、委员或群管理员使用）：\n"
    "/post add 岗位名称 职责（一句话） — 设立岗位，例如：/post add 纠纷调解 负责调解邻里纠纷，"
    "每月至少走访一次\n"
    "/post remove 岗位名称 — 撤销岗位（已有的履职记录保留）\n"
    "/post assign 岗位名称 [姓名] — 回复党员的消息，或写上姓名，把岗位交给他（可兼多个岗位）\n"
    "/post unassign 岗位名称 [姓名] — 取消某位党员的岗位\n"
    "/posts 查看岗位和本月履职情况；党员用 /duty 做了什么 报告履职。\n"
    "参考岗位（写岗位名称即可使用默认职责）：\n{suggested}"
)
ADD_USAGE = "用法：/post add 岗位名称 职责（一句话），例如：/post add 纠纷调解 负责调解邻里纠纷"
NAME_USAGE = "请写上岗位名称，例如：/post {verb} 纠纷调解"
BAD_NAME = "岗位名称“{name}”不合适：请用不超过{limit}个字、不含空格和特殊符号的名称。"
DUTIES_MISSING = "请用一句话写明“{name}”岗位的职责，例如：/post add {name} 负责……"
DUTIES_TOO_LONG = "职责请用一句话写清楚，不超过{limit}个字（现在{length}个字）。"
TOO_MANY_POSTS = "本组织已有{limit}个岗位，请先撤销不用的岗位。"
DUPLICATE = "本组织已有“{name}”岗位了。要修改职责，请先 /post remove {name} 再重新设立。"
ADDED = "已设立岗位“{name}”：{duties}\n回复党员的消息发送 /post assign {name}，把岗位交给他。"
UNKNOWN_POST = "本组织没有“{name}”岗位。现有岗位：{names}"
NO_POSTS_YET = "本组织还没有设立岗位。管理员可发送 /post add 岗位名称 职责 设立。"
REMOVED = "已撤销岗位“{name}”，原有的履职记录仍保留在台账中。"
WHO_USAGE = (
    "请回复那位党员的消息发送 /post {verb} {name}，或写上他的姓名：/post {verb} {name} 张三"
)
NOT_A_MEMBER = "“{who}”不是本组织的党员（或还没有在群里发过言），无法{verb}。"
AMBIGUOUS = "本组织有多位党员叫“{who}”，请回复其中一位的消息再操作。"
ASSIGNED = "已把“{post}”岗位交给{name}。职责：{duties}\n做了工作请发送 /duty 做了什么 报告履职。"
ALREADY_HOLDS = "{name}已经担任“{post}”岗位了。"
UNASSIGNED = "已取消{name}的“{post}”岗位。"
NOT_HOLDING = "{name}没有担任“{post}”岗位。"
VERB_ASSIGN, VERB_UNASSIGN = "assign", "unassign"
VERB_WORDS = {VERB_ASSIGN: "分配岗位", VERB_UNASSIGN: "取消岗位"}

# /posts
BOARD_HEADER = "【设岗定责】{org}·{month}"
BOARD_POST = "{index}. {name}：{duties}"
BOARD_HOLDER = "　· {name}：本月履职{count}次"
BOARD_HOLDER_NONE = "　· {name}：本月还没有履职记录"
BOARD_NO_HOLDER = "　（还没有党员担任）"
BOARD_TAIL = "\n党员发送 /duty 做了什么 报告履职；可附照片（在照片说明里写 /duty ……）。"
BOARD_EMPTY = NO_POSTS_YET

# /duty
DUTY_USAGE = (
    "用法：/duty 做了什么，例如：/duty 调解了两户邻里宅基地纠纷\n"
    "兼任多个岗位时可写明岗位：/duty 纠纷调解 调解了两户纠纷。也可以在照片说明里写 /duty ……"
)
DUTY_TOO_LONG = "履职报告请不超过{limit}个字（现在{length}个字），可以分几次报告。"
DUTY_NOT_MEMBER = "您不是本组织的党员，不能在这里报告履职。"
DUTY_NO_POST = "您在本组织还没有岗位。请书记或委员用 /post assign 给您分配岗位后再报告履职。"
DUTY_PRIVATE_NO_POST = "您还没有担任任何岗位。请在支部群里请书记或委员给您分配岗位。"
DUTY_PRIVATE_SEVERAL = "您在几个组织都有岗位（{names}），请到对应的支部群里发送 /duty 报告。"
DUTY_DONE = "已记录您的履职（{post}，{when}）：{text}"
DUTY_DONE_PHOTO = "（附照片）"
DUTY_PICK = "已记录您的履职（{when}）。您担任多个岗位，请选择这次履职属于哪个岗位："
DUTY_PICKED = "已记入“{post}”岗位。"
DUTY_NOT_YOURS = "这是别人的履职报告，只有报告人本人可以选择岗位。"
DUTY_PICK_GONE = "这个岗位已撤销或您已不再担任，请重新选择。"

# Monthly reminder
REMIND_PRIVATE = (
    "【设岗定责提醒】您在“{org}”担任{posts}岗位，本月还没有履职记录。"
    "做了工作请在群里或这里发送 /duty 做了什么，例如：/duty 走访了三户群众，宣传了医保政策。"
)
REMIND_GROUP = (
    "【设岗定责提醒】以下同志本月还没有履职记录，做了工作请发送 /duty 做了什么：\n{names}"
)
REMIND_LINE = "{mention}（{posts}）"

# The ledger's sheet and the dashboard
SHEET = "设岗定责"
COLUMNS = ("岗位", "职责", "党员", "履职次数", "履职记录（日期：内容）")
ORG = "组织"
REMOVED_POST = "（已撤销）"
NO_HOLDER = "（无人担任）"
LEDGER_LINE = "{date}：{text}"
