"""The child side of :mod:`bot.core.sandbox`: limit this process, run one parse, answer.

Imports only what it needs (no asyncio), as every upload pays for this process's start.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import sys
import traceback
import warnings
from enum import Enum
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from bot.core.errors import UserFacingError


def main() -> None:
    """The child: limit itself, read the request, write the outcome."""
    memory, seconds = int(sys.argv[2]), int(sys.argv[3])
    if len(sys.argv) > 4 and int(sys.argv[4]):
        os.nice(int(sys.argv[4]))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    warnings.simplefilter("ignore")  # libraries' warnings about a user's file are noise here
    sys.stdout.buffer.write(_answer(sys.stdin.buffer))


def _answer(request: BinaryIO) -> bytes:
    try:
        function, args = pickle.load(request)  # imports the function's module, under the limits
        return _dumps(("ok", function(*args)))
    except UserFacingError as exc:
        return _dumps(("refused", exc))
    except MemoryError:
        return _dumps(("memory", None))
    except Exception:  # a bug or an input no reader foresaw: report it, never crash silently
        return _dumps(("failed", traceback.format_exc(limit=-8)))


class _ResultPickler(pickle.Pickler):
    """Enum members and time zones by constructor: by default both pickle through
    builtins.getattr, which the parent's allow-list must not have."""

    def reducer_override(self, obj: Any) -> Any:
        """Enum(value), ZoneInfo(key); the default for everything else."""
        if isinstance(obj, Enum):
            return type(obj), (obj.value,)
        if isinstance(obj, ZoneInfo):
            return ZoneInfo, (obj.key,)
        return NotImplemented


def _dumps(outcome: tuple[str, Any]) -> bytes:
    buffer = io.BytesIO()
    _ResultPickler(buffer).dump(outcome)
    return buffer.getvalue()
