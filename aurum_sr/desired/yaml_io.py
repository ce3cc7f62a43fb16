"""Reading YAML (and JSON) with the line and column of every key, value and item.

The round-trip loader keeps positions on every mapping and sequence; positions here are
1-based, as editors show them.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

Position = tuple[int, int]
"""1-based (line, column); (0, 0) when unknown."""


class YamlSyntaxError(Exception):
    """Text that is not YAML, with where the parser gave up."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def load(text: str) -> Any:
    """Parse one YAML document with positions kept.

    Raises:
        YamlSyntaxError: the text is not YAML (or repeats a key in a mapping).
    """
    yaml = YAML(typ="rt", pure=True)
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise YamlSyntaxError(" ".join(str(problem).split()), position) from exc
    except YAMLError as exc:
        raise YamlSyntaxError(" ".join(str(exc).split()), (0, 0)) from exc


def node_position(node: object) -> Position:
    """Where a mapping or sequence starts."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        return (node.lc.line + 1, node.lc.col + 1)
    return (0, 0)


def key_position(mapping: object, key: object) -> Position:
    """Where ``key`` is written in ``mapping``."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.key(key)
        except (KeyError, TypeError):
            return node_position(mapping)
        return (line + 1, col + 1)
    return (0, 0)


def value_position(mapping: object, key: object) -> Position:
    """Where the value of ``key`` is written in ``mapping``."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.value(key)
        except (KeyError, TypeError):
            return key_position(mapping, key)
        return (line + 1, col + 1)
    return (0, 0)


def item_position(seq: object, index: int) -> Position:
    """Where item ``index`` of ``seq`` is written."""
    if isinstance(seq, CommentedSeq):
        try:
            line, col = seq.lc.item(index)
        except (KeyError, TypeError, IndexError):
            return node_position(seq)
        return (line + 1, col + 1)
    return (0, 0)
