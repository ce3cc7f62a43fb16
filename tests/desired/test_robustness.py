"""Whatever the contracts contain, loading ends in a state or in diagnostics, never a crash."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aurum_sr.desired import load_desired
from aurum_sr.errors import DesiredStateError
from tests.desired.repos import ORDER, write_repo

KEYS = st.sampled_from(
    [
        "format_version",
        "defaults",
        "subjects",
        "subject",
        "schema",
        "type",
        "topic",
        "role",
        "references",
        "name",
        "version",
        "lifecycle",
        "compatibility",
        "naming_strategy",
        "lint",
        "metadata",
        "tags",
        "missing-doc",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from(
        [
            "schemas/geo.avsc",
            "schemas/order.avsc",
            "shop.Geo",
            "shop.orders-value",
            "shop.orders",
            "value",
            "absent",
            "record",
            "FULL",
            "AVRO",
            "PROTOBUF",
            "off",
            "../x.avsc",
            "/abs.avsc",
            "",
        ]
    ),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(document=DOCUMENTS)
def test_any_contracts_document_loads_or_reports(document: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_repo(
            Path(folder), json.dumps(document, indent=1), {"schemas/order.avsc": ORDER}
        )
        try:
            loaded = load_desired(root)
        except DesiredStateError as exc:
            assert exc.diagnostics, "an error without a diagnostic"
            assert all(d.message and d.hint and d.path for d in exc.diagnostics)
        else:
            assert all(d.hint for d in loaded.warnings)
        shutil.rmtree(root)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_loads_or_reports(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_repo(Path(folder), text)
        try:
            load_desired(root)
        except DesiredStateError as exc:
            assert exc.diagnostics
