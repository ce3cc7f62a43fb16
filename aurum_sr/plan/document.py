"""The plan document: versioned, digested JSON that ``show`` renders and ``apply`` executes.

The document is the plan's dataclasses as JSON (enums by value, keys sorted) plus
``format_version``, ``summary`` (counts by action, and steps), ``aurum_sr_version`` and
``digest``: the sha256 of the canonical JSON of the document without
its ``digest``. A file edited by hand no longer matches its digest and is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from aurum_sr import __version__
from aurum_sr.errors import PlanFileError
from aurum_sr.formats import bounded
from aurum_sr.plan.model import FORMAT_VERSION, Plan

_ADAPTER: TypeAdapter[Plan] = TypeAdapter(Plan)
_DERIVED = frozenset({"digest", "signature", "summary", "aurum_sr_version"})
"""Keys the document carries for readers, not part of the plan model (all under the digest
but ``digest`` itself)."""


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: the form the digest is computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(document: dict[str, Any]) -> str:
    """The sha256 of the canonical JSON of ``document`` without its ``digest`` key."""
    body = {k: v for k, v in document.items() if k != "digest"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def signature_of(document: dict[str, Any], key: str) -> str:
    """The HMAC-SHA256, keyed by ``key``, of the canonical JSON of ``document`` without its
    ``digest`` and ``signature`` keys."""
    body = {k: v for k, v in document.items() if k not in ("digest", "signature")}
    mac = hmac.new(key.encode("utf-8"), canonical_json(body).encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()


_OPTIONAL_STEP_KEYS = ("metadata", "rule_set")
"""Step fields left out of the document when they are null."""


def to_document(plan: Plan, *, key: str | None = None) -> dict[str, Any]:
    """The plan as a JSON-ready dict with ``format_version``, ``digest`` and, when ``key`` is
    given (``AURUM_SR_PLAN_KEY``), a keyed ``signature``."""
    document: dict[str, Any] = _ADAPTER.dump_python(plan, mode="json")
    if document.get("environment") is None:
        document.pop("environment", None)  # a plan for a registry named directly
    for step in document.get("steps", ()):
        # A registration without a data contract reads as it did before data contracts.
        for name in _OPTIONAL_STEP_KEYS:
            if name in step and step[name] is None:
                del step[name]
    document["format_version"] = plan.format_version
    document["summary"] = plan.counts()
    document["aurum_sr_version"] = __version__
    if key:
        document["signature"] = signature_of(document, key)
    document["digest"] = digest_of(document)
    return document


def from_document(document: Any, *, key: str | None = None) -> Plan:
    """Validate and load a plan document; with ``key``, its signature must be that key's.

    The ``digest`` catches accidents (a truncated or hand-edited file): anyone can recompute it.
    The ``signature`` (HMAC-SHA256 with a secret shared by the plan and apply jobs) catches
    deliberate edits by someone without the secret.

    Raises:
        PlanFileError: not a plan document, another format version, a digest that does not
            match (the file was modified), a missing or wrong signature when ``key`` is given,
            or fields that do not fit the plan model.
    """
    if not isinstance(document, dict) or "format_version" not in document:
        raise PlanFileError(
            "this is not an aurum-sr plan document (no format_version)",
            hint="save a plan with `aurum-sr plan --out plan.json`",
        )
    version = document["format_version"]
    if version != FORMAT_VERSION:
        raise _other_version(version)
    recorded = document.get("digest")
    if recorded != digest_of(document):
        raise PlanFileError(
            "the plan document was modified after it was made (its digest does not match)",
            hint="make a fresh plan with `aurum-sr plan --out plan.json`; never edit plan files",
        )
    if key:
        signature = document.get("signature")
        if not isinstance(signature, str):
            raise PlanFileError(
                "the plan document is not signed, and AURUM_SR_PLAN_KEY is set",
                hint="make the plan with AURUM_SR_PLAN_KEY set (the same secret as here)",
            )
        if not hmac.compare_digest(signature, signature_of(document, key)):
            raise PlanFileError(
                "the plan document's signature does not match AURUM_SR_PLAN_KEY: it was "
                "modified after it was made, or signed with another key",
                hint="make a fresh plan with `aurum-sr plan --out plan.json`, with the same "
                "AURUM_SR_PLAN_KEY as the apply job",
            )
    body = {k: v for k, v in document.items() if k not in _DERIVED}
    try:
        return _ADAPTER.validate_python(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise PlanFileError(f"the plan document does not fit the plan model: {problems}") from exc


def _other_version(version: object) -> PlanFileError:
    """The error for a document of another format version: older ones are made again."""
    if isinstance(version, int) and not isinstance(version, bool) and version < FORMAT_VERSION:
        return PlanFileError(
            f"the plan was made by an older aurum-sr (plan format_version {version}; this "
            f"aurum-sr reads format_version {FORMAT_VERSION}); re-run plan",
            hint="make the plan again with `aurum-sr plan --out plan.json` and apply that one",
        )
    return PlanFileError(
        f"the plan document has format_version {version!r}; this aurum-sr reads "
        f"format_version {FORMAT_VERSION}",
        hint="apply it with the aurum-sr version that made it, or make the plan again with "
        "this one",
    )


def dumps(plan: Plan, *, key: str | None = None) -> str:
    """The plan document as indented, key-sorted JSON text ending with a newline (signed with
    ``key`` when given)."""
    document = to_document(plan, key=key)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def loads(text: str, *, key: str | None = None) -> Plan:
    """Parse and validate a plan document.

    Raises:
        PlanFileError: not JSON, or any problem :func:`from_document` reports.
    """
    try:
        document = bounded.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"the plan file is not JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    return from_document(document, key=key)
