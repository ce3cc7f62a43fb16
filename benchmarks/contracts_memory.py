"""Memory and time of reading a large contracts file: `aurum-sr validate`'s loader at scale.

For each subject count it writes a synthetic repository into a temporary directory — one
``contracts/contracts.yml`` entry per subject (subject, schema, topic, role, owner, description,
compatibility: about 200 bytes each), all sharing a handful of schema files, so the contracts
file dominates — then runs ``aurum-sr validate --root REPO`` in a fresh process per count and
prints the file's size, the seconds validate took, the process's peak RSS
(``resource.getrusage``), how much of it came after the imports ("load MiB"), and that as a
multiple of the file size. ``--trace`` adds what tracemalloc finds still held after validate,
by allocation site (slower: run it small).

    .venv/bin/python benchmarks/contracts_memory.py --subjects 10000 100000
    .venv/bin/python benchmarks/contracts_memory.py --subjects 10000 --trace
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SCHEMAS = 8


def write_repository(root: Path, subjects: int) -> Path:
    """``subjects`` subjects in one contracts file over ``SCHEMAS`` shared schema files."""
    (root / "contracts").mkdir(parents=True)
    (root / "schemas").mkdir()
    for k in range(SCHEMAS):
        schema = {
            "type": "record",
            "name": f"Event{k}",
            "namespace": "bench",
            "doc": "A benchmark event.",
            "fields": [{"name": "id", "type": "string", "doc": "The event's id."}],
        }
        (root / "schemas" / f"event{k}.avsc").write_text(json.dumps(schema), encoding="utf-8")
    with (root / "contracts" / "contracts.yml").open("w", encoding="utf-8") as out:
        out.write("format_version: 1\ndefaults:\n  naming_strategy: none\nsubjects:\n")
        for i in range(subjects):
            out.write(
                f"  - subject: bench.topic{i:07d}-value\n"
                f"    schema: schemas/event{i % SCHEMAS}.avsc\n"
                f"    topic: bench.topic{i:07d}\n"
                "    role: value\n"
                "    owner: data-platform@example.com\n"
                f"    description: Benchmark topic number {i}.\n"
                "    compatibility: BACKWARD\n"
            )
    return root


_CHILD = """
import resource, sys, time
root, trace = sys.argv[1], sys.argv[2] == "1"
if trace:
    import tracemalloc
    tracemalloc.start(8)
from aurum_sr.cli import main
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.argv = ["aurum-sr", "validate", "--root", root]
start = time.perf_counter()
code = main()  # as `aurum-sr validate` runs it (argv from sys.argv: the CLI's GC tuning too)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert code == 0, code
print("RESULT", seconds, imported, peak)
if trace:
    snapshot = tracemalloc.take_snapshot()
    current, top = tracemalloc.get_traced_memory()
    print(f"tracemalloc: {current / 2**20:.1f} MiB held after validate, {top / 2**20:.1f} MiB "
          "at the peak; the top sites of what is held:", file=sys.stderr)
    for stat in snapshot.statistics("lineno")[:10]:
        print(f"  {stat.size / 2**20:8.1f} MiB {stat.count:>9}  {stat.traceback}", file=sys.stderr)
"""


def measure(root: Path, *, trace: bool) -> tuple[float, float, float]:
    """`aurum-sr validate --root ROOT` in a fresh process: (seconds, RSS after the imports in
    MiB, peak RSS in MiB)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(root), "1" if trace else "0"],
        check=True,
        capture_output=True,
        text=True,
    )
    if done.stderr:
        print(done.stderr, end="", file=sys.stderr)
    [result] = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    _, seconds, imported, peak = result.split()
    return float(seconds), int(imported) / 1024, int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--trace", action="store_true", help="tracemalloc: where memory goes")
    args = parser.parse_args()
    print(f"{'subjects':>9} {'file MiB':>9} {'seconds':>8} {'peak MiB':>9} {'load MiB':>9} x file")
    for count in args.subjects:
        with tempfile.TemporaryDirectory(prefix="aurum-contracts-") as tmp:
            root = write_repository(Path(tmp), count)
            size = (root / "contracts" / "contracts.yml").stat().st_size / 2**20
            seconds, imported, peak = measure(root, trace=args.trace)
            grown = peak - imported
            print(
                f"{count:>9} {size:>9.1f} {seconds:>8.2f} {peak:>9.0f} {grown:>9.0f} "
                f"{grown / size:>7.1f}"
            )


if __name__ == "__main__":
    main()
