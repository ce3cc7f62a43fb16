"""What metrics and JSON logs cost a no-change plan: the whole `aurum-sr plan` process over N
synthetic subjects (:mod:`synth`), run alternately without and with
``--log-format json --log-file F --metrics-file M``, against the in-process registry server.

Runs alternate (plain, observed, observed, plain, …) so a load change on the shared machine
hits both alike; the report gives each variant's best and range and the overhead of the best
observed run over the best plain one. Every run's exit code and plan are checked (no step), and
the observed runs' metrics file is parsed back.

    .venv/bin/python benchmarks/observe_overhead.py --subjects 1000 --pairs 5
    .venv/bin/python benchmarks/observe_overhead.py --subjects 1000 --pairs 5 --debug-logs
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402
from scale import cli_command, serving  # noqa: E402
from synth import make_fleet, write_repository  # noqa: E402

from aurum_sr.metrics import RunMetrics, write_file  # noqa: E402


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    returncode: int
    stdout: str
    stderr: str


def measure(argv: list[str]) -> Run:
    """Wall and CPU seconds of ``argv`` (CPU: user + system, the forked checking child
    included; on a shared machine it swings with the load much less than wall time)."""
    done = scale.measure(argv)
    return Run(done.wall, done.cpu, done.returncode, done.stdout, done.stderr)


def in_process_cost(requests: int, folder: Path) -> tuple[float, float]:
    """Milliseconds to record ``requests`` request attempts, and to build and write the
    metrics file from them: the part of an observed run the process comparison cannot resolve
    from the noise."""
    metrics = RunMetrics("plan")
    start = time.perf_counter()
    for i in range(requests):
        metrics.request("GET", "/config/{subject}", "200" if i % 10 else "404", 0.002, 1)
    recorded = time.perf_counter()
    registry = metrics.registry(exit_code=0, duration=1.0, last_success=time.time())
    write_file(str(folder / "cost.prom"), registry)
    return (recorded - start) * 1000, (time.perf_counter() - recorded) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--debug-logs",
        action="store_true",
        help="log every registry request (--debug) in both variants: the cost of JSON lines "
        "over text lines at the most verbose level",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    fleet = make_fleet(args.subjects, versions=5, changed=0.0, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="aurum-sr-observe-") as folder:
        base = Path(folder)
        repo = write_repository(fleet, base / "repo")
        logs, metrics = base / "run.log", base / "run.prom"
        debug = ["--debug"] if args.debug_logs else []
        with serving(fleet, args.latency_ms, bulk=True) as server:
            plan = ["plan", "--root", str(repo), "--registry", server.url, "--format", "json"]
            variants = {
                "plain": [*cli_command(), *debug, "--log-file", str(base / "text.log"), *plan],
                "observed": [
                    *cli_command(),
                    *debug,
                    "--log-format",
                    "json",
                    "--log-file",
                    str(logs),
                    "--metrics-file",
                    str(metrics),
                    *plan,
                ],
            }
            walls: dict[str, list[float]] = {name: [] for name in variants}
            cpus: dict[str, list[float]] = {name: [] for name in variants}
            measure(variants["plain"])  # warm the page cache and the server
            server.reset_requests()
            measure(variants["plain"])
            requests = server.request_count
            for pair in range(args.pairs):
                order = list(variants) if pair % 2 == 0 else list(reversed(variants))
                for name in order:  # plain first, then observed first: no side is always second
                    argv = variants[name]
                    run = measure(argv)
                    if run.returncode != 0 or json.loads(run.stdout)["steps"]:
                        raise SystemExit(f"{name}: exit {run.returncode}: {run.stderr[-500:]}")
                    walls[name].append(run.wall)
                    cpus[name].append(run.cpu)
        families = {f.name for f in text_string_to_metric_families(metrics.read_text())}
        assert "aurum_sr_registry_requests" in families, families
        lines = logs.read_text().splitlines()
        record_ms, write_ms = in_process_cost(requests, base)
    print(
        f"{args.subjects} subjects, no change, {args.latency_ms:g} ms latency, "
        f"{args.pairs} alternating pairs{' at DEBUG' if args.debug_logs else ''}:"
    )
    for label, numbers in (("wall", walls), ("CPU", cpus)):
        for name, values in numbers.items():
            print(
                f"  {label:4} {name:9} best {min(values):.3f} s, range {min(values):.3f}-"
                f"{max(values):.3f} s ({', '.join(f'{v:.3f}' for v in values)})"
            )
        overhead = min(numbers["observed"]) / min(numbers["plain"]) - 1
        print(f"  {label:4} overhead, best observed over best plain: {overhead:+.1%}")
    print(
        f"  in process, for the {requests} requests of one run: recording {record_ms:.1f} ms, "
        f"building and writing the metrics file {write_ms:.1f} ms"
    )
    print(f"  metrics families written: {len(families)}; JSON log lines (all runs): {len(lines)}")


if __name__ == "__main__":
    main()
