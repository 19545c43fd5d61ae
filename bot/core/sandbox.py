"""Run one parse of an untrusted file in a fresh child process, on a time and memory budget.

A thread cannot be stopped and shares the bot's memory, so a parse that runs away (a bomb
the readers' own bounds missed, a regular expression that backtracks) would hold every
chat hostage. A child process can be killed: it limits its own address space (RLIMIT_AS)
and CPU time, and the parent kills it when the wall-clock budget is spent.

One fresh process per upload, not a long-lived worker: measured on the 2-core machine
(bench/uploads.py), starting one costs about 0.1-0.2 s, small next to downloading the file
from Telegram, and uploads are rare. In exchange nothing idles in memory, nothing from one
upload can leak into the next, and a timeout is just a kill.

The child runs :mod:`bot.core.sandbox_child` (kept apart so that it does not import
asyncio): it reads ``(function, args)`` pickled on stdin and writes back
``(status, value)``. Only the parent's own functions are sent; what comes back is unpickled
with an allow-list (:class:`_ResultUnpickler`).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import math
import pickle
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from bot.core.errors import InvalidInput, UserFacingError

log = logging.getLogger(__name__)
T = TypeVar("T")

_ROOT = str(Path(__file__).resolve().parent.parent.parent)  # the directory holding `bot`
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from bot.core.sandbox_child import main; main()"
)
_STDERR_KEPT = 8192
TIMEOUT = "文件处理超时（超过{seconds}秒），没有导入任何内容。请检查文件，或拆成几个小文件再试。"
TOO_LARGE = (
    "文件内容过于庞大，处理时超出了上限，没有导入任何内容。请检查文件，或拆成几个小文件再试。"
)
BROKEN = "文件无法读取，没有导入任何内容。请检查文件格式后再试。"


class BudgetExceeded(InvalidInput):
    """The parse ran out of time or memory, or its process failed; nothing was imported."""


@dataclass(frozen=True, slots=True)
class Budget:
    """What one parse may use: wall-clock seconds, address space, result size."""

    seconds: float = 10.0
    memory_bytes: int = 512 << 20
    output_bytes: int = 16 << 20
    # Added to the child's nice value: long background work (a county's ledger) yields the
    # CPU to the bot's own event loop on a busy machine.
    nice: int = 0


# Whether children take their budget's nice value. The test suite turns it off: there the
# CPU is shared with other test workers, not with a bot's event loop, and a niced child
# waits behind them (seconds of CPU took 20-45 s) while its test waits for it.
RENICE = True


async def run_isolated(function: Callable[..., T], *args: Any, budget: Budget | None = None) -> T:
    """``function(*args)`` in a child process; its UserFacingError is raised here as is."""
    budget = budget or Budget()
    process = await asyncio.create_subprocess_exec(
        *_command(budget),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(budget.seconds):
            output, errors = await _exchange(process, pickle.dumps((function, args)), budget)
            await process.wait()
    except TimeoutError:
        raise BudgetExceeded(TIMEOUT.format(seconds=math.ceil(budget.seconds))) from None
    finally:
        await _reap(process)
    return _outcome(output, errors, process.returncode, budget)  # type: ignore[no-any-return]


def _command(budget: Budget) -> list[str]:
    # -I: no PYTHON* variables, no user site, no current directory on the path; the child
    # imports `bot` from where the parent's is.
    cpu = str(math.ceil(budget.seconds))
    limits = [str(budget.memory_bytes), cpu, str(budget.nice if RENICE else 0)]
    return [sys.executable, "-I", "-c", _BOOT, _ROOT, *limits]


def _kill(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have just exited
        process.kill()


async def _reap(process: asyncio.subprocess.Process) -> None:
    """Kill the child if it still runs, then wait for it.

    The pipes are read to their end first: asyncio's wait() returns only once they are
    closed, and a pipe whose reader stopped early is paused and never sees its end.
    """
    if process.returncode is None:
        _kill(process)
    for stream in (process.stdout, process.stderr):
        while stream is not None and await stream.read(1 << 16):
            pass
    await process.wait()


async def _exchange(
    process: asyncio.subprocess.Process, request: bytes, budget: Budget
) -> tuple[bytes, bytes]:
    """Send the request while reading both outputs, so that no pipe fills up and blocks."""
    stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
    assert stdin is not None
    assert stdout is not None
    assert stderr is not None

    async def feed() -> None:
        try:
            stdin.write(request)
            await stdin.drain()
        except ConnectionError:
            pass  # the child died before reading; its exit status says why
        finally:
            stdin.close()

    _, (output, too_much), (errors, _) = await asyncio.gather(
        feed(),
        _read(stdout, budget.output_bytes, on_overflow=lambda: _kill(process)),
        _read(stderr, _STDERR_KEPT),
    )
    if too_much:
        raise BudgetExceeded(TOO_LARGE)
    return output, errors


async def _read(
    stream: asyncio.StreamReader, limit: int, on_overflow: Callable[[], None] | None = None
) -> tuple[bytes, bool]:
    """Up to `limit` bytes and whether there was more; the rest is read and dropped."""
    kept = bytearray()
    overflow = False
    while chunk := await stream.read(1 << 16):
        if len(kept) + len(chunk) > limit and not overflow:
            overflow = True
            if on_overflow is not None:
                on_overflow()
        kept += chunk[: max(0, limit - len(kept))]
    return bytes(kept), overflow


def _outcome(output: bytes, errors: bytes, returncode: int | None, budget: Budget) -> Any:
    if returncode == -signal.SIGXCPU:
        raise BudgetExceeded(TIMEOUT.format(seconds=math.ceil(budget.seconds)))
    try:
        status, value = _ResultUnpickler(io.BytesIO(output)).load()
    except Exception:  # no or broken output: the child died; its stderr says why
        log.warning("Parse child exited with %s: %s", returncode, errors.decode(errors="replace"))
        raise BudgetExceeded(BROKEN) from None
    if status == "ok":
        return value
    if status == "refused" and isinstance(value, UserFacingError):
        raise value
    if status == "memory":
        raise BudgetExceeded(TOO_LARGE)
    log.warning("Parse failed in the child: %s", value)
    raise BudgetExceeded(BROKEN)


class _ResultUnpickler(pickle.Unpickler):
    """Builds only plain values, datetimes and the classes defined in bot.core.

    The child runs our code on hostile input; should it ever be subverted, its answer
    still cannot make the parent call anything else (no functions, no dotted names that
    would reach a module through another).
    """

    # Plain values (str, bytes, numbers, lists, tuples, dicts, sets) need no global: pickle
    # writes them as opcodes.
    _ALLOWED: ClassVar[Mapping[str, frozenset[str]]] = {
        "datetime": frozenset({"datetime", "date", "time", "timedelta", "timezone"}),
        "zoneinfo": frozenset({"ZoneInfo"}),
    }

    def find_class(self, module: str, name: str) -> Any:
        """Resolve a global only when it is on the allow-list."""
        if name in self._ALLOWED.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("bot.core.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
