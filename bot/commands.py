"""The bot's commands: one list feeds /help and Telegram's command menus."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Where(Enum):
    """Where a command can be used."""

    PRIVATE = "private"
    GROUP = "group"
    ANYWHERE = "anywhere"


class Who(Enum):
    """Who may use a command."""

    EVERYONE = 0
    MANAGER = 1
    SUPERADMIN = 2


@dataclass(frozen=True, slots=True)
class Command:
    """One command as users see it."""

    name: str
    description: str
    where: Where
    who: Who = Who.EVERYONE
    args: str = ""

    def usable_in(self, private: bool) -> bool:
        """True when the command works in this kind of chat."""
        return self.where is Where.ANYWHERE or (self.where is Where.PRIVATE) == private


COMMANDS: tuple[Command, ...] = (
    Command("start", "开始使用，查看我的登记信息", Where.PRIVATE),
    Command("help", "查看可用命令", Where.ANYWHERE),
    Command("name", "登记真实姓名", Where.ANYWHERE, args="姓名"),
    Command("bind", "把本群绑定到党组织", Where.GROUP, Who.MANAGER, "组织名称 [领域] [邀请码]"),
    Command(
        "invite",
        "生成邀请码，让另一个群加入本组织",
        Where.ANYWHERE,
        Who.MANAGER,
        "[组织名称]",
    ),
    Command("unbind", "解除本群的组织绑定", Where.GROUP, Who.MANAGER),
    Command("role", "回复党员消息，设置职务", Where.GROUP, Who.MANAGER, "书记/副书记/委员/党员"),
    Command(
        "status",
        "回复党员消息，设置身份",
        Where.GROUP,
        Who.MANAGER,
        "正式党员/预备党员/入党积极分子",
    ),
    Command("org_parent", "设置本组织的上级组织", Where.GROUP, Who.SUPERADMIN, "上级组织名称"),
    Command(
        "meeting",
        "发布会议通知（不带参数可逐步填写）",
        Where.GROUP,
        Who.MANAGER,
        "类型 时间 [地点] [议题]",
    ),
    Command("meetings", "查看近期会议和回复情况", Where.ANYWHERE),
    Command("meeting_info", "查看某次会议的出勤情况", Where.ANYWHERE, args="编号"),
    Command(
        "meeting_edit",
        "修改会议的时间、地点、议题或提醒",
        Where.GROUP,
        Who.MANAGER,
        "编号 时间/地点/议题/提醒 新内容",
    ),
    Command(
        "meeting_cancel", "取消会议并通知已回复的同志", Where.GROUP, Who.MANAGER, "编号 [原因]"
    ),
    Command(
        "series_edit",
        "修改周期会议及以后各次会议",
        Where.GROUP,
        Who.MANAGER,
        "系列编号 时间/地点/议题/提醒 新内容",
    ),
    Command("series_cancel", "取消周期会议及以后各次会议", Where.GROUP, Who.MANAGER, "系列编号"),
    Command(
        "record", "查看会议记录并下载 .docx（会后自动起草）", Where.ANYWHERE, Who.MANAGER, "编号"
    ),
    Command(
        "meeting_held", "把没人签到但已召开的会议标记为已召开", Where.ANYWHERE, Who.MANAGER, "编号"
    ),
    Command(
        "checkup",
        "查看本组织和下级组织三会一课的召开情况",
        Where.ANYWHERE,
        Who.MANAGER,
        "[组织名称]",
    ),
    Command(
        "campaign",
        "党建活动积分：查看活动（add 新建、rule 开始前修改积分规则）",
        Where.GROUP,
        Who.MANAGER,
        "[add/rule]",
    ),
    Command(
        "award", "回复党员的消息，给他奖励积分并写明理由", Where.GROUP, Who.MANAGER, "分数 理由"
    ),
    Command("rank", "查看活动积分排行榜", Where.GROUP, args="[活动名称]"),
    Command(
        "stars",
        "五星党员评比：按记录生成草稿（set 修改、publish 发布到群）",
        Where.GROUP,
        Who.MANAGER,
        "[set/publish]",
    ),
    Command(
        "study",
        "查看待发布的学习主题（管理员另有 template 模板、add 添加、edit 修改、delete 删除）",
        Where.ANYWHERE,
        Who.EVERYONE,
        "[template/add/edit/delete]",
    ),
    Command("study_stats", "查看学习主题的学习情况", Where.ANYWHERE, Who.MANAGER, "[编号]"),
    Command(
        "ledger",
        "导出本组织的台账（Excel：会议、学习、党员、下级组织）",
        Where.ANYWHERE,
        Who.MANAGER,
        "[期间]",
    ),
    Command(
        "report",
        "生成本组织的图表（各次会议出勤率、下级组织三会一课和学习完成率）",
        Where.ANYWHERE,
        Who.MANAGER,
        "[期间]",
    ),
    Command("dashboard", "打开党建看板（管理员看所管组织，党员看本人记录）", Where.ANYWHERE),
    Command("calendar", "导出近期会议日历（.ics，可导入手机日历）", Where.ANYWHERE),
    Command("broadcast", "回复一条消息，群发到本组织或下级组织", Where.ANYWHERE, Who.MANAGER),
    Command(
        "post",
        "设岗定责：设立、撤销岗位，把岗位交给党员（回复其消息或写姓名）",
        Where.GROUP,
        Who.MANAGER,
        "add/remove/assign/unassign",
    ),
    Command("posts", "查看本组织的岗位、职责和本月履职情况", Where.GROUP),
    Command("duty", "报告本人的履职情况（可附照片）", Where.ANYWHERE, args="做了什么"),
    Command(
        "away",
        "登记外出（流动党员）；管理员可回复党员消息为其登记",
        Where.ANYWHERE,
        args="所在地 [2026-03起] [流入地党组织] [联系方式]",
    ),
    Command("back", "结束外出登记（管理员可回复党员消息）", Where.ANYWHERE),
    Command(
        "floating",
        "查看本组织外出的流动党员（所在地、外出时间、最近活动）",
        Where.ANYWHERE,
        Who.MANAGER,
        "[组织名称]",
    ),
    Command("ask", "提问党务政策问题，回答附出处", Where.ANYWHERE, args="问题"),
    Command(
        "iam",
        "亮明党员身份（双找），写明组织关系现在在哪里",
        Where.GROUP,
        args="党员/预备党员 [组织关系在 某党组织]",
    ),
    Command(
        "liangshen",
        "查看亮明身份的党员和组织关系在外的同志（县里可看应建尽建）",
        Where.ANYWHERE,
        Who.MANAGER,
    ),
    Command(
        "faq",
        "管理本组织的问答库",
        Where.GROUP,
        Who.MANAGER,
        "pending/add/list/edit/delete/export/import",
    ),
)


def visible_commands(*, private: bool, level: Who) -> list[Command]:
    """The commands a caller of this `level` may use in a private chat or a group."""
    return [c for c in COMMANDS if c.usable_in(private) and c.who.value <= level.value]
