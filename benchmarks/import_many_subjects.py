"""Import benchmark: the whole `aurum-sr import` process against N synthetic subjects.

Serves a synthetic registry (:mod:`synth`: 5 live versions per subject, 1% shared types
referenced by about one subject in ten, every subject with its own compatibility level) from
the in-process registry server with per-request latency, runs the real CLI in a subprocess --
``aurum-sr import --registry URL --root REPO`` -- and prints its wall time, peak RSS and the
requests the server answered (by kind), and the CPU seconds of the import's processes (the
CLI and its forked checking child: on a shared machine, wall time follows the load). With
``--verify`` (the default) it then runs ``aurum-sr plan --detailed-exitcode`` on the result,
untimed, and checks it says "No changes".

    .venv/bin/python benchmarks/import_many_subjects.py --subjects 10000 --latency-ms 5
    .venv/bin/python benchmarks/import_many_subjects.py --subjects 10000 --skip-modes
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import cli_command, measure, request_kinds  # noqa: E402
from synth import load_engine, make_fleet  # noqa: E402

from aurum_sr.registry.engine import RegistryEngine  # noqa: E402
from aurum_sr.testing import RegistryServer, ServerOptions  # noqa: E402


def run(subjects: int, latency_ms: float, versions: int, verify: bool, skip_modes: bool) -> None:
    fleet = make_fleet(subjects, versions=versions)
    engine = RegistryEngine("bench")
    load_engine(engine, fleet)
    options = ServerOptions(latency=latency_ms / 1000)
    with (
        RegistryServer(options, engine) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        repo = Path(folder)
        server.reset_requests()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [*cli_command(), "import", "--registry", server.url, "--root", str(repo)]
        measured = measure([*command, *(["--skip-modes"] if skip_modes else [])])
        if measured.returncode != 0:
            sys.exit(f"import failed ({measured.returncode}):\n{measured.stderr}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        kinds = request_kinds(server.requests)
        total = server.request_count
        files = sum(1 for _ in repo.rglob("*.avsc"))
        print(
            f"{subjects:>6} subjects, {latency_ms:g} ms latency"
            + (", --skip-modes" if skip_modes else "")
            + f": {measured.wall:6.2f} s wall ({cpu:.1f} s CPU over its processes; load "
            f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs), "
            f"{measured.rss_mb:5.0f} MB peak RSS, {total} requests "
            f"({kinds['list']} listing pages, {kinds['config']} config, {kinds['mode']} mode, "
            f"{kinds['history']} per-subject reads, {kinds['other']} other); "
            f"{files} schema files"
        )
        if verify:
            plan = measure(
                [
                    *cli_command(),
                    "plan",
                    "--registry",
                    server.url,
                    "--root",
                    str(repo),
                    "--detailed-exitcode",
                ]
            )
            ok = plan.returncode == 0 and "No changes" in plan.stdout
            print(f"        first plan after import: {'No changes' if ok else 'CHANGES'}")
            if not ok:
                sys.exit(plan.stdout[-2000:] + plan.stderr[-2000:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, nargs="+", default=[10_000])
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--no-verify", dest="verify", action="store_false")
    parser.add_argument("--skip-modes", action="store_true", help="import with --skip-modes")
    args = parser.parse_args(argv)
    for count in args.subjects:
        run(count, args.latency_ms, args.versions, args.verify, args.skip_modes)


if __name__ == "__main__":
    main()
