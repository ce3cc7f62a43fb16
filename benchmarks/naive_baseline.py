"""The naive baseline: read a registry the way peer tools do — one request at a time, no cache.

List every subject, then for each subject list its versions, GET every version, and GET its
compatibility config. It only *reads* (no diff, no plan), so the comparison flatters it. It
prints one JSON line: subjects, versions read, requests and seconds.

    .venv/bin/python benchmarks/naive_baseline.py http://127.0.0.1:8081 [--prefix bench.]
"""

from __future__ import annotations

import argparse
import json
import time
from urllib.parse import quote

import requests

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


def read_everything(url: str, prefix: str = "") -> dict[str, int]:
    """Read every subject under ``prefix`` one request at a time; returns the counts."""
    base = url.rstrip("/")
    session = requests.Session()  # keep-alive: the baseline is not handicapped by handshakes
    session.headers["Accept"] = CONTENT_TYPE
    count = 0
    versions_read = 0

    def get(path: str) -> requests.Response:
        nonlocal count
        count += 1
        return session.get(base + path, timeout=30)

    subjects = [s for s in get("/subjects").json() if s.startswith(prefix)]
    for subject in subjects:
        name = quote(subject, safe="")
        for version in get(f"/subjects/{name}/versions").json():
            body = get(f"/subjects/{name}/versions/{version}").json()
            assert "schema" in body, body
            versions_read += 1
        config = get(f"/config/{name}")
        assert config.status_code in (200, 404), config.text
    session.close()
    return {"subjects": len(subjects), "versions": versions_read, "requests": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    start = time.perf_counter()
    counts = read_everything(args.url, args.prefix)
    print(json.dumps({**counts, "seconds": round(time.perf_counter() - start, 3)}))


if __name__ == "__main__":
    main()
