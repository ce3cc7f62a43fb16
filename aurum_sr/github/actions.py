"""The GitHub Actions runner's files: the job summary (``GITHUB_STEP_SUMMARY``) and step
outputs (``GITHUB_OUTPUT``). Outside a runner (the variables unset) nothing is written."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path


def append_summary(markdown: str, environ: Mapping[str, str] | None = None) -> bool:
    """Append ``markdown`` to the job summary; False when there is no job summary file."""
    path = (os.environ if environ is None else environ).get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True


def set_outputs(outputs: Mapping[str, str], environ: Mapping[str, str] | None = None) -> bool:
    """Add step outputs; False when there is no output file. Multi-line values are written
    with a random heredoc delimiter, so no value can end its own block early."""
    path = (os.environ if environ is None else environ).get("GITHUB_OUTPUT")
    if not path:
        return False
    with Path(path).open("a", encoding="utf-8") as out:
        for name, value in outputs.items():
            if "\n" in value:
                delimiter = f"aurum_sr_{uuid.uuid4().hex}"
                out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                out.write(f"{name}={value}\n")
    return True
