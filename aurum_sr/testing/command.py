"""``python -m aurum_sr.testing``: the test server as a stand-alone process."""

from __future__ import annotations

import argparse
import json
import signal
import time
from pathlib import Path

from aurum_sr.testing.flavors import FLAVORS, flavor
from aurum_sr.testing.server import RegistryServer


def serve(argv: list[str] | None = None) -> int:
    """``python -m aurum_sr.testing [--flavor NAME] [--snapshot FILE] [--port N]
    [--latency-ms MS]``.

    Serves the registry REST API on 127.0.0.1 until interrupted, optionally loaded from a
    snapshot file (the server works on a copy in memory; the file is never written), answering
    as the registry implementation ``--flavor`` names (confluent, karapace, redpanda, apicurio;
    docs/registries.md). For trying aurum-sr against a real HTTP registry without installing
    one.
    """
    from aurum_sr.registry.snapshot import engine_from_document

    parser = argparse.ArgumentParser(prog="python -m aurum_sr.testing", description=serve.__doc__)
    parser.add_argument("--snapshot", help="a snapshot file to load (not modified)")
    parser.add_argument(
        "--flavor",
        default="confluent",
        choices=sorted(FLAVORS),
        help="the registry implementation to imitate (default: confluent)",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    args = parser.parse_args(argv)
    engine = None
    if args.snapshot:
        path = Path(args.snapshot)
        engine = engine_from_document(
            json.loads(path.read_text(encoding="utf-8")), name="in-process", source=str(path)
        )
    options = flavor(args.flavor).options(latency=args.latency_ms / 1000, port=args.port)
    # Stop on Ctrl-C even when started as a background job (which starts with SIGINT ignored),
    # and on SIGTERM as well.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with RegistryServer(options, engine) as server:
        print(f"registry listening on {server.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0
