"""Profile one import against a synthetic registry (cProfile and tracemalloc, in a subprocess).

    .venv/bin/python benchmarks/profile_import.py --subjects 2000 [--latency-ms 5]
        [--fork] [--sort cumulative] [--limit 40] [--out import.prof] [--memory | --cpu]

The server runs in this process; the import runs in its own process (``import_registry``, as
``aurum-sr import`` calls it), so the profile is the import's alone. By default the schema
checks run in the same process (no fork), so the profile holds them too; ``--fork`` profiles
the parent only, as the CLI runs. ``--memory`` runs it under tracemalloc instead and prints the
peak of traced memory and the lines that held the most at the end. ``--cpu`` runs it
unprofiled, forked as the CLI runs it, and prints the wall time and the CPU seconds of the
importing process and of its checking child apart. The subject-level settings are read on
worker threads, which cProfile does not see.
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
from synth import make_fleet  # noqa: E402

_DRIVER = """
import cProfile, sys, time, tracemalloc
from aurum_sr.adopt import Selection, import_registry
from aurum_sr.cli.options import open_configured_registry

url, root, out, fork, memory = sys.argv[1:6]
import resource
from aurum_sr.cli import _collect_less_often
_collect_less_often()  # as the CLI runs
registry = open_configured_registry(root, url)
def run():
    return import_registry(registry, root, Selection(), fork=fork == "1")
start = time.perf_counter()
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
if memory == "cpu":
    run()
    print(f"importing process {cpu(resource.RUSAGE_SELF):.2f} s CPU (with start-up), "
          f"checking child {cpu(resource.RUSAGE_CHILDREN):.2f} s CPU")
elif memory == "1":
    tracemalloc.start(8)
    run()
    current, peak = tracemalloc.get_traced_memory()
    print(f"traced: peak {peak / 2**20:.1f} MB, at the end {current / 2**20:.1f} MB")
    for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
        print(stat)
else:
    cProfile.run("run()", out)
print(f"import: {time.perf_counter() - start:.2f} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--fork", action="store_true")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--cpu", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    fleet = make_fleet(args.subjects, versions=args.versions)
    with tempfile.TemporaryDirectory(prefix="aurum-profile-") as tmp:
        out = args.out or Path(tmp) / "import.prof"
        repo = Path(tmp) / "repo"
        repo.mkdir()
        with serving(fleet, args.latency_ms, True) as server:
            argv = [sys.executable, "-c", _DRIVER, server.url, str(repo), str(out)]
            what = "cpu" if args.cpu else "1" if args.memory else "0"
            argv += ["1" if args.fork or args.cpu else "0", what]
            subprocess.run(argv, check=True, cwd=tmp)
        if not (args.memory or args.cpu):
            pstats.Stats(str(out)).sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
