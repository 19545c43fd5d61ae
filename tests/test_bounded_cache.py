"""The bounded cache keeps the most recently used values within its count and bytes."""

from __future__ import annotations

from bot.core.bounded_cache import BoundedCache


def cache(items: int = 3, size: int = 10) -> BoundedCache[str, bytes]:
    return BoundedCache(items, size, len)


def test_the_least_recently_used_goes_first() -> None:
    kept = cache()
    for key in "abc":
        kept.put(key, b"x")
    assert kept.get("a") == b"x"  # a is now the most recent
    kept.put("d", b"x")
    assert kept.get("b") is None
    assert [kept.get(k) for k in "acd"] == [b"x"] * 3
    assert len(kept) == 3


def test_bytes_are_bounded_and_a_value_too_big_is_not_kept() -> None:
    kept = cache(items=10)
    kept.put("a", b"12345")
    kept.put("b", b"12345")
    kept.put("c", b"1")
    assert (kept.get("a"), kept.bytes) == (None, 6)
    kept.put("huge", b"x" * 11)
    assert kept.get("huge") is None
    assert kept.bytes == 6


def test_a_new_value_replaces_the_old_one() -> None:
    kept = cache()
    kept.put("a", b"123")
    kept.put("a", b"1")
    assert (kept.get("a"), kept.bytes, len(kept)) == (b"1", 1, 1)
    kept.discard("a")
    assert (kept.get("a"), kept.bytes) == (None, 0)
