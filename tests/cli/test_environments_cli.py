"""One repository, three registries: dev, staging and prod over real sockets, each with its own
overlay, planned together with ``--env all``, applied one at a time behind the promotion gate."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.model import CompatibilityLevel
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.testing import RegistryServer
from aurum_sr.testing.plugin import ServerFactory

PROD_TOKEN = "prod-t0ken-do-not-print"

ORDER_V1 = {
    "type": "record",
    "name": "Order",
    "namespace": "shop",
    "fields": [{"name": "id", "type": "string"}],
}
ORDER_V2 = {
    **ORDER_V1,
    "fields": [*ORDER_V1["fields"], {"name": "note", "type": "string", "default": ""}],  # type: ignore[list-item]
}
PAYMENT = {
    "type": "record",
    "name": "Payment",
    "namespace": "shop",
    "fields": [{"name": "amount", "type": "long"}],
}
CONTRACTS = """format_version: 1
subjects:
  - subject: orders-value
    schema: schemas/order.avsc
    topic: orders
    role: value
    compatibility: BACKWARD
  - subject: payments-value
    schema: schemas/payment.avsc
    topic: payments
    role: value
"""


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_PASSWORD", "AURUM_SR_PLAN_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(name="three")
def _three(
    tmp_path: Path, registry_server_factory: ServerFactory, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, dict[str, RegistryServer]]:
    from aurum_sr.testing import ServerOptions

    servers = {
        "dev": registry_server_factory(),
        "staging": registry_server_factory(),
        "prod": registry_server_factory(ServerOptions(bearer_token=PROD_TOKEN)),
    }
    monkeypatch.setenv("PROD_SR_TOKEN", PROD_TOKEN)
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "contracts.yml").write_text(CONTRACTS, encoding="utf-8")
    (tmp_path / "schemas").mkdir()
    _schema(tmp_path, "order", ORDER_V1)
    _schema(tmp_path, "payment", PAYMENT)
    (tmp_path / "aurum-sr.toml").write_text(
        f"""promotion = ["dev", "staging", "prod"]

[environments.dev]
base_url = "{servers["dev"].url}"
subject_prefix = "dev."
compatibility = "NONE"

[environments.staging]
base_url = "{servers["staging"].url}"
exclude = ["payments-value"]

[environments.prod]
base_url = "{servers["prod"].url}"
bearer_token_env = "PROD_SR_TOKEN"
deletes = "never"

[environments.prod.compatibility_overrides]
"orders-value" = "FULL"
""",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path, servers


def _schema(root: Path, name: str, schema: Mapping[str, object]) -> None:
    (root / "schemas" / f"{name}.avsc").write_text(json.dumps(schema, indent=2), encoding="utf-8")


def _engine(server: RegistryServer) -> RegistryEngine:
    assert server.engine is not None
    return server.engine


def test_one_repository_three_registries_planned_together_applied_in_promotion_order(
    three: tuple[Path, dict[str, RegistryServer]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, servers = three
    # Nothing anywhere: dev may create; staging and prod wait for the environment before them.
    assert main(["plan", "--env", "all", "--format", "json"]) == EXIT_INCOMPATIBLE
    document = json.loads(capsys.readouterr().out)
    assert document["kind"] == "environments" and document["worst"] == "blocked"
    plans = {e["environment"]: e["plan"] for e in document["environments"]}
    assert list(plans) == ["dev", "staging", "prod"]
    assert {s["subject"] for s in plans["dev"]["subjects"]} == {
        "dev.orders-value",
        "dev.payments-value",
    }
    assert [s["subject"] for s in plans["staging"]["subjects"]] == ["orders-value"]
    reasons = {
        s["subject"]: [(r["code"], r["previous"], r["subject"]) for r in s["blocked_reasons"]]
        for s in plans["prod"]["subjects"]
    }
    # payments-value skips staging (excluded there): dev is the environment before prod for it.
    assert reasons == {
        "orders-value": [("not_promoted", "staging", "orders-value")],
        "payments-value": [("not_promoted", "dev", "dev.payments-value")],
    }
    assert all(p["environment"] == name for name, p in plans.items())

    assert main(["apply", "--env", "prod", "--auto-approve"]) == EXIT_INCOMPATIBLE
    assert "staging does not have orders-value v1 yet" in capsys.readouterr().out
    assert _engine(servers["prod"]).list_subjects() == []

    assert main(["apply", "--env", "dev", "--auto-approve"]) == EXIT_OK
    assert _engine(servers["dev"]).list_subjects() == ["dev.orders-value", "dev.payments-value"]
    assert _engine(servers["dev"]).get_compatibility("dev.orders-value") is CompatibilityLevel.NONE
    assert main(["plan", "--env", "staging", "--out", "staging.json"]) == EXIT_OK
    capsys.readouterr()
    # A plan made for staging is never applied to another environment.
    assert main(["apply", "staging.json", "--env", "prod"]) == EXIT_ERROR
    assert "made for environment staging, not prod" in capsys.readouterr().err
    assert main(["apply", "staging.json", "--registry", servers["prod"].url]) == EXIT_ERROR
    assert main(["apply", "staging.json", "--env", "staging"]) == EXIT_OK
    assert _engine(servers["staging"]).list_subjects() == ["orders-value"]

    assert main(["apply", "--env", "prod", "--auto-approve"]) == EXIT_OK
    assert _engine(servers["prod"]).list_subjects() == ["orders-value", "payments-value"]
    assert _engine(servers["prod"]).get_compatibility("orders-value") is CompatibilityLevel.FULL
    capsys.readouterr()
    assert main(["plan", "--env", "all", "--detailed-exitcode"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "== environment dev ==" in out and "No changes in any of 3 environments." in out
    assert main(["drift", "--env", "dev,prod", "--format", "json"]) == EXIT_OK
    drift = json.loads(capsys.readouterr().out)
    assert [e["environment"] for e in drift["environments"]] == ["dev", "prod"]
    assert drift["drifted"] is False
    assert PROD_TOKEN not in out


def test_the_gate_blocks_prod_until_staging_has_the_schema_and_the_override_is_recorded(
    three: tuple[Path, dict[str, RegistryServer]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, servers = three
    for env in ("dev", "staging", "prod"):
        assert main(["apply", "--env", env, "--auto-approve"]) == EXIT_OK
    _schema(root, "order", ORDER_V2)
    assert main(["apply", "--env", "dev", "--auto-approve"]) == EXIT_OK
    capsys.readouterr()
    assert main(["plan", "--env", "prod"]) == EXIT_INCOMPATIBLE
    out = capsys.readouterr().out
    assert "staging does not have orders-value v2 yet" in out
    assert "--skip-promotion-check orders-value" in out

    override = ["--skip-promotion-check", "orders-value", "--reason", "INC-42: hotfix"]
    assert main(["plan", "--env", "prod", *override, "--out", "prod.json"]) == EXIT_OK
    saved = json.loads((root / "prod.json").read_text(encoding="utf-8"))
    assert saved["environment"] == "prod"
    assert saved["warnings"] == [
        {
            "code": "promotion_check_skipped",
            "subject": "orders-value",
            "previous": "staging",
            "reason": "INC-42: hotfix",
        }
    ]
    assert main(["apply", "prod.json", "--env", "prod", "--report", "report.md"]) == EXIT_OK
    report = (root / "report.md").read_text(encoding="utf-8")
    assert "- Environment: `prod`" in report
    assert "## Promotion check skipped" in report and "INC-42: hotfix" in report
    assert _engine(servers["prod"]).list_versions("orders-value") == [1, 2]
    assert _engine(servers["staging"]).list_versions("orders-value") == [1]
    # staging catches up; nothing is left to promote.
    assert main(["apply", "--env", "staging", "--auto-approve"]) == EXIT_OK
    capsys.readouterr()
    assert main(["plan", "--env", "all", "--detailed-exitcode"]) == EXIT_OK


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        (None, ["plan", "--env", "prdo"], "did you mean 'prod'?"),
        (None, ["plan", "--env", "dev,dev"], "'dev' is given twice"),
        (None, ["apply", "--env", "all", "--auto-approve"], "not supported yet"),
        (
            None,
            ["plan", "--env", "prod", "--skip-promotion-check", "orders-value"],
            "needs --reason",
        ),
        (
            None,
            ["plan", "--env", "prod", "--skip-promotion-check", "order-value", "--reason", "x"],
            "did you mean orders-value?",
        ),
        (
            ('["dev", "staging", "prod"]', '["dev", "qa", "prod"]'),
            ["plan", "--env", "dev"],
            "aurum-sr.toml:1: promotion names 'qa', which no [environments.qa] defines",
        ),
        (
            ('["dev", "staging", "prod"]', '["dev", "prod", "dev"]'),
            ["plan", "--env", "all"],
            "aurum-sr.toml:1: promotion names 'dev' twice",
        ),
        (
            ('"orders-value" = "FULL"', '"order-value" = "FULL"'),
            ["plan", "--env", "prod"],
            "aurum-sr.toml:18 [environments.prod]: "
            "compatibility_overrides names 'order-value', which is not a subject",
        ),
        (
            ('exclude = ["payments-value"]', 'exclude = ["payment-*"]'),
            ["drift", "--env", "all"],
            "aurum-sr.toml:10 [environments.staging]: exclude pattern 'payment-*' matches no",
        ),
        (
            ('subject_prefix = "dev."', 'subject_prefx = "dev."'),
            ["plan", "--env", "all"],
            "aurum-sr.toml:5 [environments.dev]: unknown key 'subject_prefx'",
        ),
        (
            ('base_url = "http', 'url = "http'),
            ["plan", "--env", "all"],
            "aurum-sr.toml:4 [environments.dev]: unknown key 'url'",
        ),
    ],
)
def test_bad_environments_exit_1_naming_the_file_and_line(
    three: tuple[Path, dict[str, RegistryServer]],
    capsys: pytest.CaptureFixture[str],
    config: tuple[str, str] | None,
    args: list[str],
    message: str,
) -> None:
    root, servers = three
    if config is not None:
        path = root / "aurum-sr.toml"
        old, new = config
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert all(_engine(s).list_subjects() == [] for s in servers.values())


def test_a_missing_credential_variable_names_it(
    three: tuple[Path, dict[str, RegistryServer]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PROD_SR_TOKEN")
    assert main(["plan", "--env", "all"]) == EXIT_ERROR
    assert "the credential variable PROD_SR_TOKEN is not set" in capsys.readouterr().err


def test_an_environment_without_a_url_is_named_with_its_line(
    three: tuple[Path, dict[str, RegistryServer]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = three
    path = root / "aurum-sr.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[environments.staging]")
    line = text.index("\n", text.index("base_url", start))
    path.write_text(text[:start] + "[environments.staging]" + text[line:], encoding="utf-8")
    assert main(["plan", "--env", "all"]) == EXIT_ERROR
    assert "aurum-sr.toml:8 [environments.staging]: no base_url" in capsys.readouterr().err


def test_promote_plans_for_prod_only_what_staging_already_holds(
    three: tuple[Path, dict[str, RegistryServer]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, servers = three
    for env in ("dev", "staging", "prod"):
        assert main(["apply", "--env", env, "--auto-approve"]) == EXIT_OK
    _schema(root, "order", ORDER_V2)
    _schema(root, "payment", {**PAYMENT, "doc": "A payment."})
    for env in ("dev", "staging"):
        assert main(["apply", "--env", env, "--auto-approve"]) == EXIT_OK
    capsys.readouterr()
    code = main(["promote", "staging", "prod", "--detailed-exitcode", "--out", "promote.json"])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    # staging holds orders v2; it never holds payments-value (excluded), so that waits.
    assert "not promoted (staging does not hold their schema yet): payments-value" in captured.err
    assert "orders-value" in captured.out and "payments-value" not in captured.out
    assert main(["apply", "promote.json", "--env", "prod"]) == EXIT_OK
    assert _engine(servers["prod"]).list_versions("orders-value") == [1, 2]
    assert _engine(servers["prod"]).list_versions("payments-value") == [1]
    assert main(["promote", "prod", "prod"]) == EXIT_ERROR
    assert "FROM and TO are the same environment" in capsys.readouterr().err


def test_a_combined_plan_is_applied_one_environment_at_a_time(
    three: tuple[Path, dict[str, RegistryServer]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, servers = three
    assert main(["plan", "--env", "dev,staging", "--out", "both.json"]) == EXIT_INCOMPATIBLE
    saved = json.loads((root / "both.json").read_text(encoding="utf-8"))
    assert [e["environment"] for e in saved["environments"]] == ["dev", "staging"]
    capsys.readouterr()
    assert main(["apply", "both.json"]) == EXIT_ERROR
    assert "apply one environment at a time" in capsys.readouterr().err
    assert main(["apply", "both.json", "--env", "prod"]) == EXIT_ERROR
    assert "no plan for environment 'prod'" in capsys.readouterr().err
    # staging's part is blocked (dev did not hold the schemas when it was made): refused whole.
    assert main(["apply", "both.json", "--env", "staging"]) == EXIT_INCOMPATIBLE
    assert _engine(servers["staging"]).list_subjects() == []
    assert main(["apply", "both.json", "--env", "dev"]) == EXIT_OK
    assert _engine(servers["dev"]).list_subjects() == ["dev.orders-value", "dev.payments-value"]
    (root / "both.json").write_text(
        json.dumps({**saved, "worst": "none"}), encoding="utf-8"
    )  # edited by hand
    assert main(["apply", "both.json", "--env", "dev"]) == EXIT_ERROR
    assert "modified after it was made" in capsys.readouterr().err
