"""The contracts emitter: whatever it writes, the YAML parser reads back as the same data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aurum_sr.desired import yaml_io
from aurum_sr.desired.emit import scalar
from aurum_sr.desired.writer import EntryDraft, dump_contracts, merge_contracts

# Surrogates cannot be written as UTF-8 at all; everything else may appear in a name.
text = st.text(st.characters(codec="utf-8"), max_size=12)
keys = st.sampled_from(["subject", "schema", "topic", "role", "description", "owner"])
values = st.one_of(text, st.integers(-5, 10**12), st.booleans(), st.lists(text, max_size=3))
entries = st.lists(
    st.builds(
        lambda subject, extra, comment: EntryDraft(
            {"subject": subject, **extra}, {"subject": comment} if comment else {}
        ),
        text,
        st.dictionaries(keys.filter(lambda k: k != "subject"), values, max_size=4),
        st.none() | text,
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(entries, text)
def test_what_is_written_reads_back_the_same(drafts: list[EntryDraft], header: str) -> None:
    top: dict[str, Any] = {"format_version": 1, "defaults": {"owned_prefixes": ["a."]}}
    written = dump_contracts(top, drafts, header=header)
    document = yaml_io.load(written)
    assert document["format_version"] == 1
    assert document["subjects"] == ([dict(d.values) for d in drafts] or [])


@settings(max_examples=100, deadline=None)
@given(entries)
def test_merge_appends_and_reads_back(drafts: list[EntryDraft]) -> None:
    existing = "# kept\nformat_version: 1\nsubjects:\n  - subject: a   # kept too\n    schema: x\n"
    merged = merge_contracts(existing, drafts, path="contracts.yml")
    assert merged.startswith(existing)
    assert yaml_io.load(merged)["subjects"] == [
        {"subject": "a", "schema": "x"},
        *(dict(d.values) for d in drafts),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("orders-value", "orders-value"),
        ("schemas/a/B.avsc", "schemas/a/B.avsc"),
        ("yes", '"yes"'),
        ("Null", '"Null"'),
        ("1.5", '"1.5"'),
        ("a: b", '"a: b"'),
        ("#x", '"#x"'),
        ("", '""'),
        ("\x7f", '"\\u007f"'),
        (3, "3"),
        (True, "true"),
    ],
)
def test_scalars(value: object, written: str) -> None:
    assert scalar(value) == written


@pytest.mark.parametrize(
    "existing",
    [
        "format_version: 1\nsubjects: []\n",  # flow style
        "subjects:\n  - subject: a\nformat_version: 1\n",  # subjects not last
    ],
)
def test_other_layouts_go_through_the_round_trip(existing: str) -> None:
    merged = merge_contracts(existing, [EntryDraft({"subject": "b"})], path="c")
    assert [s["subject"] for s in yaml_io.load(merged)["subjects"]][-1] == "b"
