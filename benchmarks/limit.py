"""The registry's own limit: the least a plan or an apply must send, sent by a bare script.

``read`` sends the minimal request set of a no-change ``aurum-sr plan`` of a repository: the
global config and mode, the bulk listing of the latest live versions under the owned prefixes
(``GET /schemas?latestOnly=true``, paged), and one ``GET /config/{s}`` (``/mode/{s}``) per
subject whose level (mode) the contracts manage. ``register`` sends the bare registrations of an
apply that creates every subject of the repository: one ``POST /subjects/{s}/versions`` each,
referenced subjects first. Both keep ``--workers`` requests in flight (aurum-sr's
``max_workers``, 16 by default) over pooled keep-alive connections, parse nothing they do not
need (one ``http.client`` keep-alive connection per thread), and print one JSON line: requests
and seconds (the requests alone, after start-up).

``compare`` puts aurum-sr next to them against the in-process registry server (5 ms per
request by default; or, for the plan only, any registry holding the synthetic history,
``--registry URL``, see ``scale.py --populate``):

- a no-change ``aurum-sr plan`` of a synthetic repository (:mod:`synth`) against the limit's
  ``read`` of the same registry;
- ``aurum-sr apply --auto-approve`` creating every subject of a synthetic repository whose
  contracts manage no level or mode, against the limit's ``register`` of the same schemas in a
  registry just as empty;

and prints each time as a ratio to the limit: for the whole process (start-up, reading and
checking the files, planning, rendering), and for the registry-facing part alone, timed in a
process of its own like the limit: ``make_plan`` and its first read alone for the plan; for
the apply, ``apply`` with the plan's own reads as preconditions (as ``--auto-approve`` does).
Each of those runs ``--repeat`` times, alternated with the limit; the best of each is kept.

    .venv/bin/python benchmarks/limit.py read http://127.0.0.1:8081 --repo REPO
    .venv/bin/python benchmarks/limit.py register http://127.0.0.1:8081 --repo REPO
    .venv/bin/python benchmarks/limit.py compare --subjects 1000 10000 --latency-ms 5
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
PAGE = 1000


# -- the bare client ------------------------------------------------------------------------


class Bare:
    """``workers`` threads sending requests with ``requests`` (a pooled Session) or with one
    keep-alive ``http.client`` connection per thread (the least a Python client can do per
    request). Counts requests."""

    def __init__(self, url: str, workers: int, *, library: str = "requests") -> None:
        self.session: requests.Session | None = None
        if library == "requests":
            # What a bare script written with the project's HTTP library does: a pooled
            # keep-alive Session, ``workers`` connections.
            self.session = requests.Session()
            adapter = HTTPAdapter(pool_connections=2, pool_maxsize=workers, pool_block=True)
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
        self.base = url.rstrip("/")
        parts = urlsplit(url.rstrip("/"))
        self.secure = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port
        self.prefix = parts.path
        self.headers = {"Accept": CONTENT_TYPE, "Content-Type": CONTENT_TYPE}
        if parts.username:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            self.headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()
        self.workers = workers
        self.count = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []

    def _connection(self) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.secure else http.client.HTTPConnection
            connection = kind(self.host, self.port, timeout=60)
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def call(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: str | None = None
    ) -> tuple[int, Any]:
        with self._lock:
            self.count += 1
        if self.session is not None:
            answer = self.session.request(
                method, self.base + path, params=params, data=body, headers=self.headers, timeout=60
            )
            if answer.status_code >= 500:
                raise SystemExit(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
            return answer.status_code, answer.content
        target = self.prefix + path + (f"?{urlencode(params)}" if params else "")
        connection = self._connection()
        connection.request(method, target, body=body, headers=self.headers)
        response = connection.getresponse()
        data = response.read()
        if response.status >= 500:
            raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
        return response.status, data

    def each(self, work: Callable[[Any], object], items: Iterable[Any]) -> None:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for _ in pool.map(work, items):
                pass

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
        for connection in self._all:
            connection.close()


@dataclass(frozen=True)
class Repo:
    """What the limit needs to know of a repository's contracts (no schema checks)."""

    subjects: tuple[str, ...]
    prefixes: tuple[str, ...]
    levels: tuple[str, ...]
    """Subjects whose compatibility the contracts manage."""
    modes: tuple[str, ...]
    """Subjects whose mode the contracts manage."""
    schemas: dict[str, tuple[str, tuple[tuple[str, str], ...]]]
    """Subject -> (schema text, references as (name, subject))."""


def read_repo(root: Path) -> Repo:
    from aurum_sr.desired.loader import gather_desired

    state = gather_desired(root).state
    specs = state.subjects
    return Repo(
        subjects=tuple(sorted(specs)),
        prefixes=tuple(sorted(state.owned_prefixes)),
        levels=tuple(sorted(s for s, spec in specs.items() if spec.compatibility is not None)),
        modes=tuple(sorted(s for s, spec in specs.items() if spec.mode is not None)),
        schemas={
            s: (spec.schema_str or "", tuple((r.name, r.subject) for r in spec.references))
            for s, spec in specs.items()
        },
    )


def scan_prefixes(repo: Repo) -> list[str]:
    """The prefixes aurum-sr lists: the owned ones, and one covering the other subjects."""
    uncovered = [s for s in repo.subjects if not any(s.startswith(p) for p in repo.prefixes)]
    scan = list(repo.prefixes)
    if uncovered:
        scan.append(os.path.commonprefix(uncovered))
    return sorted({p for p in scan if not any(p != q and p.startswith(q) for q in scan)})


def minimal_read(client: Bare, repo: Repo) -> None:
    """The request set of a no-change plan; the listing pages overlap the per-subject reads."""

    def listing() -> None:
        for prefix in scan_prefixes(repo):
            offset = 0
            while True:
                params = {"latestOnly": "true", "offset": offset, "limit": PAGE}
                if prefix:
                    params["subjectPrefix"] = prefix
                _, data = client.call("GET", "/schemas", params=params)
                page = json.loads(data)
                if not page:
                    break
                offset += len(page)

    def setting(item: tuple[str, str]) -> None:
        kind, subject = item
        client.call("GET", f"/{kind}/{quote(subject, safe='')}")

    pages = threading.Thread(target=listing)
    pages.start()
    client.call("GET", "/config")
    client.call("GET", "/mode")
    client.each(setting, [("config", s) for s in repo.levels] + [("mode", s) for s in repo.modes])
    pages.join()


def bare_registrations(client: Bare, repo: Repo) -> None:
    """Every subject's schema, registered; referenced subjects first (their version 1)."""
    referenced = {ref for _, refs in repo.schemas.values() for _, ref in refs}
    first = [s for s in repo.subjects if s in referenced]
    rest = [s for s in repo.subjects if s not in referenced]

    def register(subject: str) -> None:
        text, refs = repo.schemas[subject]
        body: dict[str, Any] = {"schema": text}
        if refs:
            body["references"] = [{"name": n, "subject": s, "version": 1} for n, s in refs]
        status, data = client.call(
            "POST", f"/subjects/{quote(subject, safe='')}/versions", body=json.dumps(body)
        )
        if status != 200:
            raise SystemExit(f"register {subject}: {status} {data[:200]!r}")

    client.each(register, first)
    client.each(register, rest)


def run_aurum(kind: str, url: str, root: Path, workers: int) -> dict[str, Any]:
    """aurum-sr's registry-facing part, timed the same way: ``make_plan`` (read, diff, plan)
    for ``plan``; for ``apply``, planning first (untimed), then ``apply`` with the plan's own
    reads as its preconditions, as ``apply --auto-approve`` does."""
    from aurum_sr import pipeline
    from aurum_sr.config import SchemaRegistryConfig
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.registry import open_registry

    state = pipeline.load(root).state
    registry = open_registry(SchemaRegistryConfig(base_url=url, max_workers=workers))
    before = registry.request_count
    extra: dict[str, Any] = {}
    if kind == "plan":
        start = time.perf_counter()
        plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
        seconds = time.perf_counter() - start
        assert not plan.has_changes, plan.summary_line()
        # The reads alone (what the limit sends), once more.
        start = time.perf_counter()
        pipeline.read_latest(state, registry)
        extra["read_seconds"] = round(time.perf_counter() - start, 3)
    else:
        plan, seen = pipeline.plan_with_state(state, registry, policy=PlanPolicy())
        before = registry.request_count
        start = time.perf_counter()
        result = pipeline.apply(plan, registry, max_workers=workers, seen=seen)
        seconds = time.perf_counter() - start
        assert result.ok and len(result.changed) == len(plan.steps)
    registry.close()
    return {
        "kind": kind,
        "requests": registry.request_count - before,
        "seconds": round(seconds, 3),
        **extra,
    }


def run_limit(kind: str, url: str, root: Path, workers: int, library: str) -> dict[str, Any]:
    repo = read_repo(root)
    client = Bare(url, workers, library=library)
    start = time.perf_counter()
    if kind == "read":
        minimal_read(client, repo)
    else:
        bare_registrations(client, repo)
    seconds = time.perf_counter() - start
    client.close()
    return {"kind": kind, "requests": client.count, "seconds": round(seconds, 3)}


# -- compare --------------------------------------------------------------------------------


@dataclass
class Side:
    wall: float
    requests: int | None
    read: float | None = None
    """``aurum-plan``: the first read alone (what a no-change plan reads)."""


def timed_process(kind: str, url: str, root: Path, workers: int, library: str = "") -> Side:
    """One of this script's timings in its own process (the in-process server keeps this one
    busy: sharing its interpreter would slow whatever runs here)."""
    argv = [sys.executable, str(HERE / "limit.py"), kind, url, "--repo", str(root)]
    if library:
        argv += ["--library", library]
    done = subprocess.run(
        [*argv, "--workers", str(workers)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed: {done.stderr[-500:]}")
    answer = json.loads(done.stdout)
    read = answer.get("read_seconds")
    return Side(float(answer["seconds"]), int(answer["requests"]), read)


def cli(argv: Sequence[str]) -> float:
    import scale

    measured = scale.measure(argv)
    if measured.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(argv[:3])} exited {measured.returncode}: {measured.stderr}")
    return measured.wall


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def compare(args: argparse.Namespace) -> list[dict[str, Any]]:
    import scale
    from synth import make_fleet, write_repository

    from aurum_sr.model import CompatibilityLevel

    rows: list[dict[str, Any]] = []
    base = scale.cli_command()
    for count in args.subjects:
        fleet = make_fleet(count, versions=5, level=CompatibilityLevel.BACKWARD, seed=7)
        with tempfile.TemporaryDirectory(prefix="aurum-limit-") as tmp:
            repo = write_repository(fleet, Path(tmp) / "managed")
            # -- no-change plan ------------------------------------------------------------
            with _registry(args, fleet) as (url, server):
                plan_cli = cli(
                    [*base, "plan", "--root", str(repo), "--registry", url, "--format", "json"]
                )
                plan_requests = server.request_count if server else None
                parts, limits = [], []
                for _ in range(args.repeat):  # alternated; the best of each (a shared machine)
                    parts.append(timed_process("aurum-plan", url, repo, args.workers))
                    limits.append(timed_process("read", url, repo, args.workers, args.library))
                part = min(parts, key=lambda p: p.wall)
                part.read = min(p.read or 0.0 for p in parts)
                limit = min(limits, key=lambda p: p.wall)
            rows.append(
                {
                    "what": f"no-change plan, {count:,} subjects",
                    "aurum_process": plan_cli,
                    "aurum_registry_part": part.wall,
                    "aurum_read": part.read,
                    "aurum_requests": plan_requests,
                    "limit": limit.wall,
                    "limit_requests": limit.requests,
                }
            )
            _print(rows[-1])
            if count > args.apply_max_subjects or args.registry:
                continue  # registering needs an empty registry per run: the in-process one
            # -- apply creating every subject ----------------------------------------------
            fresh = make_fleet(count, versions=1, level=CompatibilityLevel.BACKWARD, seed=7)
            unmanaged = write_repository(fresh, Path(tmp) / "unmanaged", manage_level=False)
            with _registry(args, None) as (url, server):
                apply_cli = cli(
                    [
                        *base,
                        "apply",
                        "--root",
                        str(unmanaged),
                        "--registry",
                        url,
                        "--auto-approve",
                        "--format",
                        "json",
                    ]
                )
                apply_requests = server.request_count if server else None
            parts, limits = [], []
            for _ in range(args.repeat):
                with _registry(args, None) as (url, server):
                    parts.append(timed_process("aurum-apply", url, unmanaged, args.workers))
                with _registry(args, None) as (url, server):
                    limits.append(
                        timed_process("register", url, unmanaged, args.workers, args.library)
                    )
            part = min(parts, key=lambda p: p.wall)
            limit = min(limits, key=lambda p: p.wall)
            rows.append(
                {
                    "what": f"apply creating {count:,} subjects",
                    "aurum_process": apply_cli,
                    "aurum_registry_part": part.wall,
                    "aurum_requests": apply_requests,
                    "limit": limit.wall,
                    "limit_requests": limit.requests,
                }
            )
            _print(rows[-1])
    return rows


class _registry:
    """The in-process server (loaded with ``fleet``, or empty) or the given registry."""

    def __init__(self, args: argparse.Namespace, fleet: Any) -> None:
        self.args = args
        self.fleet = fleet
        self.server: Any = None

    def __enter__(self) -> tuple[str, Any]:
        if self.args.registry:
            return self.args.registry, None
        from synth import load_engine

        from aurum_sr.registry.engine import RegistryEngine
        from aurum_sr.testing import RegistryServer, ServerOptions

        engine = RegistryEngine("bench")
        if self.fleet is not None:
            load_engine(engine, self.fleet)
        options = ServerOptions(latency=self.args.latency_ms / 1000)
        self.server = RegistryServer(options=options, engine=engine).start()
        return self.server.url, self.server

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.stop()


def _print(row: dict[str, Any]) -> None:
    requests = row["aurum_requests"] if row["aurum_requests"] is not None else "n/a"
    text = (
        f"{row['what']}: limit {row['limit']:.2f} s ({row['limit_requests']} requests); "
        f"aurum-sr process {row['aurum_process']:.2f} s ({requests} requests) = "
        f"{ratio(row['aurum_process'], row['limit'])}, "
    )
    if row.get("aurum_read") is not None:
        text += (
            f"make_plan {row['aurum_registry_part']:.2f} s = "
            f"{ratio(row['aurum_registry_part'], row['limit'])}, "
            f"its read {row['aurum_read']:.2f} s = {ratio(row['aurum_read'], row['limit'])}"
        )
    else:
        text += (
            f"apply steps {row['aurum_registry_part']:.2f} s = "
            f"{ratio(row['aurum_registry_part'], row['limit'])}"
        )
    print(text, flush=True)


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for kind in ("read", "register", "aurum-plan", "aurum-apply"):
        one = sub.add_parser(kind)
        one.add_argument("url")
        one.add_argument("--repo", type=Path, required=True)
        one.add_argument("--workers", type=int, default=16)
        one.add_argument("--library", choices=["requests", "http.client"], default="requests")
    both = sub.add_parser("compare")
    both.add_argument("--subjects", type=int, nargs="+", default=[1000])
    both.add_argument("--latency-ms", type=float, default=5.0)
    both.add_argument("--workers", type=int, default=16)
    both.add_argument("--registry", help="compare the no-change plan against this registry instead")
    both.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    both.add_argument(
        "--library",
        choices=["requests", "http.client"],
        default="requests",
        help="the limit's HTTP client: requests (as a bare script would) or http.client (less "
        "CPU per request: the least a Python client can do)",
    )
    both.add_argument(
        "--apply-max-subjects", type=int, default=1000, help="apply only up to this many subjects"
    )
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args)
    if args.command.startswith("aurum-"):
        kind = args.command.removeprefix("aurum-")
        print(json.dumps(run_aurum(kind, args.url, args.repo, args.workers)))
    else:
        print(json.dumps(run_limit(args.command, args.url, args.repo, args.workers, args.library)))
    return []


if __name__ == "__main__":
    main()
