"""Binding a group to an organisation that exists: invitation codes and requests."""

from __future__ import annotations

ALREADY_BOUND = "本群已经绑定在“{org}”。"
REQUESTED = (
    "“{org}”已经存在，需要它的管理员同意才能绑定。已把申请发给{count}位管理员，"
    "同意后本群会收到通知。\n也可以请他们发送 /invite 生成邀请码，再在本群发送：/bind {org} 邀请码"
)
REQUESTED_NOBODY = (
    "“{org}”已经存在，需要它的管理员同意才能绑定，但暂时联系不到它的管理员"
    "（他们还没有私聊过我）。\n请向本组织或上级组织的书记、县委组织部索取邀请码（/invite），"
    "再在本群发送：/bind {org} 邀请码"
)
INVITE_INVALID = "邀请码无效、已经用过或已过期，请向组织的管理员重新索取（/invite）。"
INVITE_DONE = (
    "“{org}”的邀请码：{code}\n24小时内有效，只能使用一次。"
    "请新群的群管理员在群里发送：\n/bind {org} {code}"
)
REQUEST_PRIVATE = (
    "绑定申请：群“{group}”的管理员{name}申请把该群绑定到“{org}”。\n"
    "同意后，该群的群管理员可以管理“{org}”的会议、学习和问答。"
)
BUTTON_APPROVE = "同意"
BUTTON_REFUSE = "拒绝"
APPROVED_GROUP = "“{org}”的管理员已同意，本群已绑定到“{org}”。"
REFUSED_GROUP = "“{org}”的管理员没有同意本群的绑定申请。如有疑问，请直接联系他们。"
DECIDED_APPROVED = "已同意：群“{group}”已绑定到“{org}”。"
DECIDED_REFUSED = "已拒绝群“{group}”绑定到“{org}”的申请。"
ALREADY_DECIDED = "这个申请已经处理过了。"
