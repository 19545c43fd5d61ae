"""What `/bind` says: an organisation's name, maybe a 领域, maybe an invitation code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.domain import Domain
from bot.core.names import clean_org_name

# Eight letters and digits without the look-alikes 0/O, 1/I: easy to read out and type.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


@dataclass(frozen=True, slots=True)
class BindArgs:
    """`/bind 城关镇第一党支部 机关 K7M2Q9XD` read: name, domain, invitation code."""

    name: str
    domain: Domain | None
    code: str | None


def is_invite_code(word: str) -> bool:
    """An invitation code as `/invite` makes them (case-insensitive)."""
    return bool(_CODE.match(word.upper()))


def parse_bind_args(args: str) -> BindArgs:
    """The last word may be a code, the one before (or last) a domain label; the rest the name."""
    words = args.split()
    code = None
    if words and is_invite_code(words[-1]):
        code = words.pop().upper()
    domain = None
    if len(words) > 1 and (label := Domain.from_label(words[-1])) is not None:
        domain = label
        words.pop()
    return BindArgs(clean_org_name(" ".join(words)), domain, code)
