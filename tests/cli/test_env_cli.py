"""``--env NAME``: the same contracts planned and applied to two registries, each reached with
its own credentials, and every bad --env refused before anything is read or written."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from aurum_sr.testing import RegistryServer, ServerOptions
from aurum_sr.testing.plugin import ServerFactory
from tests.e2e.helpers import REPO

DEV_PASSWORD = "dev-pa55-do-not-print"
PROD_TOKEN = "prod-tok-do-not-print"
AMBIENT = ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD")


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*AMBIENT, "SCHEMA_REGISTRY_BEARER_TOKEN", "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"):
        monkeypatch.delenv(name, raising=False)


def _repository(root: Path, dev: str, prod: str) -> Path:
    shutil.copytree(REPO / "contracts", root / "contracts")
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / "aurum-sr.toml").write_text(
        f"""
[environments.dev]
base_url = "{dev}"
basic_auth_user_info_env = "DEV_SR_AUTH"

[environments.prod]
base_url = "{prod}"
bearer_token_env = "PROD_SR_TOKEN"
snapshot = "registry/prod.json"
""",
        encoding="utf-8",
    )
    return root


@pytest.fixture(name="two")
def _two(
    tmp_path: Path, registry_server_factory: ServerFactory, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, RegistryServer, RegistryServer]:
    dev = registry_server_factory(ServerOptions(basic_auth=("svc", DEV_PASSWORD)))
    prod = registry_server_factory(ServerOptions(bearer_token=PROD_TOKEN))
    monkeypatch.setenv("DEV_SR_AUTH", f"svc:{DEV_PASSWORD}")
    monkeypatch.setenv("PROD_SR_TOKEN", PROD_TOKEN)
    # An ambient registry must not redirect a run that names its environment.
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", "http://127.0.0.1:9")
    return _repository(tmp_path, dev.url, prod.url), dev, prod


def _clean(*texts: str) -> None:
    for text in texts:
        assert DEV_PASSWORD not in text and PROD_TOKEN not in text


def test_same_contracts_planned_and_applied_to_dev_then_prod(
    two: tuple[Path, RegistryServer, RegistryServer],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    root, dev, prod = two
    at = ("--root", str(root))
    for env, server in (("dev", dev), ("prod", prod)):
        assert main(["plan", *at, "--env", env, "--detailed-exitcode"]) == EXIT_CHANGES
        out = capsys.readouterr().out
        assert f"registry:  {server.url}" in out
        assert "+ aurum.iso.lmp.v1-value  create subject (register v1)" in out
    assert main(["apply", *at, "--env", "dev", "--auto-approve"]) == EXIT_OK
    printed = capsys.readouterr()
    # dev holds the contracts now; prod is untouched until applied there.
    assert main(["plan", *at, "--env", "dev", "--detailed-exitcode"]) == EXIT_OK
    assert main(["plan", *at, "--env", "prod", "--detailed-exitcode"]) == EXIT_CHANGES
    assert main(["drift", *at, "--env", "dev"]) == EXIT_OK
    assert main(["apply", *at, "--env", "prod", "--auto-approve"]) == EXIT_OK
    assert main(["plan", *at, "--env", "prod", "--detailed-exitcode"]) == EXIT_OK
    later = capsys.readouterr()
    _clean(printed.out, printed.err, later.out, later.err, caplog.text)


def test_status_snapshot_export_and_import_take_env(
    two: tuple[Path, RegistryServer, RegistryServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, dev, prod = two
    monkeypatch.chdir(root)
    assert main(["apply", "--env", "prod", "--auto-approve"]) == EXIT_OK
    capsys.readouterr()
    assert main(["status", "--env", "prod"]) == EXIT_OK
    assert prod.url in capsys.readouterr().out
    (root / "registry").mkdir()
    assert main(["snapshot", "export", "--env", "prod"]) == EXIT_OK
    assert "wrote registry/prod.json" in capsys.readouterr().out
    assert main(["plan", "--registry", "file:registry/prod.json", "--detailed-exitcode"]) == 0
    fresh = root / "fresh"
    fresh.mkdir()
    shutil.copyfile(root / "aurum-sr.toml", fresh / "aurum-sr.toml")
    code = main(["import", "--env", "prod", "--root", str(fresh)])
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    imported = (fresh / "contracts" / "contracts.yml").read_text(encoding="utf-8")
    assert "aurum.iso.lmp.v1-value" in imported
    _clean(captured.out, captured.err, imported)


@pytest.mark.parametrize(
    ("args", "unset", "message"),
    [
        (["plan", "--env", "prdo"], None, "--env prdo: no [environments.prdo]"),
        (["plan", "--env", "prdo"], None, "did you mean 'prod'?"),
        (["apply", "--env", "all", "--auto-approve"], None, "not supported yet"),
        (["drift", "--env", "prod"], "PROD_SR_TOKEN", "the credential variable PROD_SR_TOKEN"),
        (["apply", "--env", "dev", "--auto-approve"], "DEV_SR_AUTH", "DEV_SR_AUTH is not set"),
        (["plan", "--env", "dev", "--registry", "memory:"], None, "exclude each other"),
        (["status", "--env", "nope"], None, "no [environments.nope]"),
        (["snapshot", "export", "--env", "dev"], None, "has no snapshot file"),
        (["snapshot", "export"], None, "needs --out FILE"),
    ],
)
def test_bad_env_exits_1_with_a_clear_message_and_writes_nothing(
    two: tuple[Path, RegistryServer, RegistryServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    unset: str | None,
    message: str,
) -> None:
    root, dev, prod = two
    monkeypatch.chdir(root)
    if unset is not None:
        monkeypatch.delenv(unset)
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    _clean(err)
    for server in (dev, prod):
        assert server.engine is not None and server.engine.list_subjects() == []
