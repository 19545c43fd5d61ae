"""双找: /iam (亮明身份) and /liangshen (who declared, where their 组织关系 is, 应建尽建)."""

from __future__ import annotations

from bot.core.liangshen import BUILD_THRESHOLD

EXAMPLE = "/iam 党员 组织关系在 河南省周口市某村党支部"
IAM_STATUS = "看不懂身份“{word}”。请写“党员”（正式党员）或“预备党员”，例如：" + EXAMPLE
IAM_ACTIVIST = (
    "入党积极分子还不是党员，不用亮明党员身份；欢迎向本单位党组织（或所在地党组织）"
    "递交入党申请书。"
)
IAM_PLACE_LONG = (
    "组织关系所在的党组织写得太长了（{length}个字，最多{limit}个字），"
    "请只写党组织名称，例如：" + EXAMPLE
)
IAM_PLACE_SHORT = "请写明组织关系现在所在的党组织名称，例如：" + EXAMPLE
IAM_NOT_FOR_OTHERS = "只能为自己亮明身份。请本人在群里发送：/iam 党员"
IAM_NO_ORG_HERE = (
    "本群还没有建立党组织，组织关系不会在这里。请写明组织关系现在所在的党组织，例如：" + EXAMPLE
)
IAM_NOT_YOURS = "这是给别人的按钮。请自己发送 /iam 亮明身份。"
IAM_PICK_STATUS = "{name}，请选择您的身份（也可以直接发送：" + EXAMPLE + "）："
IAM_PICK_RELATION = (
    "{name}（{status}），您的组织关系现在在哪里？在外地的也可以直接发送：" + EXAMPLE
)
BUTTON_HERE = "在本单位党组织"
BUTTON_ELSEWHERE = "在外地或其他单位"

DONE_NEW = "谢谢{name}亮明身份：{status}，"
DONE_AGAIN = "已更新{name}的身份信息：{status}，"
DONE_HERE = "组织关系在本单位（{org}）。"
DONE_ELSEWHERE = "组织关系在{place}。"
DONE_ELSEWHERE_UNKNOWN = "组织关系在外地。请再发送 " + EXAMPLE + " 写明所在党组织，方便转接。"
DONE_NO_ORG = "本单位还没有党组织，县委组织部和上级党组织会与您联系。"
DONE_FOLLOW_UP = "本单位党组织会与您联系，跟进组织关系转接。"
# The FAQ's own entry, quoted with its source as /ask would (bot/data/faq/floating.yaml).
TRANSFER_STEPS = "组织关系转接怎么办理：\n{answer}\n——{source}"
PLACE_UNKNOWN = "外地（未写明）"

# /liangshen
HEADER = "【亮明身份】{scope}"
SCOPE_GROUP = "本群"
SCOPE_MANAGED = "您管理的组织"
SCOPE_COUNTY = "全县"
SUMMARY = (
    "共{groups}个群有党员亮明身份：正式党员{full}人，预备党员{probationary}人，"
    "组织关系在外{elsewhere}人。"
)
SUMMARY_BUILD = f"其中{{count}}个群有{BUILD_THRESHOLD}名以上正式党员却还没有党组织，应建尽建。"
GROUP_LINE = "▪ {title}（{org}）：正式党员{full}人，预备党员{probationary}人{elsewhere}{flag}"
GROUP_ELSEWHERE = "，组织关系在外{count}人"
NO_ORGANISATION = "未建立党组织"
FLAG_BUILD = "【应建尽建】"
PERSON_LINE = "  · {name}，{status}，组织关系：{relation}，{day}亮明身份"
RELATION_HERE = "本单位"
RELATION_ELSEWHERE = "{place}（待转接）"
MORE = "……还有{count}条未列出。"
NOTHING = "{scope}还没有党员亮明身份。党员可以在群里发送 /iam 党员 亮明身份。"
PRIVATE_NO_ORG = "您不是任何组织的书记、副书记或委员，看不到亮明身份的情况。"
# The county's monthly word (with the 三会一课 warnings, bot/services/checkup.py).
BUILD_HEADER = (
    f"【应建尽建】以下{{count}}个群有{BUILD_THRESHOLD}名以上正式党员亮明了身份，还没有建立党组织："
)
BUILD_LINE = "· {title}：正式党员{full}人，预备党员{probationary}人"
BUILD_FOOTER = "请指导这些单位建立党组织。私聊我发送 /liangshen 可查看名单。"
SENT_PRIVATELY = "亮身份名单含有个人信息，已私信发给您。"
START_FIRST = "亮身份名单含有个人信息，只能私信发送：请先私聊我发送 /start，再发送 /liangshen。"
FOOTER = "组织关系在外的同志，请联系他们办理组织关系转接。"

ERRORS = {
    "iam_status": IAM_STATUS,
    "iam_activist": IAM_ACTIVIST,
    "iam_place_long": IAM_PLACE_LONG,
    "iam_place_short": IAM_PLACE_SHORT,
    "iam_not_for_others": IAM_NOT_FOR_OTHERS,
    "iam_no_org_here": IAM_NO_ORG_HERE,
    "iam_not_yours": IAM_NOT_YOURS,
}
