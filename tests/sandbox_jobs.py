"""Functions for tests/test_uploads.py to run in the sandbox's child (found there by name)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bot.core.errors import InvalidInput


def echo(value: object) -> object:
    """Return the value unchanged."""
    return value


def refuse(message: str) -> None:
    """Raise a user-facing error."""
    raise InvalidInput(message)


def sleep(seconds: float) -> None:
    """Take too long."""
    time.sleep(seconds)


def spin() -> None:
    """Burn CPU until killed."""
    while True:
        pass


def hog(megabytes: int) -> int:
    """Take too much memory."""
    return len(bytearray(megabytes << 20))


def crash() -> None:
    """Fail with a bug."""
    raise RuntimeError("a bug")


def big(megabytes: int) -> bytes:
    """Answer with too much."""
    return b"x" * (megabytes << 20)


def foreign() -> type:
    """Answer with a class the parent must not build."""
    return subprocess.Popen


def smuggle() -> None:
    """Answer as a subverted child would: a global reaching pickle.loads through a module."""
    outcome = b"\x80\x04\x8c\x02ok\x8c\x10bot.core.sandbox\x8c\x0cpickle.loads\x93\x86."
    sys.stdout.buffer.write(outcome)
    sys.stdout.flush()
    os._exit(0)


def niceness() -> int:
    """This process's nice value."""
    return os.nice(0)
