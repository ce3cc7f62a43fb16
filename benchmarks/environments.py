"""``plan --env all`` over three environments against the slowest single environment's plan.

Three in-process registries (dev, staging, prod), each serving the same synthetic history
(:mod:`synth`) with per-request latency injected; the real CLI runs in a subprocess. Each
command runs ``--repeat`` times and the median wall time is printed, then the ratio of
``--env all`` to the slowest ``--env NAME`` (the target: at most 1.3). A last row plans all
three with ``promotion = ["dev", "staging", "prod"]`` set (the gate adds no reads then: each
environment's plan says what it lacks).

    .venv/bin/python benchmarks/environments.py --subjects 1000 --latency-ms 5 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import cli_command, measure  # noqa: E402
from synth import load_engine, make_fleet, write_repository  # noqa: E402

from aurum_sr.registry.engine import RegistryEngine  # noqa: E402
from aurum_sr.testing import RegistryServer, ServerOptions  # noqa: E402

ENVIRONMENTS = ("dev", "staging", "prod")


def _config(urls: dict[str, str], promotion: bool) -> str:
    lines = ['promotion = ["dev", "staging", "prod"]', ""] if promotion else []
    for name in ENVIRONMENTS:
        lines += [f"[environments.{name}]", f'base_url = "{urls[name]}"', ""]
    return "\n".join(lines)


def _median(argv: list[str], repeat: int) -> tuple[float, int, str]:
    runs = [measure(argv) for _ in range(repeat)]
    for run in runs:
        if run.returncode not in (0, 2, 3):
            raise SystemExit(f"{' '.join(argv[-4:])} exited {run.returncode}: {run.stderr[-500:]}")
    return statistics.median(r.wall for r in runs), runs[-1].returncode, runs[-1].stdout


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--changed", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    fleet = make_fleet(args.subjects, changed=args.changed)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        repo = write_repository(fleet, Path(tmp) / "repo")
        urls = {}
        for name in ENVIRONMENTS:
            server = RegistryServer(
                options=ServerOptions(latency=args.latency_ms / 1000),
                engine=RegistryEngine(name),
            )
            assert server.engine is not None
            load_engine(server.engine, fleet)
            urls[name] = stack.enter_context(server).url
        config = repo / "aurum-sr.toml"
        base = [*cli_command(), "plan", "--root", str(repo), "--format", "json"]
        print(
            f"{args.subjects} subjects x {len(ENVIRONMENTS)} environments, "
            f"{args.latency_ms:g} ms per request, {len(fleet.changed)} changed, "
            f"median of {args.repeat}"
        )
        config.write_text(_config(urls, promotion=False), encoding="utf-8")
        single = {}
        for name in ENVIRONMENTS:
            single[name], _, _ = _median([*base, "--env", name], args.repeat)
            print(f"  plan --env {name:<8} {single[name]:6.2f} s")
        together, _, out = _median([*base, "--env", "all"], args.repeat)
        plans = json.loads(out)["environments"]
        assert [p["environment"] for p in plans] == list(ENVIRONMENTS)
        slowest = max(single.values())
        print(f"  plan --env all      {together:6.2f} s")
        print(f"  ratio all / slowest single: {together / slowest:.2f} (target <= 1.3)")
        config.write_text(_config(urls, promotion=True), encoding="utf-8")
        gated, code, _ = _median([*base, "--env", "all"], args.repeat)
        print(f"  plan --env all, promotion order set: {gated:6.2f} s (exit {code})")


if __name__ == "__main__":
    main()
