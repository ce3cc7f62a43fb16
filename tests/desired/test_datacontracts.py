"""The data-contract keys of a subject: registry metadata, rule sets, the subject's
data-contract configuration, and every way of getting them wrong (file:line, with a fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.datacontracts import ContractConfig, Metadata, Rule, RuleKind, RuleMode, RuleSet
from aurum_sr.desired import load_desired
from aurum_sr.desired.datacontracts import field_paths, path_pattern
from aurum_sr.errors import DesiredStateError, Severity
from tests.desired.repos import HEAD, write_repo

FULL = (
    HEAD
    + """\
    registry_metadata:
      properties:
        owner: geo-team
        retention: "7"
      tags:
        shop.Geo.lat: [PII, LOCATION]
      sensitive: [retention]
    rule_set:
      domain_rules:
        - name: lat_in_range
          doc: Latitude is a latitude.
          kind: CONDITION
          mode: WRITE
          type: CEL
          expr: message.lat >= -90.0 && message.lat <= 90.0
          on_failure: DLQ
          params:
            dlq.topic: geo-dlq
      migration_rules:
        - name: upgrade
          kind: TRANSFORM
          mode: UPGRADE
          type: JSONATA
          expr: "$merge([$, {'lat': $.latitude}])"
    default_metadata:
      properties:
        domain: shop
    override_rule_set:
      domain_rules:
        - name: encrypt_pii
          kind: TRANSFORM
          mode: WRITEREAD
          type: ENCRYPT
          tags: [PII]
          on_failure: ERROR,NONE
          params:
            encrypt.kek.name: geo-kek
    compatibility_group: application.major.version
"""
)


def test_every_key_is_read_in_the_registry_shape(tmp_path: Path) -> None:
    write_repo(tmp_path, FULL)
    spec = load_desired(tmp_path).state.subjects["shop.Geo"]
    assert spec.registry_metadata == Metadata.of(
        properties={"owner": "geo-team", "retention": "7"},
        tags={"shop.Geo.lat": ["PII", "LOCATION"]},
        sensitive=["retention"],
    )
    assert spec.rule_set == RuleSet(
        migration_rules=(
            Rule(
                "upgrade",
                RuleKind.TRANSFORM,
                RuleMode.UPGRADE,
                "JSONATA",
                expr="$merge([$, {'lat': $.latitude}])",
            ),
        ),
        domain_rules=(
            Rule(
                "lat_in_range",
                RuleKind.CONDITION,
                RuleMode.WRITE,
                "CEL",
                doc="Latitude is a latitude.",
                params=(("dlq.topic", "geo-dlq"),),
                expr="message.lat >= -90.0 && message.lat <= 90.0",
                on_failure="DLQ",
            ),
        ),
    )
    assert spec.contract_config is not None
    assert spec.contract_config.default_metadata == Metadata.of(properties={"domain": "shop"})
    assert spec.contract_config.override_metadata is None
    assert spec.contract_config.compatibility_group == "application.major.version"
    assert spec.contract_config.override_rule_set is not None
    (encrypt,) = spec.contract_config.override_rule_set.domain_rules
    assert (encrypt.tags, encrypt.on_failure) == (("PII",), "ERROR,NONE")
    # Local annotations stay apart: nothing of them reaches the registry by default.
    assert spec.metadata == {}


def test_no_keys_send_nothing(tmp_path: Path) -> None:
    write_repo(tmp_path, HEAD)
    spec = load_desired(tmp_path).state.subjects["shop.Geo"]
    assert (spec.registry_metadata, spec.rule_set, spec.contract_config) == (None, None, None)


def test_annotations_map_into_metadata_only_when_asked(tmp_path: Path) -> None:
    annotated = HEAD + "    owner: geo-team\n    description: Points.\n    tags: [geo, core]\n"
    write_repo(tmp_path, annotated)
    assert load_desired(tmp_path).state.subjects["shop.Geo"].registry_metadata is None
    write_repo(
        tmp_path,
        "defaults:\n  annotations_to_metadata: true\n"
        + annotated
        + "    registry_metadata:\n      properties:\n        owner: explicit\n",
    )
    spec = load_desired(tmp_path).state.subjects["shop.Geo"]
    assert spec.registry_metadata == Metadata.of(
        properties={"owner": "explicit", "description": "Points.", "tags": "geo,core"}
    )


def rule(**fields: str) -> str:
    body = {"name": "r", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "'true'"}
    body.update(fields)
    lines = [f"        - name: {body.pop('name')}"] + [
        f"          {k}: {v}" for k, v in body.items() if v != "-"
    ]
    return "    rule_set:\n      domain_rules:\n" + "\n".join(lines) + "\n"


# (id, contracts after HEAD, rule, line, words in the message)
ERRORS = [
    ("unknown kind", rule(kind="CHECK"), "invalid-value", 9, "kind 'CHECK'"),
    ("unknown mode", rule(mode="ALWAYS"), "invalid-value", 10, "mode 'ALWAYS'"),
    ("migration mode on a domain rule", rule(mode="UPGRADE"), "invalid-value", 10, "does not fit"),
    ("unknown type", rule(type="CELL"), "invalid-value", 11, "type 'CELL'"),
    ("missing kind", rule(kind="-"), "invalid-structure", 8, "has no kind"),
    ("CEL without expr", rule(expr="-"), "invalid-structure", 8, "without expr"),
    ("unknown action", rule(on_failure="RETRY"), "invalid-value", 13, "on_failure 'RETRY'"),
    (
        "two actions on a one-way mode",
        rule(on_failure="ERROR,NONE"),
        "invalid-value",
        13,
        "is not an action",
    ),
    (
        "duplicate rule names",
        rule() + "        - name: r\n          kind: CONDITION\n          mode: READ\n"
        "          type: CEL\n          expr: 'false'\n",
        "duplicate-rule",
        13,
        "appears twice",
    ),
    (
        "tag on a field the schema does not have",
        "    registry_metadata:\n      tags:\n        shop.Geo.latitude: [PII]\n",
        "unknown-field-path",
        8,
        "shop.Geo.latitude",
    ),
    (
        "tag pattern that matches nothing",
        "    default_metadata:\n      tags:\n        '**.ssn': [PII]\n",
        "unknown-field-path",
        8,
        "'**.ssn'",
    ),
    ("unknown metadata key", "    registry_metadata:\n      owner: x\n", "unknown-key", 7, "owner"),
    (
        "context is not supported yet",
        "    context: .staging\n",
        "not-supported",
        6,
        "not supported",
    ),
    (
        "a non-string property",
        "    registry_metadata:\n      properties:\n        retention: 7\n",
        "invalid-type",
        8,
        "retention",
    ),
]


@pytest.mark.parametrize(
    ("extra", "rule_id", "line", "words"),
    [e[1:] for e in ERRORS],
    ids=[e[0] for e in ERRORS],
)
def test_mistakes_are_errors_at_their_line(
    tmp_path: Path, extra: str, rule_id: str, line: int, words: str
) -> None:
    write_repo(tmp_path, HEAD + extra)
    with pytest.raises(DesiredStateError) as refused:
        load_desired(tmp_path)
    errors = [d for d in refused.value.diagnostics if d.severity is Severity.ERROR]
    assert [(d.rule, d.line) for d in errors] == [(rule_id, line)], errors
    assert words in errors[0].message
    assert errors[0].path == "contracts/contracts.yml"
    assert errors[0].hint


def test_a_tag_pattern_that_matches_a_field_is_accepted(tmp_path: Path) -> None:
    write_repo(tmp_path, HEAD + "    registry_metadata:\n      tags:\n        '**.lat': [PII]\n")
    spec = load_desired(tmp_path).state.subjects["shop.Geo"]
    assert spec.registry_metadata == Metadata.of(tags={"**.lat": ["PII"]})


def test_an_empty_config_key_clears_that_setting(tmp_path: Path) -> None:
    write_repo(tmp_path, HEAD + "    alias: shop.Place\n")
    spec = load_desired(tmp_path).state.subjects["shop.Geo"]
    assert spec.contract_config == ContractConfig(alias="shop.Place")


NESTED = {
    "type": "record",
    "name": "Order",
    "namespace": "shop",
    "fields": [
        {"name": "id", "type": "string"},
        {
            "name": "lines",
            "type": {
                "type": "array",
                "items": {
                    "type": "record",
                    "name": "Line",
                    "fields": [{"name": "sku", "type": "string"}],
                },
            },
        },
        {
            "name": "buyer",
            "type": [
                "null",
                {
                    "type": "record",
                    "name": "Buyer",
                    "namespace": "crm",
                    "fields": [{"name": "email", "type": "string"}],
                },
            ],
        },
        {"name": "tags", "type": {"type": "map", "values": "shop.Line"}},
    ],
}


def test_field_paths_cover_nested_records_with_their_namespaces() -> None:
    assert field_paths(NESTED) == {
        "shop.Order.id",
        "shop.Order.lines",
        "shop.Line.sku",
        "shop.Order.buyer",
        "crm.Buyer.email",
        "shop.Order.tags",
    }


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**.email", "crm.Buyer.email", True),
        ("crm.*.email", "crm.Buyer.email", True),
        ("*.email", "crm.Buyer.email", False),
        ("shop.Order.i?", "shop.Order.id", True),
        ("shop.Order.id", "shop.Order.idx", False),
    ],
)
def test_tag_path_wildcards(pattern: str, path: str, matches: bool) -> None:
    assert bool(path_pattern(pattern).fullmatch(path)) is matches
