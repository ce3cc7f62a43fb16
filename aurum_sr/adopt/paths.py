"""Where each imported schema is written: derived from its full name, unique per subject.

A schema named ``com.example.Order`` goes to ``schemas/com/example/Order.avsc``. When two
subjects would get the same file (the same full name under two subjects, a topic's key and
value with one record name) -- compared without case, for case-insensitive file systems --
each goes to ``schemas/com/example/Order/<subject>.avsc`` instead. A schema without a named
top-level type goes to ``schemas/<subject>.avsc``. Characters a file name cannot safely hold
are percent-encoded, so distinct subjects never share a file name.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

SCHEMAS_DIR = "schemas"
EXTENSION = ".avsc"
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def encode_segment(text: str) -> str:
    """``text`` as one path segment: safe characters kept, the others (``%`` too) as ``%XX``
    of their UTF-8 bytes; a segment of dots only gets them encoded too."""
    out = "".join(
        c if c in _SAFE else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text
    )
    if not out or set(out) == {"."}:
        out = "".join(f"%{ord(c):02X}" for c in text) or "%00"
    return out


def _base(subject: str, full_name: str | None) -> str:
    if not full_name:
        return f"{SCHEMAS_DIR}/{encode_segment(subject)}{EXTENSION}"
    parts = [p for p in full_name.split(".") if p] or [full_name]
    return "/".join([SCHEMAS_DIR, *(encode_segment(p) for p in parts)]) + EXTENSION


def allocate_paths(
    names: Mapping[str, str | None], *, taken: Set[str] = frozenset()
) -> dict[str, str]:
    """A repository-relative schema path for each subject of ``names`` (subject → the full
    name of its top-level type), deterministic and distinct from each other and from ``taken``
    (paths already in use), all compared without case."""
    used = {p.casefold() for p in taken}
    bases = {subject: _base(subject, full) for subject, full in names.items()}
    counts: dict[str, int] = {}
    for base in bases.values():
        counts[base.casefold()] = counts.get(base.casefold(), 0) + 1
    out: dict[str, str] = {}
    for subject in sorted(names):
        base = bases[subject]
        path = base
        if counts[base.casefold()] > 1 or base.casefold() in used:
            path = f"{base.removesuffix(EXTENSION)}/{encode_segment(subject)}{EXTENSION}"
        stem, n = path.removesuffix(EXTENSION), 2
        while path.casefold() in used:
            path, n = f"{stem}~{n}{EXTENSION}", n + 1
        used.add(path.casefold())
        out[subject] = path
    return out
