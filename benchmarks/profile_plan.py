"""Profile one `aurum-sr plan` process against a synthetic registry (cProfile, in a subprocess).

    .venv/bin/python benchmarks/profile_plan.py --subjects 1000 [--latency-ms 5] [--changed 0.1]
        [--sort cumulative] [--limit 40] [--out plan.prof]

The server runs in this process; the plan runs in its own process under ``python -m cProfile``,
so the profile is the CLI's alone. Prints the top functions.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import serving  # noqa: E402
from synth import make_fleet, write_repository  # noqa: E402

from aurum_sr.model import CompatibilityLevel  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--changed", type=float, default=0.0)
    parser.add_argument("--level", default="BACKWARD")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--bulk", choices=["on", "off"], default="on")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    fleet = make_fleet(
        args.subjects,
        versions=args.versions,
        changed=args.changed,
        level=CompatibilityLevel(args.level),
    )
    with tempfile.TemporaryDirectory(prefix="aurum-profile-") as tmp:
        repo = write_repository(fleet, Path(tmp) / "repo")
        out = args.out or Path(tmp) / "plan.prof"
        with serving(fleet, args.latency_ms, args.bulk == "on") as server:
            argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "aurum_sr", "plan"]
            argv += ["--root", str(repo), "--registry", server.url, "--format", "json"]
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=False, cwd=tmp)
        pstats.Stats(str(out)).sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
