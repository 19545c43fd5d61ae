"""Compose untrusted YAML into nodes with bounds checked while reading.

Every YAML file a user sends (study plans, FAQ bases, the organisation tree) goes through
:func:`compose`. Aliases (``*name``) are what make a 500-byte file expand to gigabytes
(each alias repeats a whole subtree), and no file of ours needs them, so anchors and
aliases are refused outright. Depth and node count are checked on each parser event,
before the node is composed: PyYAML's composer recurses once per level, so a 5,000-deep
file would otherwise end in RecursionError, and the count stops a flat file of millions of
tiny items early.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, Event, NodeEvent
from yaml.nodes import Node

MAX_DEPTH = 32
# About 25,000 nodes per second in PyYAML's pure-Python parser: 50,000 is a second or two,
# ten times what a full study plan or FAQ base has.
MAX_NODES = 50_000


class YamlRefused(ValueError):
    """The file breaks a bound; ``line`` is 1-based, ``problem`` the Chinese reason."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"第{line}行：{problem}")
        self.line = line
        self.problem = problem

    def __reduce__(self) -> tuple[type[YamlRefused], tuple[int, str]]:
        return type(self), (self.line, self.problem)


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """How deep and how many nodes a file may have."""

    max_depth: int = MAX_DEPTH
    max_nodes: int = MAX_NODES


class _Bounds:
    """Checks each event as the parser yields it: no anchors or aliases, depth, count."""

    def __init__(self, limits: YamlLimits) -> None:
        self.limits = limits
        self.depth = 0
        self.nodes = 0

    def see(self, event: Event) -> None:
        if isinstance(event, CollectionEndEvent):
            self.depth -= 1
            return
        if not isinstance(event, NodeEvent):
            return
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise YamlRefused(line, "不支持 YAML 锚点和别名（& 和 *），请把内容直接写出来")
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise YamlRefused(line, f"内容项太多（最多{self.limits.max_nodes}项）")
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > self.limits.max_depth:
                raise YamlRefused(line, f"嵌套层数太多（最多{self.limits.max_depth}层）")


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader that shows every event to a _Bounds before composing it."""

    def __init__(self, text: str, limits: YamlLimits) -> None:
        super().__init__(text)
        self.bounds = _Bounds(limits)

    def get_event(self) -> Event:
        """The next event, checked."""
        event: Event = super().get_event()  # type: ignore[no-untyped-call]
        self.bounds.see(event)
        return event


def compose(text: str, limits: YamlLimits | None = None) -> Node | None:
    """The root node of one YAML document; YamlRefused past a bound, yaml.YAMLError if broken."""
    limits = limits or YamlLimits()
    _prescan(text, limits)
    loader = _BoundedLoader(text, limits)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _prescan(text: str, limits: YamlLimits) -> None:
    """Check the bounds on libyaml's events first: 25 times faster, so a bomb costs little.

    PyYAML's own parser still composes the nodes, so that a broken file is reported in the
    same words as always; a file libyaml cannot read is left to it.
    """
    if not yaml.__with_libyaml__:
        return
    bounds = _Bounds(limits)
    parser = yaml.CSafeLoader(text)
    try:
        while (event := parser.get_event()) is not None:
            bounds.see(event)
    except yaml.YAMLError:
        return
    finally:
        parser.dispose()
