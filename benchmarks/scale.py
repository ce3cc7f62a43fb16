"""Scale benchmark: the whole `aurum-sr plan` process against N synthetic subjects.

For each subject count it generates a synthetic repository and registry history
(:mod:`synth`), serves the history from the in-process registry server (per-request latency
injected, the bulk ``GET /schemas`` listing on or off), runs the real CLI in a subprocess —
``aurum-sr plan --root REPO --registry URL --format json`` — and prints its wall time, the
requests the server answered (by kind), the process's peak RSS, and the same for the naive
baseline (:mod:`naive_baseline`: one request at a time, no cache). The plan printed is checked:
no registration when nothing changed, exactly the changed subjects otherwise.

    .venv/bin/python benchmarks/scale.py --subjects 1000 --latency-ms 0 5 --bulk on off
    .venv/bin/python benchmarks/scale.py --subjects 1000 5000 10000 --latency-ms 5 --no-baseline
    .venv/bin/python benchmarks/scale.py --subjects 1000 --changed 0.1 --level BACKWARD_TRANSITIVE
    .venv/bin/python benchmarks/scale.py --subjects 1000 --registry http://localhost:8081 --populate

With ``--registry URL`` the subjects are registered there first (``--populate``, version by
version; use an empty registry) and request counts are not available (only the server knows).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import Fleet, load_engine, make_fleet, populate_registry, write_repository  # noqa: E402

from aurum_sr.model import CompatibilityLevel  # noqa: E402
from aurum_sr.registry.engine import RegistryEngine  # noqa: E402
from aurum_sr.testing import RegistryServer, ServerOptions  # noqa: E402

HERE = Path(__file__).resolve().parent


def cli_command() -> list[str]:
    """The installed console script next to this Python, else ``python -m aurum_sr``."""
    script = Path(sys.executable).with_name("aurum-sr")
    if script.exists():
        return [str(script)]
    found = shutil.which("aurum-sr")
    return [found] if found else [sys.executable, "-m", "aurum_sr"]


@dataclass
class Measured:
    """One subprocess: wall seconds, peak RSS, CPU seconds and what it printed."""

    wall: float
    rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0
    """User + system seconds of the command and its children (the forked checking child):
    on a shared machine this swings with the load much less than ``wall``."""


# A small launcher measures the command: a child forked from this (large) process would count
# the parent's pages in its peak RSS before it execs.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{time.perf_counter() - start} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(argv: Sequence[str], *, cwd: Path | None = None) -> Measured:
    """Run ``argv``; its wall time, its own peak RSS and CPU time (``wait4``'s rusage, in a
    launcher)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as numbers,
    ):
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
        launcher = [sys.executable, "-S", "-c", _LAUNCHER, numbers.name, *argv]
        code = subprocess.run(launcher, stdout=out, stderr=err, cwd=cwd, env=env).returncode
        wall, maxrss_kb, cpu = numbers.read().split()
        out.seek(0)
        err.seek(0)
        return Measured(
            float(wall),
            int(maxrss_kb) / 1024,  # ru_maxrss is in kilobytes on Linux
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            float(cpu),
        )


def request_kinds(requests: Sequence[tuple[str, str]]) -> Counter[str]:
    """Requests by kind: listing pages, subject config, subject mode, history reads, other."""
    kinds: Counter[str] = Counter()
    for method, target in requests:
        path = target.split("?", 1)[0]
        if method == "GET" and path == "/schemas":
            kinds["list"] += 1
        elif path.startswith("/config/"):
            kinds["config"] += 1
        elif path.startswith("/mode/"):
            kinds["mode"] += 1
        elif method == "GET" and path.startswith("/subjects/"):
            kinds["history"] += 1
        else:
            kinds["other"] += 1
    return kinds


@dataclass
class Row:
    subjects: int
    versions: int
    latency_ms: float | None
    """None: an external registry (its latency and endpoints are its own)."""
    bulk: bool | None
    changed: int
    plan: Measured | None = None
    requests: int | None = None
    kinds: Counter[str] = field(default_factory=Counter)
    baseline: Measured | None = None
    baseline_requests: int | None = None
    notes: list[str] = field(default_factory=list)


def verify(row: Row, fleet: Fleet, stdout: str) -> None:
    """Check the plan the CLI printed: the changed subjects are registered, nothing else."""
    try:
        document: dict[str, Any] = json.loads(stdout)
    except ValueError:
        row.notes.append("plan output is not JSON")
        return
    registers = sorted(
        s["subject"] for s in document["steps"] if s.get("kind") == "register_schema"
    )
    others = [s for s in document["steps"] if s.get("kind") != "register_schema"]
    checked = [s for s in document["subjects"] if s.get("verdict")]
    expected = sorted(s.subject for s in fleet.changed)
    if registers != expected:
        row.notes.append(f"PLAN MISMATCH: {len(registers)} registrations, {len(expected)} expected")
    if others:
        row.notes.append(f"PLAN MISMATCH: {len(others)} unexpected non-register steps")
    incompatible = [s["subject"] for s in checked if not s["verdict"]["compatible"]]
    if incompatible:
        row.notes.append(f"PLAN MISMATCH: {len(incompatible)} incompatible verdicts")
    versions_checked = sum(len(s["verdict"]["checked_versions"]) for s in checked)
    if expected or checked:
        row.notes.append(
            f"{len(checked)} subjects checked against {versions_checked} live versions"
        )


@contextmanager
def serving(fleet: Fleet, latency_ms: float, bulk: bool) -> Iterator[RegistryServer]:
    server = RegistryServer(
        options=ServerOptions(latency=latency_ms / 1000, bulk_listing=bulk),
        engine=RegistryEngine("bench"),
    )
    assert server.engine is not None
    load_engine(server.engine, fleet)
    with server:
        yield server


def run_plan(row: Row, fleet: Fleet, repo: Path, url: str) -> None:
    argv = [*cli_command(), "plan", "--root", str(repo), "--registry", url, "--format", "json"]
    row.plan = measure(argv)
    if row.plan.returncode != 0:
        row.notes.append(f"plan exited {row.plan.returncode}: {row.plan.stderr.strip()[-300:]}")
    else:
        verify(row, fleet, row.plan.stdout)


def count_checks(row: Row, repo: Path, url: str) -> None:
    """Plan once more in this process, counting the compatibility checks the planner makes and
    the live versions it checks against (the subprocess cannot be instrumented)."""
    from aurum_sr import compat, pipeline
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.registry import open_registry

    calls: list[int] = []
    original = compat.check

    def counting(new: Any, previous: Any, level: Any, **kwargs: Any) -> Any:
        calls.append(len(previous))
        return original(new, previous, level, **kwargs)

    compat.check = counting  # type: ignore[assignment]
    try:
        registry = open_registry(url)
        pipeline.make_plan(pipeline.load(repo).state, registry, policy=PlanPolicy())
        registry.close()
    finally:
        compat.check = original  # type: ignore[assignment]
    row.notes.append(
        f"in-process count: {len(calls)} compatibility checks, against {sum(calls)} versions"
    )


def run_baseline(row: Row, url: str) -> None:
    row.baseline = measure([sys.executable, str(HERE / "naive_baseline.py"), url])
    if row.baseline.returncode != 0:
        row.notes.append(f"baseline failed: {row.baseline.stderr.strip()[-300:]}")
        return
    row.baseline_requests = int(json.loads(row.baseline.stdout)["requests"])


def header() -> str:
    return (
        f"{'subjects':>8} {'lat':>4} {'bulk':>4} {'chg':>4} | {'plan s':>7} {'RSS MB':>7} "
        f"{'reqs':>6} {'list':>4} {'config':>6} {'mode':>5} {'hist':>5} | "
        f"{'naive s':>8} {'reqs':>6} {'RSS MB':>7} {'ratio':>6}"
    )


def line(row: Row) -> str:
    plan = row.plan
    k = row.kinds
    reqs = "n/a" if row.requests is None else str(row.requests)
    wall, rss = (plan.wall, plan.rss_mb) if plan else (float("nan"), float("nan"))
    latency = "-" if row.latency_ms is None else f"{row.latency_ms:g}"
    bulk = "-" if row.bulk is None else ("on" if row.bulk else "off")
    text = (
        f"{row.subjects:>8} {latency:>4} {bulk:>4} "
        f"{row.changed:>4} | {wall:>7.2f} {rss:>7.0f} "
        f"{reqs:>6} {k['list']:>4} {k['config']:>6} {k['mode']:>5} {k['history']:>5} | "
    )
    if row.baseline is not None and row.baseline_requests is not None and plan is not None:
        text += (
            f"{row.baseline.wall:>8.2f} {row.baseline_requests:>6} {row.baseline.rss_mb:>7.0f} "
            f"{row.baseline.wall / plan.wall:>5.1f}x"
        )
    else:
        text += f"{'-':>8} {'-':>6} {'-':>7} {'-':>6}"
    return text


def main(argv: Sequence[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, nargs="+", default=[1000])
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--changed", type=float, default=0.0, help="share of changed subjects")
    parser.add_argument(
        "--level",
        default="BACKWARD",
        choices=[c.value for c in CompatibilityLevel],
        help="the subjects' compatibility level (contracts and registry)",
    )
    parser.add_argument("--latency-ms", type=float, nargs="+", default=[0.0, 5.0])
    parser.add_argument("--bulk", choices=["on", "off"], nargs="+", default=["on"])
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--baseline-max-subjects",
        type=int,
        default=1000,
        help="skip the naive baseline above this many subjects (it takes minutes)",
    )
    parser.add_argument("--registry", help="benchmark against this registry instead")
    parser.add_argument("--populate", action="store_true", help="register the history first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the repositories here (kept)")
    args = parser.parse_args(argv)

    rows: list[Row] = []
    print(header(), flush=True)
    for count in args.subjects:
        fleet = make_fleet(
            count,
            versions=args.versions,
            changed=args.changed,
            level=CompatibilityLevel(args.level),
            seed=args.seed,
        )
        with tempfile.TemporaryDirectory(prefix="aurum-bench-") as tmp:
            repo = write_repository(fleet, (args.keep or Path(tmp)) / f"repo-{count}")
            if args.registry:
                row = Row(count, args.versions, None, None, len(fleet.changed))
                if args.populate:
                    from aurum_sr.registry import open_registry

                    target = open_registry(args.registry)
                    populate_registry(target, fleet)
                    target.close()
                run_plan(row, fleet, repo, args.registry)
                if not args.no_baseline and count <= args.baseline_max_subjects:
                    run_baseline(row, args.registry)
                rows.append(row)
                print(line(row), *(f"    {n}" for n in row.notes), sep="\n", flush=True)
                continue
            for bulk in args.bulk:
                for latency in args.latency_ms:
                    row = Row(count, args.versions, latency, bulk == "on", len(fleet.changed))
                    with serving(fleet, latency, bulk == "on") as server:
                        run_plan(row, fleet, repo, server.url)
                        row.requests = server.request_count
                        row.kinds = request_kinds(server.requests)
                        if fleet.changed:
                            count_checks(row, repo, server.url)
                        if not args.no_baseline and count <= args.baseline_max_subjects:
                            server.reset_requests()
                            run_baseline(row, server.url)
                            row.baseline_requests = server.request_count
                    rows.append(row)
                    print(line(row), *(f"    {n}" for n in row.notes), sep="\n", flush=True)
    return rows


if __name__ == "__main__":
    main()
