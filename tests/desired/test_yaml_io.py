"""yaml_io: values and positions, the same from the C parser and the pure-Python one."""

from __future__ import annotations

import datetime

import pytest

from aurum_sr.desired import yaml_io

PARSERS = [pytest.param(False, id="c-if-installed"), pytest.param(True, id="pure")]

DOC = """\
defaults: &d
  compatibility: BACKWARD
  lint: {missing-doc: off}
subjects:
  - subject: a-value
    tags: [x, "y"]
  - <<: *d
    subject: b-value
    compatibility: FULL
"""


@pytest.mark.parametrize("pure", PARSERS)
def test_values_follow_yaml_1_2(pure: bool) -> None:
    data = yaml_io.load("a: off\nb: yes\nc: 0o17\nd: 1.5\ne: ~\nf: 2024-01-02\ng: '1'\n", pure=pure)
    assert data == {
        "a": "off",
        "b": "yes",
        "c": 15,
        "d": 1.5,
        "e": None,
        "f": datetime.date(2024, 1, 2),
        "g": "1",
    }
    assert type(data) is yaml_io.LocatedMap


@pytest.mark.parametrize("pure", PARSERS)
def test_a_yaml_1_1_directive_is_honoured(pure: bool) -> None:
    assert yaml_io.load("%YAML 1.1\n---\na: yes\nb: off\n", pure=pure) == {"a": True, "b": False}


@pytest.mark.parametrize("pure", PARSERS)
def test_positions_of_keys_values_and_items(pure: bool) -> None:
    data = yaml_io.load(DOC, pure=pure)
    assert yaml_io.key_position(data, "subjects") == (4, 1)
    assert yaml_io.value_position(data["defaults"], "compatibility") == (2, 18)
    subjects = data["subjects"]
    assert yaml_io.node_position(subjects) == (5, 3)
    assert [yaml_io.item_position(subjects, i) for i in range(2)] == [(5, 5), (7, 5)]
    assert yaml_io.item_position(data["subjects"][0]["tags"], 1) == (6, 15)
    assert yaml_io.key_position(subjects[1], "subject") == (8, 5)


@pytest.mark.parametrize("pure", PARSERS)
def test_merge_keys_fill_in_and_the_mapping_own_keys_win(pure: bool) -> None:
    merged = yaml_io.load(DOC, pure=pure)["subjects"][1]
    assert merged == {
        "compatibility": "FULL",
        "lint": {"missing-doc": "off"},
        "subject": "b-value",
    }
    assert yaml_io.key_position(merged, "compatibility") == (9, 5)  # its own, not the anchor's
    assert yaml_io.key_position(merged, "lint") == (3, 3)  # merged: where the anchor wrote it


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("a: 1\nb: [1, 2\n", (3, 1), "expected ',' or ']'"),
        ("a: 1\na: 2\n", (2, 1), 'duplicate key "a"'),
        ("a:\n  - 1\n b: 2\n", (3, 2), "while parsing a block mapping"),
        ("a: *nowhere\n", (1, 4), "undefined alias"),
    ],
)
def test_syntax_errors_say_where(
    pure: bool, text: str, position: tuple[int, int], words: str
) -> None:
    with pytest.raises(yaml_io.YamlSyntaxError) as caught:
        yaml_io.load(text, pure=pure)
    assert caught.value.position == position
    assert words in caught.value.message


def test_positions_of_things_that_are_not_located_are_unknown() -> None:
    assert yaml_io.node_position({"a": 1}) == (0, 0)
    assert yaml_io.key_position({"a": 1}, "a") == (0, 0)
    assert yaml_io.item_position([1], 0) == (0, 0)
    data = yaml_io.load("a: [1]\n")
    assert yaml_io.key_position(data, "missing") == (1, 1)
    assert yaml_io.item_position(data["a"], 5) == (1, 4)


ACROSS = """\
subjects:
  - &first
    subject: a-value
    tags: [x]
  - subject: b-value
    extra: &shared {owner: team, compatibility: FULL}
  - *first
  - <<: *shared
    subject: c-value
  - [1, [2, 3]]
other: [*first, *shared]
"""


def _located(value: object) -> object:
    """``value`` with every position it carries, for comparing two loads."""
    if isinstance(value, yaml_io.LocatedMap):
        return (value.start, sorted(value.at.items()), {k: _located(v) for k, v in value.items()})
    if isinstance(value, yaml_io.LocatedSeq):
        return (value.start, value.items_at, [_located(v) for v in value])
    return value


def test_items_built_one_at_a_time_equal_the_whole_document_composed_at_once() -> None:
    """The C path builds each item of a top-level list as soon as it is parsed; anchors and
    aliases across items, merge keys and positions come out as from the pure parser, which
    composes the whole document first."""
    streamed, whole = yaml_io.load(ACROSS), yaml_io.load(ACROSS, pure=True)
    assert _located(streamed) == _located(whole)
    assert streamed["subjects"][2] == {"subject": "a-value", "tags": ["x"]}
    assert streamed["subjects"][3] == {
        "owner": "team",
        "compatibility": "FULL",
        "subject": "c-value",
    }
    assert yaml_io.item_position(streamed["subjects"], 3) == (8, 5)


def test_an_error_in_a_later_item_is_located() -> None:
    text = "subjects:\n  - subject: a\n  - subject: b\n    subject: c\n"
    with pytest.raises(yaml_io.YamlSyntaxError) as caught:
        yaml_io.load(text)
    assert caught.value.position == (4, 5) and 'duplicate key "subject"' in caught.value.message
