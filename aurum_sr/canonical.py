"""Schema identity the registry's way, for every schema type.

Two schemas are the same registry version when their schema type and references are equal and
their canonical texts are: the format of the type (:mod:`aurum_sr.formats`) defines that text
(for Avro, :mod:`aurum_sr.formats.avro.canonical`). A type aurum-sr has no format for yet is
still stored by registries, and compared here by its text alone: JSON with keys sorted and no
whitespace, or (Protobuf) its non-blank lines stripped.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterable
from functools import lru_cache

from aurum_sr.datacontracts import Contract, identity_part
from aurum_sr.formats import find_format
from aurum_sr.formats.json_text import dump_canonical, load_json
from aurum_sr.model import Schema, SchemaType


@lru_cache(maxsize=16384)
def canonical_text(schema_str: str, schema_type: SchemaType = SchemaType.AVRO) -> str:
    """The identity text of a schema; equal texts mean the registry sees the same schema.

    Raises:
        SchemaInputError: the text is not JSON (for AVRO and JSON schemas).
    """
    found = find_format(schema_type)
    if found is not None:
        return found.canonical_text(schema_str)
    if schema_type is SchemaType.PROTOBUF:
        return "\n".join(line.strip() for line in schema_str.strip().splitlines() if line.strip())
    return dump_canonical(load_json(schema_str))


def digest_of(canonical: str) -> bytes:
    """The identity digest of a canonical text (what :func:`same_schema` compares)."""
    return hashlib.sha256(canonical.encode("utf-8")).digest()


# What same_schema compares: the sha256 of the canonical text, kept for every schema seen (32
# bytes each instead of a copy of its text, so it can hold every schema of a large plan: a plan
# compares each subject's desired and latest schema twice, and an LRU cache smaller than that
# working set misses on every second look). Oldest entries go first beyond the limit.
_DIGESTS: dict[tuple[str, SchemaType], bytes] = {}
_DIGESTS_MAX = 1 << 17
_EVICTING = threading.Lock()


def identity_digest(schema_str: str, schema_type: SchemaType = SchemaType.AVRO) -> bytes:
    """The digest of :func:`canonical_text`; cached.

    Raises:
        SchemaInputError: the text is not JSON (for AVRO and JSON schemas).
    """
    found = _DIGESTS.get((schema_str, schema_type))
    if found is None:
        found = digest_of(canonical_text.__wrapped__(schema_str, schema_type))
        remember_identity(schema_str, schema_type, found)
    return found


def warm(schemas: Iterable[tuple[str, SchemaType]]) -> None:
    """Compute and keep the :func:`identity_digest` of each schema text now, while the caller
    would only wait (on the registry's answers): the diff that follows finds them cached. A
    text that cannot be read is left for that diff to report."""
    for schema_str, schema_type in schemas:
        with contextlib.suppress(Exception):
            identity_digest(schema_str, schema_type)


def remember_identity(schema_str: str, schema_type: SchemaType, digest: bytes) -> None:
    """Record the :func:`identity_digest` of a schema computed elsewhere (by the process that
    checked the desired schemas), so that it is not computed again here."""
    with _EVICTING:
        if len(_DIGESTS) >= _DIGESTS_MAX:
            _DIGESTS.pop(next(iter(_DIGESTS)), None)
        _DIGESTS[(schema_str, schema_type)] = digest


DIGEST_PREFIX = "sha256:"


def schema_digest(schema_str: str, schema_type: SchemaType = SchemaType.AVRO) -> str:
    """``sha256:<64 hex digits>`` of the schema's canonical text: the name an approval in the
    contracts (``accepted_breaks``) gives the exact content it accepts. Whitespace and key order
    do not change it; any change to the schema does.

    Raises:
        SchemaInputError: the text is not JSON (for AVRO and JSON schemas).
    """
    return DIGEST_PREFIX + identity_digest(schema_str, schema_type).hex()


def same_schema(a: Schema, b: Schema) -> bool:
    """True when the registry would treat ``a`` and ``b`` as the same schema (same id): the
    same canonical text, type and references, and the same metadata and rule set."""
    return (
        a.schema_type is b.schema_type
        and a.references == b.references
        and identity_part(Contract(a.metadata, a.rule_set))
        == identity_part(Contract(b.metadata, b.rule_set))
        and identity_digest(a.schema_str, a.schema_type)
        == identity_digest(b.schema_str, b.schema_type)
    )
