"""``[environments.NAME]`` tables: what they set, and every way one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.config import configured_environment, load_config
from aurum_sr.errors import ConfigError
from aurum_sr.secrets import Secret

SECRET = "env-s3cr3t-do-not-print"
BASE = """
base_url = "http://top:8081"
ca_bundle = "top.pem"
timeout_seconds = 7
username = "top"
extra_headers = { X-Tenant = "tenant" }

[environments.dev]
base_url = "http://dev:8081"

[environments.prod]
base_url = "https://prod:8081"
basic_auth_user_info_env = "PROD_SR_AUTH"
ssl_verify = false
client_cert = "prod.crt"
snapshot = "registry/prod.json"

[environments.cloud]
base-url = "https://cloud:443"
bearer_token_env = "CLOUD_TOKEN"
"""


def _write(root: Path, text: str, *, pyproject: bool = False) -> Path:
    if pyproject:
        text = text.replace("[environments.", "[tool.aurum-sr.environments.")
        (root / "pyproject.toml").write_text(
            f'[project]\nname = "x"\n\n[tool.aurum-sr]\n{text}', encoding="utf-8"
        )
    else:
        (root / "aurum-sr.toml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("pyproject", [False, True], ids=["aurum-sr.toml", "pyproject.toml"])
@pytest.mark.parametrize(
    ("env", "environ", "expected"),
    [
        (
            None,
            {"SCHEMA_REGISTRY_PASSWORD": "x", "SCHEMA_REGISTRY_USERNAME": "u"},
            {
                "base_url": "http://top:8081",
                "username": "u",
                "ca_bundle": "top.pem",
                "extra_headers": (("X-Tenant", "tenant"),),
            },
        ),
        (
            "dev",
            {"SCHEMA_REGISTRY_URL": "http://ambient:1", "SCHEMA_REGISTRY_USERNAME": "u"},
            {
                "base_url": "http://dev:8081",
                "username": None,
                "ca_bundle": "top.pem",
                "extra_headers": (),
            },
        ),
        (
            "prod",
            {"PROD_SR_AUTH": f"svc:{SECRET}"},
            {
                "base_url": "https://prod:8081",
                "username": "svc",
                "password": Secret(SECRET),
                "ssl_verify": False,
                "client_cert": "prod.crt",
                "timeout_seconds": 7.0,
            },
        ),
        (
            "cloud",
            {"CLOUD_TOKEN": SECRET, "SCHEMA_REGISTRY_BEARER_TOKEN": "ambient"},
            {"base_url": "https://cloud:443", "bearer_token": Secret(SECRET), "password": None},
        ),
    ],
)
def test_an_environment_replaces_the_top_level_registry_settings(
    tmp_path: Path,
    pyproject: bool,
    env: str | None,
    environ: dict[str, str],
    expected: dict[str, object],
) -> None:
    config = load_config(_write(tmp_path, BASE, pyproject=pyproject), environ=environ, env=env)
    for key, value in expected.items():
        assert getattr(config, key) == value, key
    assert SECRET not in repr(config) and SECRET not in str(config)


def test_the_environment_snapshot_file_is_read(tmp_path: Path) -> None:
    assert configured_environment(_write(tmp_path, BASE), "prod").snapshot == "registry/prod.json"
    assert configured_environment(tmp_path, "dev").snapshot is None


@pytest.mark.parametrize(
    ("text", "env", "environ", "message", "hint"),
    [
        (BASE, "prdo", {}, "--env prdo: no [environments.prdo] in aurum-sr.toml", "'prod'"),
        (BASE, "qa", {}, "no [environments.qa]", "known environments: cloud, dev, prod"),
        ("", "dev", {}, "no [environments.dev]", "define it: [environments.dev]"),
        (BASE, "all", {}, "not supported yet", "one environment at a time"),
        (BASE, "prod", {}, "the credential variable PROD_SR_AUTH is not set", "PROD_SR_AUTH"),
        (BASE, "prod", {"PROD_SR_AUTH": ""}, "PROD_SR_AUTH is not set", "export"),
        (BASE, "prod", {"PROD_SR_AUTH": SECRET}, "PROD_SR_AUTH must be USER:PASSWORD", ""),
        (BASE, "cloud", {}, "the credential variable CLOUD_TOKEN is not set", ""),
        ("[environments.x]\nssl_verify = true\n", "x", {}, "[environments.x]: no base_url", ""),
        ('[environments.x]\nbase_url = ""\n', "x", {}, "base_url must be a URL", ""),
        (
            f'[environments.x]\nbase_url = "http://h"\npassword = "{SECRET}"\n',
            "x",
            {},
            "password holds a secret, and secrets never go in the file",
            "basic_auth_user_info_env",
        ),
        (
            f'[environments.x]\nbase_url = "http://h"\nbearer_token = "{SECRET}"\n',
            None,
            {},
            "aurum-sr.toml:3 [environments.x]: bearer_token holds a secret",
            "bearer_token_env",
        ),
        (
            f'[environments.x]\nbase_url = "http://h"\nbasic_auth_user_info = "u:{SECRET}"\n',
            "x",
            {},
            "basic_auth_user_info holds a secret",
            "",
        ),
        (
            f'[environments.x]\nbase_url = "https://svc:{SECRET}@h"\n',
            "x",
            {},
            "base_url 'https://svc:***@h' holds a password",
            "",
        ),
        (
            '[environments.x]\nbase_url = "http://h"\nbearer_token_env = "not a name"\n',
            "x",
            {},
            "bearer_token_env must be the NAME of an environment variable",
            "",
        ),
        (
            '[environments.x]\nbase_url = "http://h"\nca_bundel = "a.pem"\n',
            "x",
            {},
            "[environments.x]: unknown key 'ca_bundel'",
            "did you mean 'ca_bundle'?",
        ),
        (
            '[environments.x]\nbase_url = "http://h"\nssl_verify = "maybe"\n',
            "x",
            {},
            "[environments.x]: ssl_verify must be true or false",
            "",
        ),
        ('[environments.all]\nbase_url = "http://h"\n', None, {}, "'all' cannot name", ""),
        ('environments = "prod"\n', None, {}, "environments must be a table", ""),
        ("[environments]\nx = 1\n", None, {}, "[environments.x]: must be a table", ""),
    ],
)
def test_bad_environments_are_refused_clearly(
    tmp_path: Path,
    text: str,
    env: str | None,
    environ: dict[str, str],
    message: str,
    hint: str,
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, text), environ=environ, env=env)
    assert message in caught.value.message
    assert hint in (caught.value.hint or "")
    assert SECRET not in str(caught.value) and SECRET not in (caught.value.hint or "")
