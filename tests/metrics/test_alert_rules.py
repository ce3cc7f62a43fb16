"""The alerting rules in deploy/prometheus: checked by promtool where it is installed (syntax
and the unit tests next to them), and always by a structural check that every metric and label
they use is one aurum-sr writes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from aurum_sr import pipeline
from aurum_sr.metrics import RunMetrics
from aurum_sr.plan import PlanPolicy
from tests.apply.helpers import memory_registry
from tests.plan.factories import desired, record, spec

RULES_DIR = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
RULES = RULES_DIR / "aurum-sr-alerts.yml"
RULE_TESTS = RULES_DIR / "aurum-sr-alerts.test.yml"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "observability.md"
PROMTOOL = shutil.which("promtool")
NO_PROMTOOL = "promtool is not on PATH (Debian: apt-get install prometheus)"

REQUIRED_ALERTS = {
    "AurumSrDriftDetected",
    "AurumSrDriftJobMissing",
    "AurumSrApplyFailed",
    "AurumSrRegistrationFailed",
    "AurumSrIncompatibleChange",
    "AurumSrRegistryDown",
    "AurumSrRegistryErrors",
    "AurumSrRegistrySlow",
}
# Labels Prometheus itself adds to scraped or pushed series, besides aurum-sr's own.
TARGET_LABELS = {"job", "instance", "le"}
DURATION = re.compile(r"^[0-9]+[smhdw]$")


def rules() -> list[dict[str, Any]]:
    document = YAML(typ="safe").load(RULES.read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def written() -> tuple[set[str], set[str]]:
    """The sample names and label names a plan, an apply and a drift run write."""
    state = desired(spec("aurum.a-value", record("A")), spec("aurum.b-value", record("B")))
    registry = memory_registry()
    made = pipeline.make_plan(state, registry, policy=PlanPolicy())
    metrics = RunMetrics("apply")
    metrics.plan = made
    metrics.apply = pipeline.apply(made, registry)
    metrics.drift = pipeline.drift(state, registry)
    metrics.managed_subjects = len(state.subjects)
    metrics.request("GET", "/subjects", "200", 0.01, 1)
    metrics.request("GET", "/subjects", "503", 0.01, 2)
    collected = metrics.registry(exit_code=0, duration=1.0, last_success=1.0).collect()
    samples = [sample for family in collected for sample in family.samples]
    return {s.name for s in samples}, {label for s in samples for label in s.labels}


def test_every_rule_is_complete_and_named_once() -> None:
    found = rules()
    names = [rule["alert"] for rule in found]
    assert len(names) == len(set(names))
    assert set(names) >= REQUIRED_ALERTS
    for rule in found:
        assert rule["alert"].startswith("AurumSr"), rule
        assert isinstance(rule["expr"], str) and rule["expr"].strip(), rule
        assert rule["labels"]["severity"] in ("warning", "critical"), rule
        assert {"summary", "description"} <= set(rule["annotations"]), rule
        assert "for" not in rule or DURATION.match(rule["for"]), rule
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule


def test_rules_use_only_metrics_and_labels_aurum_sr_writes() -> None:
    samples, labels = written()
    for rule in rules():
        text = rule["expr"] + " ".join(rule["annotations"].values())
        used = set(re.findall(r"\baurum_sr_[a-z_]+", text))
        assert used, rule["alert"]
        assert used <= samples, (rule["alert"], used - samples)
        matchers = set(re.findall(r"([a-z_]+)\s*(?:=~|!=|!~|=)\s*\"", rule["expr"]))
        grouped = {
            label.strip()
            for clause in re.findall(r"\b(?:by|on)\s*\(([^)]*)\)", rule["expr"])
            for label in clause.split(",")
        }
        assert matchers | grouped <= labels | TARGET_LABELS, rule["alert"]


def test_every_alert_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for rule in rules():
        assert f"`{rule['alert']}`" in docs, rule["alert"]


@pytest.mark.skipif(PROMTOOL is None, reason=NO_PROMTOOL)
def test_promtool_accepts_the_rules() -> None:
    assert PROMTOOL is not None
    done = subprocess.run(
        [PROMTOOL, "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(rules())} rules found" in done.stdout


@pytest.mark.skipif(PROMTOOL is None, reason=NO_PROMTOOL)
def test_promtool_unit_tests_of_the_rules_pass() -> None:
    assert PROMTOOL is not None
    done = subprocess.run(
        [PROMTOOL, "test", "rules", RULE_TESTS.name],
        capture_output=True,
        text=True,
        check=False,
        cwd=RULES_DIR,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tested = YAML(typ="safe").load(RULE_TESTS.read_text(encoding="utf-8"))
    alerts = {case["alertname"] for test in tested["tests"] for case in test["alert_rule_test"]}
    assert alerts == {rule["alert"] for rule in rules()}  # every rule has a unit test
