"""Single checks of the desired-state loader: warnings, paths and the no-network promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aurum_sr.desired import load_desired
from aurum_sr.desired.paths import PathEscapeError, resolve_inside
from tests.desired.repos import GEO, HEAD, RepoFactory

WARNING_CASES = [
    (
        "enum default outside the symbols",
        {
            "type": "enum",
            "name": "Geo",
            "namespace": "shop",
            "doc": "K.",
            "symbols": ["A"],
            "default": "B",
        },
        "avro-strict-enum",
        "'B' is not a valid member",
    ),
    (
        "nested record name with a dash",
        dict(
            GEO,
            fields=[
                {
                    "name": "inner",
                    "doc": "I.",
                    "type": {
                        "type": "record",
                        "name": "Inner-v1",
                        "doc": "I.",
                        "fields": [{"name": "a", "type": "int", "doc": "A."}],
                    },
                }
            ],
        ),
        "avro-strict-name",
        "Inner-v1",
    ),
    (
        "decimal on an int",
        dict(
            GEO,
            fields=[
                {
                    "name": "price",
                    "doc": "P.",
                    "type": {"type": "int", "logicalType": "decimal", "precision": 4},
                }
            ],
        ),
        "avro-logical-type",
        "registry ignores the logical type",
    ),
]


@pytest.mark.parametrize(
    ("schema", "rule", "says"),
    [case[1:] for case in WARNING_CASES],
    ids=[case[0] for case in WARNING_CASES],
)
def test_what_registries_accept_is_a_warning(
    repo: RepoFactory, schema: dict[str, object], rule: str, says: str
) -> None:
    loaded = load_desired(repo(HEAD, {"schemas/geo.avsc": schema}))
    found = [d for d in loaded.warnings if d.rule == rule]
    assert found and says in found[0].message, loaded.warnings
    assert found[0].path == "schemas/geo.avsc" and found[0].line > 1


def test_nested_enum_default_outside_the_symbols_is_only_a_warning(repo: RepoFactory) -> None:
    enum = {"type": "enum", "name": "Kind", "doc": "K.", "symbols": ["A"], "default": "B"}
    schema = dict(GEO, fields=[{"name": "kind", "doc": "K.", "type": enum}])
    loaded = load_desired(repo(HEAD, {"schemas/geo.avsc": schema}))
    assert [d.rule for d in loaded.warnings] == ["avro-strict-enum"]


def test_absent_subject_keeps_its_schema_file_listed(repo: RepoFactory) -> None:
    contracts = HEAD + (
        "  - subject: shop.old\n    lifecycle: absent\n    schema: schemas/old.avsc\n"
    )
    loaded = load_desired(repo(contracts, {"schemas/old.avsc": "not even json"}))
    assert loaded.warnings == ()
    assert loaded.state.subjects["shop.old"].schema_str is None


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("schemas/a.avsc", "schemas/a.avsc"),
        ("./schemas//a.avsc", "schemas/a.avsc"),
        ("other/../schemas/a.avsc", "schemas/a.avsc"),
        ("schemas\\win\\a.avsc", "schemas/win/a.avsc"),
    ],
)
def test_paths_inside_the_root_are_normalised(tmp_path: Path, raw: str, normal: str) -> None:
    file, rel = resolve_inside(tmp_path, raw)
    assert rel == normal and file == tmp_path / normal


@pytest.mark.parametrize(
    "raw", ["/etc/passwd", "C:\\schemas\\a.avsc", "\\\\server\\share\\a.avsc", "../a.avsc", ".."]
)
def test_paths_leaving_the_root_are_refused(tmp_path: Path, raw: str) -> None:
    with pytest.raises(PathEscapeError):
        resolve_inside(tmp_path, raw)


def test_loading_does_no_network_io() -> None:
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise AssertionError('network I/O')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from aurum_sr.desired import load_desired\n"
        "load_desired(sys.argv[1])\n"
        "assert 'requests' not in sys.modules, 'the loader imported requests'\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", code, root], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
