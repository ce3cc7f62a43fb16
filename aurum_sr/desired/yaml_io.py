"""Reading YAML (and JSON) with the line and column of every key, value and item.

Parsing goes through ruamel.yaml's safe loader — its C parser when ``ruamel.yaml.clib`` is
installed (a dependency on CPython, with each top-level list item built as soon as it is parsed:
see :class:`_Composer`), its pure-Python one otherwise — with a constructor that builds
:class:`LocatedMap` and :class:`LocatedSeq`: plain ``dict`` and ``list`` that also remember
where each key, value and item was written. YAML 1.2 rules apply (``off`` and ``yes`` are
strings), anchors, aliases and ``<<`` merge keys work, and a key repeated in one mapping is an
error. Positions here are 1-based, as editors show them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Hashable, Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.main import CParser  # type: ignore[attr-defined]  # clib; None without it
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from aurum_sr.formats import bounded

Position = tuple[int, int]
"""1-based (line, column); (0, 0) when unknown."""

_VERSION_DIRECTIVE = re.compile(r"^%YAML\b", re.MULTILINE)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class YamlSyntaxError(Exception):
    """Text that is not YAML, with where the parser gave up."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class LocatedMap(dict[Any, Any]):
    """A mapping that knows where it, each key and each value were written."""

    __slots__ = ("start", "at")

    def __init__(self, start: Position) -> None:
        super().__init__()
        self.start = start
        self.at: dict[Any, tuple[int, int, int, int]] = {}
        """Key -> (key line, key column, value line, value column): one small tuple per key,
        not two, since a large contracts file holds hundreds of thousands of them."""


class LocatedSeq(list[Any]):
    """A sequence that knows where it and each item were written."""

    __slots__ = ("start", "items_at")

    def __init__(self, start: Position) -> None:
        super().__init__()
        self.start = start
        self.items_at: list[Position] = []


def _at(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _LocatingConstructor(SafeConstructor):
    """The safe constructor, building located containers instead of dicts and lists."""

    def construct_located_map(self, node: MappingNode) -> Iterator[LocatedMap]:
        data = LocatedMap(_at(node))
        yield data
        # Merges ``<<`` and refuses repeated keys. String keys are interned: a large contracts
        # file repeats the same few keys hundreds of thousands of times.
        for key, value in self.construct_mapping(node).items():
            data[sys.intern(key) if type(key) is str else key] = value
        for key_node, value_node in node.value:  # merged pairs first, so the map's own win
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list):
                key = tuple(key)
            elif type(key) is str:
                key = sys.intern(key)
            if isinstance(key, Hashable):
                start, end = key_node.start_mark, value_node.start_mark
                line = start.line + 1
                value_line = line if end.line == start.line else end.line + 1  # one int object
                data.at[key] = (line, start.column + 1, value_line, end.column + 1)

    def check_mapping_key(
        self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
    ) -> bool:
        try:
            hash(key)  # a tuple made of a list key may still hold a mapping
        except TypeError:
            raise YamlSyntaxError(
                "a mapping key must be a plain value (this one holds a mapping or list)",
                _at(key_node),
            ) from None
        return bool(super().check_mapping_key(node, key_node, mapping, key, value))

    def construct_yaml_int(self, node: Node) -> Any:
        digits = sum(char.isdigit() for char in str(node.value))
        if digits > bounded.MAX_INT_DIGITS:
            raise YamlSyntaxError(
                f"an integer of {digits:,} digits is over the limit of {bounded.MAX_INT_DIGITS:,}",
                _at(node),
            )
        return super().construct_yaml_int(node)

    def construct_located_seq(self, node: SequenceNode) -> Iterator[LocatedSeq]:
        data = LocatedSeq(_at(node))
        yield data
        data.extend(self.construct_sequence(node))
        data.items_at.extend(_at(item) for item in node.value)


_LocatingConstructor.add_constructor(_MAP_TAG, _LocatingConstructor.construct_located_map)
_LocatingConstructor.add_constructor(_SEQ_TAG, _LocatingConstructor.construct_located_seq)
_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:int", _LocatingConstructor.construct_yaml_int
)


_BUILT_TAG = "tag:aurum-sr,2026:built"
"""The tag of a stand-in node whose ``value`` is already constructed (see :class:`_Composer`)."""

_LocatingConstructor.add_constructor(_BUILT_TAG, lambda self, node: node.value)


class _Composer(Composer):
    """ruamel.yaml's composer, over the C parser's events, building each item of a list at the
    top level (the contracts' ``subjects:``) as soon as it is composed.

    The C parser composes the whole document into nodes before anything is constructed: nodes
    with two position marks each, some 25 times the text's size for a contracts file. Here each
    item is constructed at once and only a stand-in node holding the result stays in the list,
    so the peak is the constructed data plus one item's nodes. Anchors still work across items
    (the composer keeps anchored nodes); an alias to an earlier item's node is constructed
    again from it, equal to the first.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        node = super().compose_node(parent, index)
        if self.depth == 2 and isinstance(parent, SequenceNode) and node.anchor is None:
            constructor = self.loader._constructor
            built = constructor.construct_object(node, deep=True)
            constructor.constructed_objects.clear()  # this item's nodes, let go
            return ScalarNode(_BUILT_TAG, built, node.start_mark, node.end_mark)
        return node


class _Loader(CParser or object, _LocatingConstructor, VersionedResolver):  # type: ignore[misc]
    """The C parser's events, :class:`_Composer`, the locating constructor, YAML 1.2 rules."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        self._parser = self
        self.max_depth = None
        self._composer = _Composer(loader=self)
        _LocatingConstructor.__init__(self, loader=self)
        VersionedResolver.__init__(self, version=None, loadumper=self)
        self.allow_duplicate_keys = False


def load(text: str, *, pure: bool = False) -> Any:
    """Parse one YAML document with positions kept (``pure``: never the C parser).

    Raises:
        YamlSyntaxError: the text is not YAML (or repeats a key in a mapping).
    """
    # The C parser resolves scalars by YAML 1.2 even under a ``%YAML 1.1`` directive (where
    # ``yes`` is a boolean); the pure parser honours the directive.
    yaml: Any = None
    if pure or CParser is None or _VERSION_DIRECTIVE.search(text) is not None:
        yaml = YAML(typ="safe", pure=True)
        yaml.Constructor = _LocatingConstructor
    try:
        if yaml is not None:
            return yaml.load(text)
        loader = _Loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise YamlSyntaxError(" ".join(str(problem).split()), position) from exc
    except YAMLError as exc:
        raise YamlSyntaxError(" ".join(str(exc).split()), (0, 0)) from exc
    except RecursionError:
        raise YamlSyntaxError(
            "nested too deep (lists or mappings inside one another hundreds of levels deep)",
            (0, 0),
        ) from None


def node_position(node: object) -> Position:
    """Where a mapping or sequence starts."""
    if isinstance(node, (LocatedMap, LocatedSeq)):
        return node.start
    return (0, 0)


def key_position(mapping: object, key: object) -> Position:
    """Where ``key`` is written in ``mapping``."""
    if isinstance(mapping, LocatedMap):
        try:
            line, column, _, _ = mapping.at[key]
        except (KeyError, TypeError):
            return mapping.start
        return (line, column)
    return (0, 0)


def value_position(mapping: object, key: object) -> Position:
    """Where the value of ``key`` is written in ``mapping``."""
    if isinstance(mapping, LocatedMap):
        try:
            _, _, line, column = mapping.at[key]
        except (KeyError, TypeError):
            return mapping.start
        return (line, column)
    return (0, 0)


def item_position(seq: object, index: int) -> Position:
    """Where item ``index`` of ``seq`` is written."""
    if isinstance(seq, LocatedSeq):
        try:
            return seq.items_at[index]
        except IndexError:
            return seq.start
    return (0, 0)
