"""A least-recently-used cache bounded in entries and in bytes (for drawn files)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """Keeps the most recently used values while they fit in `max_items` and `max_bytes`
    (each value's size as `size_of` tells); a value larger than the whole budget is not
    kept. Not thread-safe: one event loop uses it."""

    def __init__(self, max_items: int, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self.max_items, self.max_bytes, self._size_of = max_items, max_bytes, size_of
        self._values: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: K) -> V | None:
        """The value kept under `key` (now the most recently used), or None."""
        found = self._values.get(key)
        if found is None:
            return None
        self._values.move_to_end(key)
        return found[0]

    def put(self, key: K, value: V) -> None:
        """Keep the value, dropping the least recently used ones until everything fits."""
        self.discard(key)
        size = self._size_of(value)
        if size > self.max_bytes or self.max_items <= 0:
            return
        self._values[key] = (value, size)
        self.bytes += size
        while len(self._values) > self.max_items or self.bytes > self.max_bytes:
            _, (_, dropped) = self._values.popitem(last=False)
            self.bytes -= dropped

    def discard(self, key: K) -> None:
        """Forget the value under `key`, if any."""
        found = self._values.pop(key, None)
        if found is not None:
            self.bytes -= found[1]
