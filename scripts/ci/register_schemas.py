#!/usr/bin/env python3
"""Register a folder of Avro schema files with a schema registry, from CI.

A thin command line over :class:`aurum_sr.registration.SchemaRegistrationScript` (the same
plan and apply as ``aurum-sr plan --schema-dir`` / ``apply``): every ``*.avsc`` under
``--schema-dir`` becomes the subject named by its record's full name, held to
``--compatibility``; an incompatible schema blocks the whole run. ``aurum-sr plan`` with
contracts is the fuller tool; this script keeps the seed's CI entry point working.

    python scripts/ci/register_schemas.py --schema-dir schemas/ \\
        --registry-url "$SCHEMA_REGISTRY_URL" --compatibility BACKWARD --dry-run \\
        --report registration-report.md --fail-on-error

Exit codes: 0 done (or failures without --fail-on-error), 1 failures with --fail-on-error or
bad input, 3 an incompatible schema with --fail-on-error.
"""

from __future__ import annotations

import argparse
import sys

from aurum_sr.errors import EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK, AurumError
from aurum_sr.registration import (
    RegistrationResult,
    RegistrationStatus,
    SchemaRegistrationScript,
)

__all__ = ["RegistrationResult", "SchemaRegistrationScript", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema-dir", required=True, help="Folder of *.avsc files.")
    parser.add_argument(
        "--registry-url",
        help="The registry [default: SCHEMA_REGISTRY_URL, aurum-sr.toml, else the snapshot file].",
    )
    parser.add_argument(
        "--compatibility",
        default="BACKWARD",
        help="Level every subject is held to (set where the registry has another) "
        "[default: BACKWARD]; KEEP leaves the registry's.",
    )
    parser.add_argument("--dry-run", action="store_true", help="Plan only; register nothing.")
    parser.add_argument("--report", help="Write a report: Markdown, or JSON for *.json.")
    parser.add_argument(
        "--fail-on-error",
        action="store_true",
        help="Exit non-zero when any schema is incompatible or failed.",
    )
    args = parser.parse_args(argv)
    level = None if args.compatibility.upper() == "KEEP" else args.compatibility
    try:
        script = SchemaRegistrationScript(registry_url=args.registry_url)
        results = script.register_schemas_from_directory(args.schema_dir, level, args.dry_run)
        if args.report:
            script.generate_schema_report(results, args.report)
    except AurumError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for r in results:
        where = f" v{r.version} (id {r.schema_id})" if r.version else ""
        note = (
            f": {r.message}" if r.message and r.status is not RegistrationStatus.REGISTERED else ""
        )
        print(f"{r.status.value:<14} {r.subject}{where}{note}")
    if args.report:
        print(f"Wrote the report to {args.report}.")
    if not args.fail_on_error or all(r.ok for r in results):
        return EXIT_OK
    if any(r.status is RegistrationStatus.INCOMPATIBLE for r in results):
        return EXIT_INCOMPATIBLE
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
