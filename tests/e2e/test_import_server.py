"""`aurum-sr import` end to end against `python -m aurum_sr.testing` (a separate process, a
real socket), started from a snapshot of 250 subjects with references and overrides."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurum_sr.model import CompatibilityLevel, Mode, Schema, SchemaReference
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.snapshot import document_from_engine, dump_document
from tests.adopt.roundtrip import import_then_plan

SHARED = 25
TOPICS = 110  # a key and a value each


def _record(name: str, namespace: str, *fields: tuple[str, object]) -> dict[str, object]:
    return {
        "type": "record",
        "name": name,
        "namespace": namespace,
        "fields": [{"name": n, "type": t} for n, t in fields],
    }


def _engine() -> RegistryEngine:
    engine = RegistryEngine("e2e")
    engine.set_compatibility(CompatibilityLevel.NONE)
    for i in range(SHARED):
        subject = f"shared.Type{i}"
        for version in range(1 + i % 3):
            extra = [(f"opt{k}", ["null", "long"]) for k in range(version)]
            body = _record(f"Type{i}", "shared", ("id", "string"), *extra)
            for f in body["fields"][1:]:  # type: ignore[index]
                f["default"] = None
            engine.register(subject, Schema(json.dumps(body)))
    for i in range(TOPICS):
        topic = f"app.topic{i}"
        engine.register(
            f"{topic}-key", Schema(json.dumps(_record(f"Key{i}", "app", ("k", "long"))))
        )
        refs: tuple[SchemaReference, ...] = ()
        fields: list[tuple[str, object]] = [("v", "string")]
        if i % 2 == 0:
            shared = i % SHARED
            latest = 1 + shared % 3
            version = latest if i % 4 == 0 else 1  # the latest, or pinned to the first
            refs = (SchemaReference(f"shared.Type{shared}", f"shared.Type{shared}", version),)
            fields.append(("ref", f"shared.Type{shared}"))
        engine.register(
            f"{topic}-value",
            Schema(json.dumps(_record(f"Value{i}", "app", *fields)), references=refs),
        )
        if i % 7 == 0:
            engine.set_compatibility(CompatibilityLevel.FULL_TRANSITIVE, f"{topic}-value")
        if i % 11 == 0:
            engine.set_mode(Mode.READONLY, f"{topic}-key")
    for i in range(10):
        engine.register(
            f"hand named {i}", Schema(json.dumps(_record(f"Hand{i}", "misc", ("x", "int"))))
        )
    engine.register(
        "app.retired-value", Schema(json.dumps(_record("Retired", "app", ("x", "int"))))
    )
    engine.delete_subject("app.retired-value")
    engine.set_compatibility(CompatibilityLevel.BACKWARD)
    return engine


@contextlib.contextmanager
def _serving(snapshot: Path) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "aurum_sr.testing", "--snapshot", str(snapshot)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("registry listening on http://127.0.0.1:"), line
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


@pytest.mark.slow
def test_import_from_a_served_registry_of_250_subjects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = _engine()
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(dump_document(document_from_engine(engine)), encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    live = SHARED + 2 * TOPICS + 10
    assert live >= 200
    with _serving(snapshot) as url:
        printed = import_then_plan(url, repo, capsys, "--include-deleted")
    assert f"imported {live} subject(s)" in printed
    assert "1 soft-deleted as lifecycle: absent" in printed
    assert "owned prefixes: app., shared." in printed
    text = (repo / "contracts/contracts.yml").read_text()
    assert text.count("compatibility: FULL_TRANSITIVE") == len(range(0, TOPICS, 7))
    assert text.count("mode: READONLY") == len(range(0, TOPICS, 11))
    assert text.count("naming_strategy: none") == 10
    pinned = text.count("        version: 1\n")
    unpinned = text.count("      - name: shared.") - pinned
    assert pinned > 0 and unpinned > 0
